"""The options appraisal's shapes in the API."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from commissioning.core.schemas import NO_NUL

from .appraisals import LONGEST_MONTHS, MOST_CONTRACTS
from .models import FundingType, OptionKind

OptionKindIn = Literal[tuple(OptionKind.values)]  # type: ignore[valid-type]
FundingTypeIn = Literal[("", *FundingType.values)]  # type: ignore[valid-type]


def _text(max_length: int, description: str, *, min_length: int = 0):
    return Field(..., min_length=min_length, max_length=max_length, pattern=NO_NUL, description=description)


class OptionIn(Schema):
    """One option considered. Size, length, number of contracts and funding type may be left out."""

    kind: OptionKindIn
    description: str = _text(300, "What the option is", min_length=1)
    value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="The size, £")
    length_months: int | None = Field(None, ge=1, le=LONGEST_MONTHS)
    contracts: int | None = Field(None, ge=1, le=MOST_CONTRACTS, description="How many contracts or grants")
    funding_type: FundingTypeIn = ""
    benefits: str = _text(4000, "Its benefits", min_length=1)
    risks: str = _text(4000, "Its risks", min_length=1)
    costs: str = Field("", max_length=4000, pattern=NO_NUL, description="Its costs")


class OptionOut(OptionIn):
    id: int
    chosen: bool


class ChoiceIn(Schema):
    option: int = Field(..., ge=1, description="The id of the option chosen")
    rationale: str = _text(6000, "Why it was chosen", min_length=1)


class RuleStandingOut(Schema):
    code: Literal["PL-2"] = "PL-2"
    met: bool
    detail: str


class AppraisalOut(Schema):
    record: str
    options: list[OptionOut]
    chosen: int | None
    rationale: str
    decided_at: datetime | None
    decided: bool = Field(description="True once the opportunity is published: the appraisal no longer changes")
    pl2: RuleStandingOut
