"""API shapes for organisations and people."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from ninja import Schema


class IdentifierOut(Schema):
    scheme: str
    id: str
    org_id: str


class WardOut(Schema):
    code: str
    name: str


class OrganisationSummaryOut(Schema):
    slug: str
    name: str
    side: str
    legal_form: str
    size_band: str | None
    based_in_leeds: bool
    city_wide: bool
    identifiers: list[IdentifierOut]
    wards: list[WardOut]
    url: str

    # Resolvers read the prefetched relations, so a page of results costs a
    # fixed number of queries however long the directory is.
    @staticmethod
    def resolve_size_band(obj) -> str | None:
        return obj.size_band.value if obj.size_band else None

    @staticmethod
    def resolve_identifiers(obj) -> list[dict]:
        return [{"scheme": i.scheme, "id": i.value, "org_id": i.org_id} for i in obj.identifiers.all()]

    @staticmethod
    def resolve_wards(obj) -> list[dict]:
        return [{"code": w.code, "name": w.name} for w in obj.wards.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("accounts:organisation", args=[obj.slug])


class OrganisationOut(OrganisationSummaryOut):
    description: str
    website: str
    town: str
    postcode: str
    latest_income: Decimal | None
    income_year_end: date | None


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    role: str


class MeOut(Schema):
    email: str
    full_name: str
    memberships: list[MembershipOut]
