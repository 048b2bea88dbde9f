"""The commissioning records through the API: the records of the bodies you commission for.

A token holder who commissions for no body lists none; a record that is not
theirs answers 404, as if it did not exist. Administrators read every record.
"""

from django.http import Http404, HttpRequest
from ninja import Path, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, SearchText, ValidationProblemOut

from . import selectors
from .schemas import REFERENCE, RecordOut

router = Router(tags=["Commissioning records"], auth=ApiTokenAuth())

LIST_PARAMETERS = {"limit", "offset", "q"}
NOT_FOUND = {"detail": "There is no commissioning record with that reference that you commission"}


@router.get(
    "",
    response={200: list[RecordOut], 401: ProblemOut, 422: ValidationProblemOut},
    summary="Your bodies' commissioning records",
)
@paginate(BoundedPagination)
def records_list(request: HttpRequest, q: SearchText(100, "Words in the reference or title") = ""):
    """The records your commissioning bodies lead or join, newest first; ``q`` searches reference and title.

    Unknown parameters are refused (422), so a mistyped one is never silently ignored.
    """
    unknown = sorted(set(request.GET) - LIST_PARAMETERS)
    if unknown:
        raise ValidationError([{"loc": ["query", name], "msg": "Unknown parameter"} for name in unknown])
    return selectors.records_for(user=request.auth, query=q).prefetch_related("wards", "joint_bodies")


@router.get(
    "/{reference}",
    response={200: RecordOut, 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One commissioning record",
)
def record_detail(
    request: HttpRequest,
    reference: str = Path(..., pattern=REFERENCE, description="The record's reference, like CR-2026-0001"),
):
    """One record your bodies lead or join (any record, for an administrator); 404 otherwise."""
    try:
        return Status(200, selectors.record_get_for(user=request.auth, reference=reference))
    except Http404:
        return Status(404, NOT_FOUND)
