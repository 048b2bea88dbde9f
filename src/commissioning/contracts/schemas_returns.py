"""API shapes of monitoring returns (CM-4): a provider's own returns, and a return submitted as JSON."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from commissioning.opportunities.schemas import Text

from .returns import MAX_COUNT

Count = Annotated[int, Field(ge=0, le=MAX_COUNT, strict=True, description="A whole number of people, 0 or more")]


class MeasureIn(Schema):
    number: int = Field(..., ge=1, le=99, description="The KPI's number in the agreement")
    actual: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2, description="The result in the period")
    note: Text(1000) = ""


class SpendIn(Schema):
    budget: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2, description="The budget for the period, £")
    actual: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2, description="What was spent, £")
    note: Text(1000) = ""


class BreakdownsIn(Schema):
    """Counts of people, never about a named person; only the breakdowns the agreement asks for."""

    ward: dict[str, Count] | None = Field(None, description="By Leeds ward, keyed by the ward's ONS code")
    characteristic: dict[str, dict[str, Count]] | None = Field(
        None, description="By each protected characteristic (and carers), then by category key"
    )
    community: dict[str, Count] | None = Field(None, description="By community of interest key (they may overlap)")


class ReturnSubmitIn(Schema):
    """A whole return. Each breakdown by ward and characteristic adds up to ``people_reached``, or the
    difference is explained in ``mismatch_explanation``."""

    measures: list[MeasureIn] = Field(default_factory=list, max_length=99)
    narrative: Text(5000, required=True, description="What happened in the period")
    case_studies: Text(10000) = ""
    spend: SpendIn | None = Field(None, description="Only where the agreement asks for spend")
    people_reached: Count
    breakdowns: BreakdownsIn = Field(default_factory=BreakdownsIn)
    mismatch_explanation: Text(2000) = ""


class ReviewOut(Schema):
    outcome: str
    note: str
    reviewed_at: datetime


class ReturnOut(Schema):
    agreement: str
    number: int
    period_start: date
    period_end: date
    due_on: date
    status: str
    submitted_at: datetime | None
    digest: str
    measures: list[dict]
    narrative: str
    case_studies: str
    spend: dict
    people_reached: int | None
    breakdowns: dict
    mismatch_explanation: str
    reviews: list[ReviewOut]
    url: str
