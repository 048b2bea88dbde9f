"""API: the public directory of organisations, and who you are."""

from typing import Literal

from django.http import Http404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import NO_NUL, ProblemOut, ValidationProblemOut
from commissioning.core.sizebands import SizeBand

from . import selectors
from .auth import ApiTokenAuth
from .models import LegalForm
from .schemas import MeOut, OrganisationOut, OrganisationSummaryOut

router = Router(tags=["Organisations"])
me_router = Router(tags=["You"])


class DirectoryQuery(Schema):
    q: str = Field(
        "", max_length=100, pattern=NO_NUL, description="Search names, descriptions and registration numbers"
    )
    ward: str = Field(
        "", max_length=9, pattern=r"^(E05[0-9]{6})?$", description="A Leeds ward's ONS code, like E05011386"
    )
    size_band: Literal["", *SizeBand.values] = Field("", description="An NCVO size band")  # type: ignore[valid-type]
    legal_form: Literal["", *LegalForm.values] = Field("", description="A legal form")  # type: ignore[valid-type]


@router.get("", response={200: list[OrganisationSummaryOut], 422: ValidationProblemOut}, summary="Verified providers")
@paginate(BoundedPagination)
def organisations_list(request, filters: Query[DirectoryQuery]):
    """List verified providers, filtered like the public directory."""
    organisations = selectors.provider_directory(
        filters=selectors.DirectoryFilter(
            query=filters.q, ward=filters.ward, size_band=filters.size_band, legal_form=filters.legal_form
        )
    )
    return organisations


@router.get("/{slug}", response={200: OrganisationOut, 404: ProblemOut}, summary="One organisation")
def organisation_detail(request, slug: str):
    """One verified organisation's public profile (404 for one that is not public)."""
    try:
        organisation = selectors.organisation_get_for(user=None, slug=slug)
    except Http404:
        return Status(404, {"detail": "No such organisation"})
    return organisation


@me_router.get("", response={200: MeOut, 401: ProblemOut}, auth=ApiTokenAuth(), summary="Who the token acts as")
def me(request):
    """The person a personal API token belongs to, and their roles."""
    user = request.auth
    return {
        "email": user.email,
        "full_name": user.full_name,
        "memberships": [
            {"organisation": m.organisation.slug, "organisation_name": m.organisation.name, "role": m.role}
            for m in user.active_memberships
        ],
    }
