"""What the API says of a commissioning record. Money travels as exact decimal text, never a float."""

from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

PENNY = Decimal("0.01")
REFERENCE = r"^[A-Za-z0-9-]{1,20}$"


class RecordBodyOut(Schema):
    slug: str
    name: str


class RecordWardOut(Schema):
    code: str = Field(description="The ward's ONS code")
    name: str


class RecordOut(Schema):
    """One piece of commissioning: what, for whom, where, when, how much and by which bodies."""

    reference: str = Field(description="Like CR-2026-0001")
    title: str
    summary: str = Field(description="What is bought or funded")
    client_groups: str = Field(description="For whom: client groups or beneficiaries")
    city_wide: bool
    wards: list[RecordWardOut]
    expected_start: date | None
    expected_end: date | None
    estimated_value: str | None = Field(description="Pounds, exact to the penny, as text; null while not known")
    lead_body: RecordBodyOut
    joint_bodies: list[RecordBodyOut]
    created_at: datetime
    url: str = Field(description="The record's page")

    @staticmethod
    def resolve_estimated_value(obj) -> str | None:
        return None if obj.estimated_value is None else f"{Decimal(obj.estimated_value).quantize(PENNY)}"

    @staticmethod
    def resolve_wards(obj) -> list[dict]:
        return [{"code": w.code, "name": w.name} for w in obj.wards.all()]

    @staticmethod
    def resolve_joint_bodies(obj) -> list[dict]:
        return [{"slug": b.slug, "name": b.name} for b in obj.bodies[1:]]

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("records:detail", args=[obj.reference])
