"""API shapes after the award: public award information.

Money is exact text with two decimal places ("30000.00"); points are text
with two decimal places ("72.50"); times are ISO 8601 with their offset. An
award's fields follow the OCDS 1.1 award where they map: ``id``, ``date``
(the decision), ``value`` (amount and currency), the supplier's org-id
identifier, the related lot and the UK extension's standstill period.
"""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from commissioning.opportunities.models import Kind
from commissioning.opportunities.schemas import amount_text

from .standstill import rule_in_words

POINTS = r"^[0-9]{1,3}\.[0-9]{2}$"
MONEY = r"^[0-9]{1,10}\.[0-9]{2}$"


class AwardOpportunityOut(Schema):
    reference: str
    title: str
    kind: Kind
    url: str = Field(description="The opportunity's public page")


class AwardLotOut(Schema):
    number: int
    title: str


class SupplierOut(Schema):
    """The organisation awarded the lot, with its primary register identifier."""

    name: str
    slug: str
    identifier: str | None = Field(
        description="The primary identifier in org-id form, like GB-CHC-1234567 (scheme, then the register's number)"
    )
    scheme: str | None = Field(description="The org-id scheme, like GB-CHC")
    id: str | None = Field(description="The number in the scheme's register")
    url: str = Field(description="The organisation's public page")


class ValueOut(Schema):
    amount: str = Field(pattern=MONEY, description="Pounds, exact to the penny, as text")
    currency: Literal["GBP"]


class StandstillOut(Schema):
    """The standstill, counted by its regime's rule from the award notice's publication, to the start of
    the day after its last working day (UK time)."""

    start: datetime | None = Field(
        description="When the award notice was published; None until that is recorded (the standstill has not "
        "started and the contract cannot be concluded)"
    )
    end: datetime | None = Field(
        description="When the standstill ends; None until the notice's publication is recorded"
    )
    working_days: int
    notice: str = Field(description='The notice whose publication starts it, like "contract award notice"')
    rule: str = Field(description="Which rule applies and how its working days are counted, in words")


def standstill_out(evaluation) -> dict | None:
    """The standstill of an awarded evaluation as :class:`StandstillOut` gives it, or None when none applies."""
    days = evaluation.standstill_days or 0
    if not days:
        return None
    rule = evaluation.standstill_rule or {}
    return {
        "start": evaluation.notice_published_at,
        "end": evaluation.standstill_ends,
        "working_days": days,
        "notice": rule.get("notice") or "award notice",
        "rule": rule_in_words(rule, days),
    }


class AwardOut(Schema):
    id: str = Field(description="Unique for the award: the reference, the lot and the decision")
    opportunity: AwardOpportunityOut
    lot: AwardLotOut
    supplier: SupplierOut
    value: ValueOut
    date: datetime = Field(description="When the award decision was made")
    standstill: StandstillOut | None = Field(description="None when no standstill applies (grants, or set to 0)")

    @staticmethod
    def resolve_id(obj) -> str:
        return f"{obj.evaluation.opportunity.reference}-lot-{obj.lot.number}-{obj.pk}"

    @staticmethod
    def resolve_opportunity(obj) -> dict:
        opportunity = obj.evaluation.opportunity
        return {
            "reference": opportunity.reference,
            "title": opportunity.title,
            "kind": opportunity.kind,
            "url": reverse("opportunities:detail", args=[opportunity.reference]),
        }

    @staticmethod
    def resolve_lot(obj) -> dict:
        return {"number": obj.lot.number, "title": obj.lot.title}

    @staticmethod
    def resolve_supplier(obj) -> dict:
        organisation = obj.organisation
        identifiers = list(organisation.identifiers.all())
        primary = next((i for i in identifiers if i.is_primary), identifiers[0] if identifiers else None)
        return {
            "name": organisation.name,
            "slug": organisation.slug,
            "identifier": primary.org_id if primary else None,
            "scheme": primary.scheme if primary else None,
            "id": primary.value if primary else None,
            "url": reverse("accounts:organisation", args=[organisation.slug]),
        }

    @staticmethod
    def resolve_value(obj) -> dict:
        return {"amount": amount_text(obj.amount), "currency": "GBP"}

    @staticmethod
    def resolve_date(obj) -> datetime:
        return obj.evaluation.decided_at

    @staticmethod
    def resolve_standstill(obj) -> dict | None:
        return standstill_out(obj.evaluation)
