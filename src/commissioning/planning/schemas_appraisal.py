"""The options appraisal's shapes in the API."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from commissioning.core.schemas import Text

from .appraisals import LONGEST_MONTHS, MOST_CONTRACTS
from .models import FundingType, OptionKind

OptionKindIn = Literal[tuple(OptionKind.values)]  # type: ignore[valid-type]
FundingTypeIn = Literal[("", *FundingType.values)]  # type: ignore[valid-type]


class OptionIn(Schema):
    """One option considered. Size, length, number of contracts and funding type may be left out."""

    kind: OptionKindIn
    description: Text(300, "What the option is")
    value: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="The size, £")
    length_months: int | None = Field(None, ge=1, le=LONGEST_MONTHS)
    contracts: int | None = Field(None, ge=1, le=MOST_CONTRACTS, description="How many contracts or grants")
    funding_type: FundingTypeIn = ""
    benefits: Text(4000, "Its benefits", single_line=False)
    risks: Text(4000, "Its risks", single_line=False)
    costs: Text(4000, "Its costs", single_line=False, optional=True) = ""


class OptionOut(OptionIn):
    id: int
    chosen: bool


class ChoiceIn(Schema):
    option: int = Field(..., ge=1, description="The id of the option chosen")
    rationale: Text(6000, "Why it was chosen", single_line=False)


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
