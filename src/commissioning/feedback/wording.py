"""What each letter says, in sentences, from the content fixed at the award decision.

One wording serves the page and the DOCX, so the two never differ. It reads
only the letter's stored content (and its kind), which already holds nothing
about any bidder but the addressee and the winner: a feedback letter compares
the bidder's own scores with the winner's, never with another unsuccessful
bidder's.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from commissioning.core import clock
from commissioning.core.formats import format_date, format_datetime
from commissioning.core.money import format_money
from commissioning.evaluation.models import Outcome
from commissioning.evaluation.standstill import last_day_of, rule_in_words

from .models import Letter, LetterKind

TITLES = {
    LetterKind.AWARD: "Award letter",
    LetterKind.FEEDBACK: "Feedback letter",
    LetterKind.OFFER: "Grant offer letter",
    LetterKind.DECLINE: "Grant decision letter",
}
KINDS = {"quality": "Quality", "social_value": "Social value"}


@dataclass(frozen=True)
class CriterionRow:
    """One line of a lot's scores table."""

    label: str
    weight: str
    score: str
    points: str
    winner_points: str | None


@dataclass(frozen=True)
class LotSection:
    """What the letter says about one lot: the outcome, the scores table and the panel's reasons."""

    heading: str
    outcome: str
    successful: bool
    sentences: list[str]
    compared: bool  # the table has a column for the winner's points
    rows: list[CriterionRow]
    total: CriterionRow
    reasons: list[tuple[str, str]]


@dataclass(frozen=True)
class LetterWording:
    """A whole letter, as headings, paragraphs and tables."""

    kind: str
    title: str
    reference: str
    opportunity_title: str
    organisation: str
    decided_on: str
    opening: list[str]
    lots: list[LotSection]
    standstill: str
    compact_clause: str
    closing: list[str] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return f"{self.title}: {self.opportunity_title} ({self.reference})"


def _points(text: str | None) -> str:
    return "" if text is None else text


def standstill_sentence(content: dict) -> str:
    """The standstill: which rule applies and how it is counted, and when it ends once the notice is out.

    Until the award notice's publication is recorded the letter says the
    standstill starts when the notice is published. A letter written before the
    counting rule was recorded keeps its one sentence about the end.
    """
    days = content.get("standstill_days") or 0
    ends = content.get("standstill_ends")
    rule = content.get("standstill_rule")
    if not days:
        return "There is no standstill period: the agreement may be made straight away."
    concerns = "If you have concerns about the decision, raise them with the commissioner before the standstill ends."
    if not rule:
        if not ends:
            return f"A standstill period of {days} working days applies. {concerns}"
        return (
            f"A standstill period of {days} working days applies. It ends at midnight at the end of "
            f"{format_date(last_day_of(datetime.fromisoformat(ends)))}; the contract will not be concluded before "
            f"then. {concerns}"
        )
    notice = rule.get("notice") or "award notice"
    applies = f"A standstill period applies: {rule_in_words(rule, days)}"
    published = content.get("notice_published_at")
    if not ends or not published:
        return (
            f"{applies} The {notice} has not been published yet: the standstill starts when it is, and the "
            f"contract will not be concluded before the standstill ends. {concerns}"
        )
    return (
        f"{applies} The {notice} was published on {format_datetime(datetime.fromisoformat(published))}, so the "
        f"standstill ends at midnight at the end of {format_date(last_day_of(datetime.fromisoformat(ends)))}; the "
        f"contract will not be concluded before then. {concerns}"
    )


def _lot_section(lot: dict, content: dict, grant: bool) -> LotSection:
    scale = content.get("scale") or []
    scale_max = max((level["score"] for level in scale), default=4)
    successful = lot["outcome"] == Outcome.AWARDED
    compared = lot.get("winner_total") is not None
    noun = "application" if grant else "bid"
    sentences: list[str] = []
    if successful:
        what = "grant offered" if grant else "contract value"
        sentences.append(f"Your {noun} was successful. The {what} is {format_money(Decimal(lot['amount']))}.")
    else:
        sentences.append(f"Your {noun} was not successful.")
        if lot.get("reason"):
            sentences.append(f"The reason: {lot['reason'].rstrip('.')}.")
        elif lot.get("rank"):
            sentences.append(f"It ranked {lot['rank']} of {lot['bids']}.")
    sentences.append(
        f"Your {noun} scored {lot['total']} points out of 100"
        + (f"; the successful {noun} scored {lot['winner_total']}." if compared else ".")
    )
    rows = [
        CriterionRow(
            label=f"Question {row['question']} ({KINDS.get(row['kind'], row['kind']).lower()}): {row['text']}",
            weight=f"{Decimal(row['weight']).normalize():f}%",
            score="" if row.get("score") is None else f"{row['score']} of {scale_max}",
            points=_points(row.get("points")),
            winner_points=row.get("winner_points"),
        )
        for row in lot.get("criteria", [])
    ]
    if lot.get("price_points") is not None:
        rows.append(
            CriterionRow(
                label="Price",
                weight=f"{Decimal(content.get('price_weight') or 0).normalize():f}%",
                score="",
                points=lot["price_points"],
                winner_points=lot.get("winner_price_points"),
            )
        )
    total = CriterionRow("Total", "100%", "", lot["total"], lot.get("winner_total"))
    reasons = [(f"Question {row['question']}", row["reason"]) for row in lot.get("criteria", []) if row.get("reason")]
    return LotSection(
        heading=f"Lot {lot['number']}: {lot['title']}",
        outcome="Successful" if successful else "Unsuccessful",
        successful=successful,
        sentences=sentences,
        compared=compared,
        rows=rows,
        total=total,
        reasons=reasons,
    )


def letter_wording(letter: Letter) -> LetterWording:
    """The letter in words, from its stored content."""
    content = letter.content
    opportunity = content["opportunity"]
    grant = opportunity.get("kind") == "grant"
    decided = datetime.fromisoformat(content["decided_at"])
    kind = letter.kind
    title = TITLES.get(kind, "Letter")
    noun = "application" if grant else "bid"
    about = f"{opportunity['title']} ({opportunity['reference']})"
    lots = [_lot_section(lot, content, grant) for lot in content.get("lots", [])]
    against = f" against those of the successful {noun}" if any(lot.compared for lot in lots) else ""
    opening = [f"Thank you for your {noun} for {about}."]
    if kind == LetterKind.AWARD:
        opening.append(
            f"We are pleased to tell you that the award decision made on {format_datetime(decided)} is in your "
            "favour for the lots shown as successful below. This letter gives your scores for each published "
            "criterion."
        )
    elif kind == LetterKind.OFFER:
        opening.append(
            f"We are pleased to offer you a grant, decided on {format_datetime(decided)}, for the lots shown as "
            "successful below. This letter gives the panel's scores and the terms the offer is made on."
        )
    elif kind == LetterKind.DECLINE:
        opening.append(
            f"We are sorry to tell you that the decision made on {format_datetime(decided)} was not to fund your "
            "application. So that you can see how it was judged, this letter gives the panel's scores for each "
            f"published criterion{against}, and the reasons for your scores."
        )
    else:
        opening.append(
            f"We are sorry to tell you that your {noun} was not successful in the award decision made on "
            f"{format_datetime(decided)}. So that you can see how it was judged, this letter gives your scores for "
            f"each published criterion{against}, and the panel's reasons for yours."
        )
    closing = [
        "Points are the moderated score for each answer as a share of the question's weight; the scores were "
        "agreed by the evaluation panel at moderation.",
        "We would welcome your views on how this opportunity was run: you will receive a short survey by e-mail.",
    ]
    return LetterWording(
        kind=kind,
        title=title,
        reference=opportunity["reference"],
        opportunity_title=opportunity["title"],
        organisation=content.get("organisation", ""),
        decided_on=format_date(clock.london(decided).date()),
        opening=opening,
        lots=lots,
        standstill=standstill_sentence(content),
        compact_clause=content.get("compact_clause") or "",
        closing=closing,
    )
