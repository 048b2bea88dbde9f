"""Reads of an evaluation, scoped to who is asking.

- The opportunity's commissioners see everything: every panelist's scores side
  by side, the moderated scores, the results and the decisions.
- A panelist sees the bids they declared no conflict with, and only after
  declaring against every bidder; they see other panelists' scores only once
  they have submitted their own, and never a bid they are conflicted with.
- A bidder sees its own results and letters once the award decision is made,
  and of the others only the winner's scores: never another unsuccessful
  bidder's. Anything else answers 404.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from commissioning.accounts.models import Membership, OrganisationStatus, Role
from commissioning.core import clock
from commissioning.core.workdays import closure_days, working_days_between_db
from commissioning.opportunities.models import Opportunity
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.submissions.models import Submission, SubmissionRecord
from commissioning.submissions.selectors import counted_records

from . import scoring
from .models import (
    ConflictDeclaration,
    Decision,
    Evaluation,
    EvaluationStatus,
    ModeratedScore,
    Outcome,
    Panelist,
    Score,
)
from .permissions import PANEL_ROLES
from .progress import standstill_running
from .standstill import last_day_of, rule_in_words, standstill_first_day


@dataclass(frozen=True)
class BidView:
    """A counted bid as evaluation sees it: the submission, its record and its document."""

    submission: Submission
    record: SubmissionRecord

    @property
    def document(self) -> dict:
        return self.record.document

    @property
    def organisation(self):
        return self.submission.organisation

    def price_for(self, lot_number: int) -> Decimal | None:
        for lot in self.document["lots"]:
            if lot["number"] == lot_number:
                return Decimal(lot["price"]) if lot["price"] is not None else None
        return None

    def bids_for(self, lot_number: int) -> bool:
        return any(lot["number"] == lot_number for lot in self.document["lots"])


def bids_for(evaluation: Evaluation) -> list[BidView]:
    """Every counted bid of the evaluated opportunity. No access check: for services and checked selectors."""
    return [BidView(record.submission, record) for record in counted_records(evaluation.opportunity)]


def evaluation_get_for_commissioner(*, user, reference: str) -> Evaluation:
    """The evaluation of an opportunity the user commissions, or 404."""
    evaluation = (
        Evaluation.objects.select_related("opportunity", "recommended_by", "approved_by", "decided_by")
        .filter(opportunity__reference=reference)
        .first()
    )
    if evaluation is None or not is_commissioner_for(user, evaluation.opportunity):
        raise Http404
    return evaluation


def panelist_get_for(*, user, reference: str) -> Panelist:
    """The user's own place on the panel for an opportunity, or 404."""
    panelist = (
        Panelist.objects.select_related("evaluation__opportunity", "user")
        .filter(evaluation__opportunity__reference=reference, user=user)
        .first()
        if user and user.is_authenticated
        else None
    )
    if panelist is None:
        raise Http404
    return panelist


def panel_places_for(*, user) -> list[Panelist]:
    """The panels the user sits on, newest first."""
    if not (user and user.is_authenticated):
        return []
    return list(Panelist.objects.filter(user=user).select_related("evaluation__opportunity").order_by("-appointed_at"))


def bids_visible_to_panelist(panelist: Panelist) -> list[BidView]:
    """The bids this panelist may read and score: none before declaring, never a conflicted one."""
    if panelist.declared_at is None:
        return []
    conflicted = set(panelist.declarations.filter(conflicted=True).values_list("submission_id", flat=True))
    return [bid for bid in bids_for(panelist.evaluation) if bid.submission.pk not in conflicted]


def bid_for_panelist(panelist: Panelist, public_id) -> BidView:
    """One bid this panelist may read, or 404 (including a bid they are conflicted with)."""
    for bid in bids_visible_to_panelist(panelist):
        if str(bid.submission.public_id) == str(public_id):
            return bid
    raise Http404


def others_scores_for_panelist(panelist: Panelist) -> list[Score]:
    """Other panelists' scores: only once this panelist has submitted their own, and never for a conflicted bid."""
    if panelist.scores_submitted_at is None:
        return []
    visible = {bid.submission.pk for bid in bids_visible_to_panelist(panelist)}
    return list(
        Score.objects.filter(panelist__evaluation=panelist.evaluation, submission_id__in=visible)
        .exclude(panelist=panelist)
        .select_related("panelist__user", "question")
    )


def others_scores_on_bid(panelist: Panelist, bid: BidView) -> dict[int, list[Score]]:
    """The other evaluators' scores on one bid, by question: empty until this panelist has submitted
    their own, and empty for a bid they may not read (a conflicted one included).

    The one place the rule "no one sees the others' scores while still scoring" is applied for the
    evaluator's pages.
    """
    grouped: dict[int, list[Score]] = defaultdict(list)
    for score in others_scores_for_panelist(panelist):
        if score.submission_id == bid.submission.pk:
            grouped[score.question_id].append(score)
    return dict(grouped)


def scores_side_by_side(evaluation: Evaluation) -> dict[tuple[int, int], list[Score]]:
    """Every individual score by (submission, question), for moderation. No access check."""
    grouped: dict[tuple[int, int], list[Score]] = defaultdict(list)
    for score in Score.objects.filter(panelist__evaluation=evaluation).select_related("panelist__user"):
        grouped[(score.submission_id, score.question_id)].append(score)
    return grouped


def moderated_scores(evaluation: Evaluation) -> dict[tuple[int, int], ModeratedScore]:
    """The consensus score of each answer, by (submission, question). No access check: callers have one."""
    return {(m.submission_id, m.question_id): m for m in evaluation.moderated.all()}


@dataclass(frozen=True)
class LotResults:
    """One lot's ranked results, computed from the moderated scores."""

    lot: object
    results: list[scoring.Result]
    bids: dict[str, BidView]
    missing: list[str]  # what stops the lot being scored, as sentences


def _priced(lot, opportunity: Opportunity) -> bool:
    """Whether bids for ``lot`` compete on price (not a fixed-price lot or a grant's maximum award)."""
    return lot.pricing not in ("fixed", "max_award") and opportunity.price_weight > 0


def results_for(evaluation: Evaluation) -> list[LotResults]:
    """Each lot's bids scored from the moderated scores and the prices, best first. No access check.

    A lot whose bids are not all moderated yet comes back with what is missing
    and no results.
    """
    opportunity: Opportunity = evaluation.opportunity
    questions = [q for q in opportunity.questions.all()]
    criteria = [scoring.Criterion(str(q.pk), q.kind, q.weight) for q in questions]
    moderated = moderated_scores(evaluation)
    bids = bids_for(evaluation)
    out: list[LotResults] = []
    for lot in opportunity.lots.all():
        lot_bids = [bid for bid in bids if bid.bids_for(lot.number)]
        missing = []
        inputs = []
        for bid in lot_bids:
            scores = {}
            for question in questions:
                found = moderated.get((bid.submission.pk, question.pk))
                if found is None:
                    missing.append(f"{bid.organisation.name}: question {question.number} is not moderated yet")
                else:
                    scores[str(question.pk)] = found.score
            inputs.append(scoring.Bid(key=str(bid.submission.pk), scores=scores, price=bid.price_for(lot.number)))
        results = []
        if not missing and inputs:
            results = scoring.score_lot(
                criteria=criteria,
                bids=inputs,
                scale_max=evaluation.scale_max,
                price_weight=opportunity.price_weight,
                fixed_price=lot.pricing in ("fixed", "max_award"),
            )
        out.append(LotResults(lot, results, {str(b.submission.pk): b for b in lot_bids}, missing))
    return out


def bid_outcomes_for(submissions) -> dict[int, str]:
    """For bids whose award is decided: "Successful" when it won a lot, "Unsuccessful" otherwise (one query).

    Only for bids the caller already may see (the provider's own): no access check.
    """
    won: dict[int, bool] = {}
    for submission_id, outcome in Decision.objects.filter(
        submission__in=submissions, evaluation__status=EvaluationStatus.AWARDED
    ).values_list("submission_id", "outcome"):
        won[submission_id] = won.get(submission_id, False) or outcome == Outcome.AWARDED
    return {pk: "Successful" if success else "Unsuccessful" for pk, success in won.items()}


def conflicts_for(evaluation: Evaluation) -> dict[int, list[ConflictDeclaration]]:
    """The conflicts declared on the panel, by submission id, for moderation. No access check."""
    grouped: dict[int, list[ConflictDeclaration]] = defaultdict(list)
    declared = ConflictDeclaration.objects.filter(panelist__evaluation=evaluation, conflicted=True).select_related(
        "panelist__user"
    )
    for declaration in declared:
        grouped[declaration.submission_id].append(declaration)
    return grouped


def panel_candidates_for(evaluation: Evaluation) -> list[Membership]:
    """Who may be appointed to the panel: people holding an evaluator, commissioner or partnership
    reviewer role at one of the opportunity's commissioning bodies or at a partner organisation (one
    where a partnership reviewer sits), not already on the panel and not acting for a bidder.
    One membership per person, commissioning bodies first. No access check.
    """
    opportunity = evaluation.opportunity
    bodies = [body.pk for body in opportunity.commissioners]
    partners = Membership.objects.filter(role=Role.PARTNERSHIP_REVIEWER).values("organisation_id")
    bidders = {bid.organisation.pk for bid in bids_for(evaluation)}
    on_panel = evaluation.panelists.values("user_id")
    memberships = (
        Membership.objects.filter(role__in=PANEL_ROLES, user__is_active=True)
        .filter(Q(organisation_id__in=bodies) | Q(organisation_id__in=partners))
        .exclude(organisation__status__in=[OrganisationStatus.REJECTED, OrganisationStatus.SUSPENDED])
        .exclude(user_id__in=on_panel)
        .exclude(user__memberships__organisation_id__in=bidders)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user_id", "role")
    )
    chosen: dict[int, Membership] = {}
    for membership in memberships:
        current = chosen.get(membership.user_id)
        if current is None or (current.organisation_id not in bodies and membership.organisation_id in bodies):
            chosen[membership.user_id] = membership
    return sorted(chosen.values(), key=lambda m: (m.organisation_id not in bodies, m.user.full_name.lower(), m.pk))


@dataclass(frozen=True)
class PriceRow:
    """One bid's price on a lot, with its share of the lot's average and whether it is abnormally low."""

    bid: BidView
    price: Decimal | None
    share_of_average: Decimal | None  # the price as a percentage of the lot's average price
    abnormally_low: bool


@dataclass(frozen=True)
class LotPrices:
    """The prices bid for one lot, their average, and each bid's row."""

    lot: object
    priced: bool
    average: Decimal | None
    rows: list[PriceRow]


def prices_for(evaluation: Evaluation) -> list[LotPrices]:
    """Each lot's prices, with the ones under the abnormally-low share of the average flagged.

    The flags are the ones ``results_for`` gives (the same rule over the same
    prices), available before moderation is finished so that prices can be
    clarified meanwhile. No access check.
    """
    opportunity: Opportunity = evaluation.opportunity
    bids = bids_for(evaluation)
    out: list[LotPrices] = []
    for lot in opportunity.lots.all():
        lot_bids = [bid for bid in bids if bid.bids_for(lot.number)]
        prices = [bid.price_for(lot.number) for bid in lot_bids]
        known = [p for p in prices if p is not None]
        priced = _priced(lot, opportunity)
        average = sum(known, Decimal(0)) / len(known) if known else None
        rows = [
            PriceRow(
                bid=bid,
                price=price,
                share_of_average=scoring.points(price * 100 / average) if price is not None and average else None,
                abnormally_low=bool(
                    priced and price is not None and len(known) == len(prices) and scoring.abnormally_low(price, known)
                ),
            )
            for bid, price in zip(lot_bids, prices, strict=True)
        ]
        out.append(LotPrices(lot, priced, average, rows))
    return out


def may_conclude_contract(evaluation: Evaluation, moment=None) -> bool:
    """Whether the contract may be concluded: the award is decided and its standstill, if any, has ended.

    A standstill whose notice's publication is not recorded has not started, so it has not ended.
    """
    if evaluation.status != EvaluationStatus.AWARDED or evaluation.standstill_ends is None:
        return False
    return (moment or clock.now()) >= evaluation.standstill_ends


def standstill_countdown_for(*, evaluation: Evaluation) -> dict:
    """What the standstill page shows for an evaluation already loaded through a checked selector.

    ``state`` is "not_awarded", "none" (no standstill: the contract may be
    concluded), "awaiting_notice" (the notice's publication is not recorded, so
    the standstill has not started and the contract cannot be concluded),
    "running" or "ended". ``rule_words`` says which rule applies and how it is
    counted; the rest is read from the evaluation's own record and the clock.
    """
    context: dict = {"awarded": evaluation.status == EvaluationStatus.AWARDED, "state": "not_awarded"}
    if not context["awarded"]:
        return context
    days = evaluation.standstill_days or 0
    rule = evaluation.standstill_rule or {}
    context |= {
        "days": days,
        "notice": rule.get("notice") or "award notice",
        "rule_words": rule_in_words(rule, days) if days else "",
        "may_conclude": False,
    }
    now = clock.now()
    if not days:
        return context | {"state": "none", "may_conclude": may_conclude_contract(evaluation, now)}
    if evaluation.awaiting_notice or evaluation.standstill_ends is None:
        return context | {"state": "awaiting_notice"}
    ends = evaluation.standstill_ends
    last_day = last_day_of(ends)
    today = clock.today()
    running = standstill_running(evaluation, now)
    return context | {
        "state": "running" if running else "ended",
        "running": running,
        "ends": ends,
        "first_day": standstill_first_day(clock.london(evaluation.notice_published_at).date(), rule, closure_days()),
        "last_day": last_day,
        "days_left": max(working_days_between_db(today, last_day), 0) if running else 0,
        "last_day_today": running and today == last_day,
        "may_conclude": may_conclude_contract(evaluation, now),
    }


@dataclass(frozen=True)
class SheetAnswer:
    """One answer on a moderation sheet: the question, the answer's text, every evaluator's score beside
    the others (a conflicted evaluator marked as such), the spread, and the consensus if agreed."""

    question: object
    paragraphs: list[str]
    scores: list[dict]
    spread: int
    moderated: ModeratedScore | None

    @property
    def anchor_suffix(self) -> str:
        return str(self.question.number)


@dataclass(frozen=True)
class ModerationSheet:
    """One bid's sheet: its answers in question order, how many are agreed, and the agreed values as a
    form's initial data (``score-<n>``, ``rationale-<n>``)."""

    bid: BidView
    answers: list[SheetAnswer]

    @property
    def agreed(self) -> int:
        return sum(1 for answer in self.answers if answer.moderated)

    @property
    def initial(self) -> dict:
        values = {}
        for answer in self.answers:
            if answer.moderated:
                values[f"score-{answer.question.number}"] = answer.moderated.score
                values[f"rationale-{answer.question.number}"] = answer.moderated.rationale
        return values


def scale_label(evaluation: Evaluation, score: int | None) -> str:
    """A score as the evaluation's scale names it ("3: Good"); blank for no score."""
    for level in evaluation.scale:
        if level["score"] == score:
            return f"{score}: {level['label']}"
    return "" if score is None else str(score)


def answer_paragraphs(text: str) -> list[str]:
    """An answer's text as its paragraphs (blank lines between them), empty ones left out."""
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def moderation_sheet_for(evaluation: Evaluation) -> list[ModerationSheet]:
    """Every counted bid's moderation sheet, in a fixed number of queries whatever the number of bids.

    Empty while the evaluation is at scoring: nothing of the scores shows until
    every evaluator has submitted (a commissioner on the panel must not see the
    others' scores first). No access check: for a commissioner's page that
    loaded the evaluation through ``evaluation_get_for_commissioner``.
    """
    if evaluation.status == EvaluationStatus.SCORING:
        return []
    questions = list(evaluation.opportunity.questions.all())
    bids = bids_for(evaluation)
    if not bids:
        return []
    panel = list(evaluation.panelists.select_related("user"))
    side = scores_side_by_side(evaluation)
    agreed = moderated_scores(evaluation)
    conflicts = conflicts_for(evaluation)
    sheets = []
    for bid in bids:
        texts = {answer["question"]: answer["text"] for answer in bid.document.get("answers", [])}
        conflicted = {d.panelist_id for d in conflicts.get(bid.submission.pk, [])}
        answers = []
        for question in questions:
            by_panelist = {s.panelist_id: s for s in side.get((bid.submission.pk, question.pk), [])}
            scores = []
            for panelist in panel:
                found = by_panelist.get(panelist.pk)
                scores.append(
                    {
                        "panelist": panelist,
                        "conflicted": panelist.pk in conflicted,
                        "score": found.score if found else None,
                        "label": scale_label(evaluation, found.score) if found else "",
                        "justification": found.justification if found else "",
                    }
                )
            given = [s["score"] for s in scores if s["score"] is not None]
            answers.append(
                SheetAnswer(
                    question,
                    answer_paragraphs(texts.get(question.number, "")),
                    scores,
                    scoring.spread(given),
                    agreed.get((bid.submission.pk, question.pk)),
                )
            )
        sheets.append(ModerationSheet(bid, answers))
    return sheets
