"""Everyone's pages for needs assessments: the completed ones, each in full, and their evidence files.

A draft answers 404 here to everyone but its own commissioners, who see it
as it will be published.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commissioning.accounts.forms import ward_choices
from commissioning.records.models import ServiceArea

from . import selectors, services
from .permissions import is_assessment_commissioner


def _filter(value: str, allowed: set[str]) -> str:
    return value if value in allowed else ""


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    """Completed needs assessments, newest first, by outcome area and ward."""
    areas = list(ServiceArea.objects.filter(active=True).values_list("slug", "name"))
    wards = ward_choices()
    area = _filter(request.GET.get("area", ""), {slug for slug, _ in areas})
    ward = _filter(request.GET.get("ward", ""), {code for code, _ in wards})
    query = request.GET.get("q", "")[:100].replace("\x00", "")
    page = Paginator(
        selectors.assessments_public(service_area=area, ward=ward, query=query), settings.DASHBOARD_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "needs/public_list.html",
        {
            "page": page,
            "areas": areas,
            "wards": wards,
            "area": area,
            "ward": ward,
            "query": query,
            "query_string": params.urlencode(),
        },
    )


@require_GET
def public_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A completed assessment in full: its question, evidence, ward figures, co-production, findings and needs."""
    assessment = selectors.assessment_get_for(user=request.user, reference=reference)
    return render(
        request,
        "needs/assessment.html",
        {
            "page": selectors.assessment_page(assessment),
            "manage": False,
            "commissioner": is_assessment_commissioner(request.user, assessment),
            "gate": None,
        },
    )


@require_GET
def evidence_file(request: HttpRequest, reference: str, evidence_id: int) -> HttpResponse:
    """Download an evidence file: as public as its assessment. Always an attachment, never shown inline."""
    assessment = selectors.assessment_get_for(user=request.user, reference=reference)
    evidence = selectors.evidence_of(assessment, evidence_id)
    if not evidence.document:
        raise Http404
    response = FileResponse(
        evidence.document.open("rb"),
        content_type=services.evidence_content_type(evidence),
        as_attachment=True,
        filename=evidence.document.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
