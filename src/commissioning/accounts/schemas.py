"""API shapes for organisations and people."""

from datetime import date
from decimal import Decimal

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
