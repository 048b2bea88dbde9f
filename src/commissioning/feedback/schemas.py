"""API shapes of a bidder's own results and letters after the award.

Points are text with two decimal places ("72.50"); times are ISO 8601 with
their offset.
"""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from commissioning.evaluation.models import Outcome
from commissioning.evaluation.schemas import POINTS, AwardOpportunityOut, StandstillOut

from .models import LetterKind


class CriterionResultOut(Schema):
    question: int
    text: str
    kind: str
    weight: str = Field(description="The question's weight, in percent, as text")
    score: int | None = Field(description="Your moderated score on the published scale")
    points: str = Field(pattern=POINTS, description="Your points for the question")
    winner_points: str | None = Field(description="The successful bid's points; None when yours is the successful bid")
    reason: str = Field(description="The panel's reason for your score")


class LotResultOut(Schema):
    number: int
    title: str
    outcome: Outcome
    amount: str | None = Field(description="The contract value or grant awarded to you, when successful")
    rank: int | None
    bids: int = Field(description="How many bids the lot had")
    reason: str
    total: str = Field(pattern=POINTS, description="Your total points out of 100")
    price_points: str | None
    winner_total: str | None = Field(description="The successful bid's total; None when yours is the successful bid")
    winner_price_points: str | None
    criteria: list[CriterionResultOut]


class LetterLinkOut(Schema):
    id: int
    kind: LetterKind
    sent_at: datetime
    url: str = Field(description="The letter's page")
    docx_url: str = Field(description="The letter as a Word document")


class BidResultsOut(Schema):
    """Your bid's results after the award: only your own scores, and the successful bid's."""

    submission: str = Field(description="Your bid's id")
    opportunity: AwardOpportunityOut
    organisation: str = Field(description="Your organisation's slug")
    decided_at: datetime
    standstill: StandstillOut | None
    lots: list[LotResultOut]
    letters: list[LetterLinkOut] = Field(description="The letters sent to you so far")


class LetterOut(LetterLinkOut):
    """A letter sent to you, as written at the award decision."""

    title: str
    written_at: datetime
    opening: list[str]
    lots: list[LotResultOut]
    standstill: str
    compact_clause: str = Field(description="The Compact for Leeds clause, in a grant offer letter")
