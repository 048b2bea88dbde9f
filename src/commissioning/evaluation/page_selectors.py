"""What each evaluation page shows, read in one place so that the views only choose a page.

Every function here either checks who is asking itself (``start_page_for``)
or takes what a checked selector already gave the caller: an evaluation loaded
through :func:`.selectors.evaluation_get_for_commissioner` (the opportunity's
commissioners only), or a place on the panel loaded through
:func:`.selectors.panelist_get_for` (that evaluator only). What a panelist may
see of the bids and of the others' scores is decided in :mod:`.selectors`
(``bids_visible_to_panelist``, ``others_scores_on_bid``) and nowhere else.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from commissioning.opportunities.models import Opportunity, StandstillRule
from commissioning.opportunities.selectors import opportunity_get_for_commissioner
from commissioning.submissions.models import Opening

from . import events, progress, selectors, services
from .models import Evaluation, Panelist, PriceClarification, ScaleLevel, Score
from .progress import Step
from .selectors import BidView, LotPrices, PriceRow, answer_paragraphs, scale_label
from .standstill import rule_in_words


def _answers(bid: BidView) -> dict[int, str]:
    return {answer["question"]: answer["text"] for answer in bid.document.get("answers", [])}


# The administrator's and the start page ----------------------------------------------


def scale_levels() -> list[ScaleLevel]:
    """The published scoring scale, lowest score first. Public: the scale is published to bidders."""
    return list(ScaleLevel.objects.all())


@dataclass(frozen=True)
class StartPage:
    """The start page of an opportunity's evaluation: whether it has started, its opening and the scale."""

    opportunity: Opportunity
    started: bool
    opening: Opening | None
    scale: list[ScaleLevel]


def start_page_for(*, user, reference: str) -> StartPage:
    """The start page, for the opportunity's commissioners only: 404 for anyone else."""
    opportunity = opportunity_get_for_commissioner(user=user, reference=reference)
    return StartPage(
        opportunity=opportunity,
        started=Evaluation.objects.filter(opportunity=opportunity).exists(),
        opening=Opening.objects.filter(opportunity=opportunity).select_related("opened_by").first(),
        scale=scale_levels(),
    )


# The commissioner's pages -------------------------------------------------------------


def panel_for(evaluation: Evaluation, *, with_declarations: bool = False) -> list[Panelist]:
    """The evaluation's panel in appointment order, with each evaluator's declarations when asked.

    No access check: for an evaluation loaded through ``evaluation_get_for_commissioner``.
    """
    panel = evaluation.panelists.select_related("user")
    if with_declarations:
        panel = panel.prefetch_related("declarations__submission__organisation")
    return list(panel)


def panelist_on_panel(evaluation: Evaluation, pk) -> Panelist:
    """One evaluator on this evaluation's panel, or 404 (an evaluator on another panel included).

    No access check beyond the evaluation's: for an evaluation loaded through
    ``evaluation_get_for_commissioner``.
    """
    panelist = evaluation.panelists.select_related("user").filter(pk=pk if str(pk or "").isdigit() else 0).first()
    if panelist is None:
        raise Http404
    return panelist


@dataclass(frozen=True)
class TaskList:
    """The evaluation overview: each step as a task, how many bids count and the viewer's own place."""

    steps: list[Step]
    bids: int
    on_panel: Panelist | None


def task_list_for(*, evaluation: Evaluation, user) -> TaskList:
    """The overview's tasks, each in the state its own page reads (see :mod:`.progress`), then those
    later stages add (:data:`.events.overview_tasks`); ``on_panel`` is the user's place on the panel.

    No access check: for an evaluation loaded through ``evaluation_get_for_commissioner``.
    """
    reference = evaluation.opportunity.reference
    panel = panel_for(evaluation)
    bids = selectors.bids_for(evaluation)
    answers = len(bids) * evaluation.opportunity.questions.count()
    moderated = evaluation.moderated.count()

    def url(name):
        return reverse(f"evaluation:{name}", args=[reference])

    steps = [
        Step(
            "Appoint the panel",
            url("panel"),
            progress.panel_state(panel),
            "Evaluators declare any conflicts of interest, then score each answer",
        ),
        Step("Scoring", url("panel"), progress.scoring_state(evaluation, panel)),
        Step(
            "Moderate the scores",
            url("moderation"),
            progress.moderation_state(evaluation, moderated, answers),
            "Agree a consensus score for each answer, with the rationale",
        ),
        Step(
            "Check the prices",
            url("prices"),
            progress.prices_state(evaluation),
            "Abnormally low prices are clarified with the bidder",
        ),
        Step("Results for each lot", url("results"), progress.results_state(evaluation)),
        Step("Recommend the award", url("recommend"), progress.recommendation_state(evaluation)),
        Step("Approval by a second commissioner", url("approve"), progress.approval_state(evaluation)),
        Step("Make the award decision", url("award"), progress.award_state(evaluation)),
        Step(
            "Standstill",
            url("standstill"),
            progress.standstill_state(evaluation),
            "The contract cannot be concluded until it ends",
        ),
    ] + [step for steps in events.overview_tasks.call(evaluation) for step in steps]
    mine = next((p for p in panel if p.user_id == getattr(user, "pk", None)), None)
    return TaskList(steps=steps, bids=len(bids), on_panel=mine)


def clarifications_for(evaluation: Evaluation) -> dict[tuple[int, int], PriceClarification]:
    """The price clarifications recorded, by (submission, lot), with who recorded each.

    No access check: for an evaluation loaded through ``evaluation_get_for_commissioner``.
    """
    return {(c.submission_id, c.lot_id): c for c in evaluation.clarifications.select_related("recorded_by")}


def abnormally_low_row(lots: list[LotPrices], key: str) -> tuple[object, PriceRow]:
    """The lot and the price row named ``<submission>-<lot>`` among the abnormally low ones, or 404.

    Only an abnormally low price may be clarified, so any other row answers 404 too.
    """
    submission_pk, _, lot_pk = (key or "").partition("-")
    for lot_prices in lots:
        for row in lot_prices.rows:
            if row.abnormally_low and str(row.bid.submission.pk) == submission_pk and str(lot_prices.lot.pk) == lot_pk:
                return lot_prices.lot, row
    raise Http404


def results_sheet_for(evaluation: Evaluation) -> dict:
    """Each lot's bids ranked, with every component of their scores, its price and any clarification,
    as the results and recommendation pages show them.

    No access check: for an evaluation loaded through ``evaluation_get_for_commissioner``.
    """
    opportunity = evaluation.opportunity
    questions = list(opportunity.questions.all())
    clarifications = {(c.submission_id, c.lot_id): c for c in evaluation.clarifications.all()}
    lots = []
    for lot_results in selectors.results_for(evaluation):
        rows = []
        for result in lot_results.results:
            bid = lot_results.bids[result.key]
            rows.append(
                {
                    "result": result,
                    "bid": bid,
                    "price": bid.price_for(lot_results.lot.number),
                    "components": [result.components[str(q.pk)] for q in questions],
                    "clarification": clarifications.get((bid.submission.pk, lot_results.lot.pk)),
                }
            )
        lots.append({"lot": lot_results.lot, "rows": rows, "missing": lot_results.missing, "results": lot_results})
    return {
        "opportunity": opportunity,
        "evaluation": evaluation,
        "questions": questions,
        "lots": lots,
        "clarifications": clarifications,
        "priced": opportunity.price_weight > 0,
    }


def _level_at_top(lot_results, clarifications) -> list:
    """The bids level on every tie-break at the top of a lot, among those that may win."""
    eligible = [
        r
        for r in lot_results.results
        if not (
            r.abnormally_low and not getattr(clarifications.get((int(r.key), lot_results.lot.pk)), "accepted", False)
        )
    ]
    if not eligible:
        return []
    top = [r for r in eligible if r.rank == eligible[0].rank]
    return [lot_results.bids[r.key] for r in top] if len(top) > 1 else []


@dataclass(frozen=True)
class RecommendationChoices:
    """What a recommendation must choose: the bids level at the top of a lot (a tender) and each
    application to decide (a grant round), with what stops any lot being scored."""

    ties: list
    applications: list
    missing: list[str]


def recommendation_choices_for(sheet: dict, *, grant: bool) -> RecommendationChoices:
    """The choices a recommendation makes, from the results sheet (:func:`results_sheet_for`).

    An abnormally low price not accepted on clarification never wins, so it is never offered in a tie.
    """
    ties, applications = [], []
    for entry in sheet["lots"]:
        lot_results = entry["results"]
        if grant:
            applications.extend((lot_results.lot, lot_results.bids[r.key], r) for r in lot_results.results)
        elif lot_results.results and (level := _level_at_top(lot_results, sheet["clarifications"])):
            ties.append((lot_results.lot, level))
    missing = [m for entry in sheet["lots"] for m in entry["missing"]]
    return RecommendationChoices(ties, applications, missing)


@dataclass(frozen=True)
class AwardStandstill:
    """The standstill the award decision will set: the regime's rule, whether its length is the
    commissioner's to set (voluntary, up to ``max_days``), the length it fixes otherwise, and the rule
    in words."""

    rule: StandstillRule | None
    voluntary: bool
    fixed_days: int
    max_days: int
    rule_words: str


def award_standstill_for(evaluation: Evaluation) -> AwardStandstill:
    """The standstill rule of the evaluated opportunity's regime, as the award page offers it.

    No access check: the rules are published; for an evaluation loaded through
    ``evaluation_get_for_commissioner``.
    """
    rule = services.standstill_rule_for(evaluation.opportunity.regime)
    voluntary = bool(rule and rule.voluntary)
    fixed_days = rule.working_days if rule else 0
    words = (
        rule_in_words(rule.snapshot(), None if voluntary else fixed_days) if rule and (voluntary or fixed_days) else ""
    )
    return AwardStandstill(rule, voluntary, fixed_days, rule.max_working_days if rule else 0, words)


def decisions_for(evaluation: Evaluation) -> list:
    """The evaluation's decisions (recommended, approved or made) with their lot and organisation.

    No access check: for an evaluation loaded through ``evaluation_get_for_commissioner``.
    """
    return list(evaluation.decisions.select_related("lot", "organisation"))


def decisions_page_for(evaluation: Evaluation) -> dict:
    """What the approval, award and standstill pages share: the evaluation and its decisions.

    No access check: for an evaluation loaded through ``evaluation_get_for_commissioner``.
    """
    return {
        "opportunity": evaluation.opportunity,
        "evaluation": evaluation,
        "decisions": decisions_for(evaluation),
        "grant": evaluation.opportunity.kind == "grant",
    }


# The evaluator's pages ----------------------------------------------------------------


def _scored_counts(panelist: Panelist) -> dict[int, int]:
    counts: dict[int, int] = {}
    for submission_id in panelist.scores.values_list("submission_id", flat=True):
        counts[submission_id] = counts.get(submission_id, 0) + 1
    return counts


@dataclass(frozen=True)
class PanelPlace:
    """An evaluator's place once declared: each bid they may score with how many answers they have
    scored, the bids they are conflicted with, and the number of questions."""

    bids: list[tuple[BidView, int]]
    conflicted: list
    questions: int

    @property
    def all_scored(self) -> bool:
        return all(scored >= self.questions for _, scored in self.bids)


def panel_place_for(panelist: Panelist) -> PanelPlace:
    """The evaluator's own bids to score (never a conflicted one, none before declaring).

    For a place loaded through ``panelist_get_for``: only that evaluator's.
    """
    scored = _scored_counts(panelist)
    return PanelPlace(
        bids=[(bid, scored.get(bid.submission.pk, 0)) for bid in selectors.bids_visible_to_panelist(panelist)],
        conflicted=list(panelist.declarations.filter(conflicted=True).select_related("submission__organisation")),
        questions=panelist.evaluation.opportunity.questions.count(),
    )


@dataclass(frozen=True)
class BidSheet:
    """One bid as its evaluator scores it: the questions, the answers' text, the evaluator's own scores
    by question, the other evaluators' scores by question (empty until they may see them) and the
    lots bid for with their titles."""

    questions: list
    paragraphs: dict[int, list[str]]
    mine: dict[int, Score]
    others: dict[int, list[Score]]
    lots: list[tuple[int, str]]

    def initial(self) -> dict:
        """The evaluator's saved scores as the scores form's initial data."""
        values = {}
        for question in self.questions:
            if question.pk in self.mine:
                values[f"score-{question.number}"] = self.mine[question.pk].score
                values[f"justification-{question.number}"] = self.mine[question.pk].justification
        return values


def bid_sheet_for(panelist: Panelist, shown: BidView) -> BidSheet:
    """The scoring sheet of a bid given by ``bid_for_panelist`` (so one this evaluator may read).

    The others' scores come from ``others_scores_on_bid``: none until this evaluator has submitted.
    """
    opportunity = panelist.evaluation.opportunity
    questions = list(opportunity.questions.all())
    texts = _answers(shown)
    lot_titles = {lot.number: lot.title for lot in opportunity.lots.all()}
    return BidSheet(
        questions=questions,
        paragraphs={q.pk: answer_paragraphs(texts.get(q.number, "")) for q in questions},
        mine={s.question_id: s for s in panelist.scores.filter(submission=shown.submission)},
        others=selectors.others_scores_on_bid(panelist, shown),
        lots=[(lot["number"], lot_titles.get(lot["number"], lot["title"])) for lot in shown.document["lots"]],
    )


def next_bid_to_score(panelist: Panelist, shown: BidView) -> BidView | None:
    """The next bid after ``shown`` (wrapping round) with an answer this evaluator has still to score;
    None when every answer of every bid they may score is scored."""
    visible = selectors.bids_visible_to_panelist(panelist)
    questions = panelist.evaluation.opportunity.questions.count()
    counts = _scored_counts(panelist)
    keys = [b.submission.pk for b in visible]
    start_at = keys.index(shown.submission.pk) + 1 if shown.submission.pk in keys else 0
    for candidate in visible[start_at:] + visible[:start_at]:
        if counts.get(candidate.submission.pk, 0) < questions:
            return candidate
    return None


def check_sheet_for(panelist: Panelist) -> list[dict]:
    """The evaluator's own scores on each bid they may score, question by question, with how many are
    missing. For a place loaded through ``panelist_get_for``: only that evaluator's scores."""
    evaluation = panelist.evaluation
    questions = list(evaluation.opportunity.questions.all())
    mine = {(s.submission_id, s.question_id): s for s in panelist.scores.all()}
    sections = []
    for shown in selectors.bids_visible_to_panelist(panelist):
        rows = []
        for question in questions:
            score = mine.get((shown.submission.pk, question.pk))
            rows.append(
                {"question": question, "score": score, "label": scale_label(evaluation, score.score) if score else ""}
            )
        sections.append({"bid": shown, "rows": rows, "missing": sum(1 for r in rows if r["score"] is None)})
    return sections
