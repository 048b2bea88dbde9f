"""API: the public contracts register, paged like the opportunities; no authentication.

Drafts are never listed and their references answer 404.
"""

from django.http import HttpRequest
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, ValidationProblemOut

from . import register
from .schemas import AGREEMENT_REFERENCE, ContractOut, RegisterQuery

register_router = Router(tags=["Contracts"])
NOT_FOUND = {"detail": "No such agreement in the register"}


@register_router.get("", response={200: list[ContractOut], 422: ValidationProblemOut}, summary="The contracts register")
@paginate(BoundedPagination)
def contracts_list(request: HttpRequest, filters: Query[RegisterQuery]):
    """Every issued or accepted contract and grant agreement, newest first, with the Transparency Code's fields."""
    return register.register_rows(
        register.RegisterFilter(query=filters.q, body=filters.body, kind=filters.kind, live=filters.live)
    )


@register_router.get(
    "/{reference}",
    response={200: ContractOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One agreement of the register",
)
def contract_detail(
    request: HttpRequest,
    reference: str = Path(..., pattern=AGREEMENT_REFERENCE, description="The agreement's reference, like AG-2026-0001"),
):
    """One issued or accepted agreement; a draft or an unknown reference answers 404."""
    found = register.register_agreement(reference)
    if found is None:
        return Status(404, NOT_FOUND)
    return Status(200, found)
