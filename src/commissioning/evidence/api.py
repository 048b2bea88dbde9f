"""API: a provider's own evidence store, read with a personal token.

Only the owning organisation's provider administrators and members see its
evidence. Anything else, including an organisation the caller does not keep
evidence for, answers 404, never 403, so the API does not reveal what exists.
"""

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from pydantic import Field

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, ValidationProblemOut

from . import selectors
from .schemas import EvidenceItemOut

router = Router(tags=["Evidence"], auth=ApiTokenAuth())

NOT_FOUND = {"detail": "No such evidence"}
LIST_PARAMETERS = {"organisation", "limit", "offset"}
MAX_ID = 2**63 - 1


class EvidenceQuery(Schema):
    organisation: str = Field(
        "",
        max_length=220,
        pattern=r"^[-a-zA-Z0-9_]*$",
        description="One of your organisations' slugs; all of them when left out",
    )


@router.get(
    "",
    response={200: list[EvidenceItemOut], 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="Your organisations' current evidence",
)
@paginate(BoundedPagination)
def evidence_list(request: HttpRequest, filters: Query[EvidenceQuery]):
    """The current version of each item your organisations keep (404 for an organisation that is not yours).

    Unknown parameters are refused (422), so a mistyped filter never silently widens the answer.
    """
    unknown = sorted(set(request.GET) - LIST_PARAMETERS)
    if unknown:
        raise ValidationError([{"loc": ["query", name], "msg": "Unknown parameter"} for name in unknown])
    versions = selectors.evidence_visible_to(user=request.auth).filter(superseded_at__isnull=True)
    if filters.organisation:
        try:
            organisation = selectors.evidence_organisation_get_for(user=request.auth, slug=filters.organisation)
        except Http404 as exc:
            raise HttpError(404, "You do not keep evidence for an organisation with that slug") from exc
        versions = versions.filter(organisation=organisation)
    return versions.order_by("organisation__name", "item")


@router.get(
    "/{evidence_id}",
    response={200: EvidenceItemOut, 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One version of an item",
)
def evidence_detail(request: HttpRequest, evidence_id: int = Path(..., ge=1, le=MAX_ID)):
    """One version, current or not, of an item your organisation keeps (404 otherwise)."""
    try:
        return Status(200, selectors.evidence_item_get_for(user=request.auth, pk=evidence_id))
    except Http404:
        return Status(404, NOT_FOUND)
