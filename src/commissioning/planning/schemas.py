"""API shapes for the pipeline: a plan as the public sees it, and a commissioner's plan to make or change.

Money travels as exact decimal text ("250000.00"), never a float; amounts are
never negative and have at most two decimal places. Text may not hold NUL
characters. The services then apply the same rules as the pages.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import AfterValidator, Field, StrictBool
from pydantic_core import PydanticCustomError

from commissioning.core.horizon import horizon_limit
from commissioning.core.schemas import Text

from .models import FundingType, PlanStatus
from .selectors import current_overlaps

PENNY = Decimal("0.01")
REFERENCE = r"^[A-Za-z0-9-]{1,20}$"
SLUG = r"^[-a-zA-Z0-9_]+$"
WARD_CODE = r"^E05[0-9]{6}$"

Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=12, decimal_places=2, description='Pounds, exact to the penny, like "250000.00"'),
]
Slug = Annotated[str, Field(max_length=220, pattern=SLUG)]
WardCode = Annotated[str, Field(pattern=WARD_CODE, description="A Leeds ward's ONS code")]
FundingTypeIn = Literal[tuple(FundingType.values)]  # type: ignore[valid-type]


def _in_horizon(day: date) -> date:
    limit = horizon_limit(day)
    if limit is not None:
        raise PydanticCustomError("invalid", f"The date must be {limit}")
    return day


Day = Annotated[date, AfterValidator(_in_horizon), Field(description="A day, like 2027-04-01")]


class BodyOut(Schema):
    slug: str
    name: str


class AreaOut(Schema):
    slug: str
    name: str


class WardOut(Schema):
    code: str = Field(description="The ward's ONS code")
    name: str


class PlanOut(Schema):
    """A plan on the pipeline: what, by whom, where, how much, when, and the plans it overlaps."""

    reference: str = Field(description="The plan's commissioning record, like CR-2026-0001")
    title: str
    summary: str
    client_groups: str
    body: BodyOut = Field(description="The lead commissioning body")
    joint_bodies: list[BodyOut]
    outcome_area: AreaOut
    city_wide: bool
    wards: list[WardOut]
    expected_value: str | None = Field(description="Pounds, exact to the penny, as text; null while not known")
    funding_type: str
    expected_advert: Day
    expected_start: date | None
    expected_end: date | None
    status: str
    contact_name: str
    contact_email: str
    published_at: datetime | None = Field(description="When it was put on the pipeline; null for a draft")
    overlaps: list[str] = Field(description="The references of the plans it overlaps that are not yet co-ordinated")
    url: str = Field(description="The plan's page")

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.record.reference

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.record.title

    @staticmethod
    def resolve_summary(obj) -> str:
        return obj.record.summary

    @staticmethod
    def resolve_client_groups(obj) -> str:
        return obj.record.client_groups

    @staticmethod
    def resolve_body(obj) -> dict:
        return {"slug": obj.record.lead_body.slug, "name": obj.record.lead_body.name}

    @staticmethod
    def resolve_joint_bodies(obj) -> list[dict]:
        return [{"slug": b.slug, "name": b.name} for b in obj.record.bodies[1:]]

    @staticmethod
    def resolve_outcome_area(obj) -> dict:
        return {"slug": obj.service_area.slug, "name": obj.service_area.name}

    @staticmethod
    def resolve_city_wide(obj) -> bool:
        return obj.record.city_wide

    @staticmethod
    def resolve_wards(obj) -> list[dict]:
        return [{"code": w.code, "name": w.name} for w in obj.record.wards.all()]

    @staticmethod
    def resolve_expected_value(obj) -> str | None:
        value = obj.record.estimated_value
        return None if value is None else f"{Decimal(value).quantize(PENNY)}"

    @staticmethod
    def resolve_expected_start(obj) -> date | None:
        return obj.record.expected_start

    @staticmethod
    def resolve_expected_end(obj) -> date | None:
        return obj.record.expected_end

    @staticmethod
    def resolve_overlaps(obj) -> list[str]:
        return [other.record.reference for overlap, other in current_overlaps(obj) if overlap.resolved_at is None]

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("planning:detail", args=[obj.record.reference])


class PlanCreateIn(Schema):
    """A new plan for a body you commission for; it starts as an idea, off the pipeline."""

    lead_body: Slug = Field(description="The slug of the commissioning body that leads it")
    title: Text(200)
    summary: Text(500, "What is bought or funded", single_line=False)
    client_groups: Text(2000, "For whom", single_line=False) = ""
    outcome_area: Slug = Field(description="An outcome area's slug")
    city_wide: StrictBool = False
    wards: list[WardCode] = Field(default_factory=list, max_length=40)
    expected_value: Money
    funding_type: FundingTypeIn  # type: ignore[valid-type]
    expected_advert: Day
    expected_start: Day
    expected_end: Day
    contact_name: Text(120)
    contact_email: Text(254)
    joint_bodies: list[Slug] = Field(default_factory=list, max_length=20)


class PlanUpdateIn(Schema):
    """The fields to change; those not sent keep their values."""

    title: Text(200) | None = None
    summary: Text(500, single_line=False) | None = None
    client_groups: Text(2000, single_line=False) | None = None
    outcome_area: Slug | None = None
    city_wide: StrictBool | None = None
    wards: list[WardCode] | None = Field(None, max_length=40)
    expected_value: Money | None = None
    funding_type: FundingTypeIn | None = None  # type: ignore[valid-type]
    expected_advert: Day | None = None
    expected_start: Day | None = None
    expected_end: Day | None = None
    contact_name: Text(120) | None = None
    contact_email: Text(254) | None = None
    joint_bodies: list[Slug] | None = Field(None, max_length=20)


StatusIn = Literal[("", *PlanStatus.values)]  # type: ignore[valid-type]
