"""API: read completed needs assessments, and a commissioner's own draft with their token.

Reads go through the same selectors as the pages: the list holds completed
assessments only, and a draft's reference answers 404 unless the token's
person commissions for its body.
"""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from commissioning.accounts.auth import api_user_or_none
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, ValidationProblemOut

from . import selectors
from .models import Assessment
from .schemas import ASSESSMENT_REFERENCE, AssessmentOut, AssessmentsQuery, AssessmentSummaryOut

router = Router(tags=["Needs assessments"])
NOT_FOUND = {"detail": "No such needs assessment"}


def _summary(assessment: Assessment) -> dict:
    return {
        "reference": assessment.reference,
        "title": assessment.title,
        "status": assessment.status,
        "body": {"name": assessment.body.name},
        "service_area": {"name": assessment.service_area.name, "slug": assessment.service_area.slug},
        "city_wide": assessment.city_wide,
        "wards": [{"code": w.code, "name": w.name} for w in assessment.wards.all()],
        "question": assessment.question,
        "completed_at": assessment.completed_at,
        "url": reverse("needs:public-detail", args=[assessment.reference]),
    }


class _Summaries:
    """The selector's rows as summaries, sliced by the paginator before any row is read."""

    def __init__(self, rows):
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, window):
        return [_summary(a) for a in self.rows[window]]

    def __len__(self) -> int:
        return self.count()


@router.get("", response={200: list[AssessmentSummaryOut], 422: ValidationProblemOut}, summary="Needs assessments")
@paginate(BoundedPagination)
def assessments_list(request: HttpRequest, filters: Query[AssessmentsQuery]):
    """Completed needs assessments, newest completed first, by outcome area (slug) and ward (ONS code)."""
    return _Summaries(
        selectors.assessments_public(service_area=filters.service_area, ward=filters.ward, query=filters.q)
    )


@router.get(
    "/{reference}",
    response={200: AssessmentOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One needs assessment",
)
def assessment_detail(
    request: HttpRequest,
    reference: str = Path(..., pattern=ASSESSMENT_REFERENCE, description="The reference, like LNA-2026-0001"),
):
    """A completed assessment in full: evidence, ward figures, co-production, findings and needs. A draft
    answers 404, except to its own body's commissioners calling with their token."""
    try:
        assessment = selectors.assessment_get_for(user=api_user_or_none(request), reference=reference)
    except Http404:
        return Status(404, NOT_FOUND)
    page = selectors.assessment_page(assessment)
    body = _summary(assessment) | {
        "findings": assessment.findings,
        "needs_identified": page.needs,
        "evidence": [
            {
                "source": e.source,
                "sector": e.sector,
                "dated": e.dated,
                "link": e.link,
                "file_url": reverse("needs:evidence-file", args=[assessment.reference, e.pk]) if e.document else None,
                "shows": e.shows,
            }
            for e in page.evidence
        ],
        "ward_figures": [
            {
                "ward": {"code": f.ward.code, "name": f.ward.name},
                "indicator": f.indicator,
                "year": f.year,
                "value": f"{f.value.normalize():f}",
            }
            for f in page.figures
        ],
        "co_production": [
            {
                "kind": a.kind,
                "title": a.title,
                "held_on": a.held_on,
                "participants": a.participants,
                "communities": a.communities,
                "organisations": [{"name": o.name} for o in a.organisations.all()],
                "what_changed": a.what_changed,
            }
            for a in page.activities
        ],
    }
    return Status(200, body)
