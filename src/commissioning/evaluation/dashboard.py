"""The commissioner's home: the tasks due, then their opportunities in one list to search, filter by stage
and page through, with how the Code stands for each.

Stages run from draft through open and closed to the evaluation's own
(scoring, moderation, recommended, approved) and the award (in standstill,
then awarded). Tasks are what waits on a commissioner: questions to answer,
submissions to open, evaluations to start, scores still to come, answers to
moderate, recommendations to approve (made by someone else), award decisions
to make, letters to send by their day (overdue ones flagged) and standstills
ending. Each opportunity shows its recorded rule outcomes and, once awarded,
where PR-9, PR-10 and PR-11 stand now.

Everything is read in a fixed number of queries however many opportunities
there are: the stage is worked out by the database (:func:`stage_of`), so the
counts per stage, the stage filter and the page of rows come from it directly;
then each kind of row is loaded once for the page and for the opportunities
that can have a task.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse

from commissioning.core import clock
from commissioning.core.workdays import closure_days

# The commissioner's dashboard reads every stage, feedback included: it is the one evaluation module
# that imports a later stage, until it moves to a cross-stage app of its own.
from commissioning.feedback.checks import compact_standing, feedback_standing, letter_overdue, survey_standing
from commissioning.feedback.models import Letter, SurveyInvitation
from commissioning.feedback.surveys import organisations_due
from commissioning.opportunities.models import Clarification, Opportunity
from commissioning.opportunities.models import Status as OpportunityStatus
from commissioning.opportunities.search import matching
from commissioning.practice.checks import CheckResult
from commissioning.practice.models import Outcome as RuleOutcomeKind
from commissioning.practice.models import Rule, RuleOutcome
from commissioning.submissions.models import Opening, SubmissionRecord

from .models import Evaluation, EvaluationStatus, ModeratedScore, Panelist

EVALUATION_RULES = {"PR-9": "surveys", "PR-10": "feedback letters", "PR-11": "offer letters"}

# Stage keys, in the order the dashboard shows them, with their headings.
STAGES = {
    "draft": "Drafts",
    "open": "Open",
    "closed": "Closed",
    EvaluationStatus.SCORING: "Scoring",
    EvaluationStatus.MODERATION: "Moderation",
    EvaluationStatus.RECOMMENDED: "Recommended, waiting for approval",
    EvaluationStatus.APPROVED: "Approved, waiting for the award decision",
    "standstill": "Awarded, in standstill",
    "awarded": "Awarded",
    "ended": "Withdrawn or cancelled",
}
# Stages whose opportunities can have a task due. An awarded one has a task only while a letter is unsent
# or a question unanswered (:func:`_may_have_tasks`); a draft or an ended one never has.
TASK_STAGES = [key for key in STAGES if key not in ("draft", "ended", "awarded")]


@dataclass(frozen=True)
class RuleLine:
    """One rule's standing for an opportunity, as the dashboard shows it."""

    code: str
    title: str
    outcome: str  # "met", "not_met" or "explained"
    detail: str
    about: str = ""  # what the rule was checked on, when not the opportunity itself

    @property
    def outcome_label(self) -> str:
        return RuleOutcomeKind(self.outcome).label


@dataclass
class Row:
    """One opportunity on the dashboard: its stage, the next thing to do, and its rules."""

    opportunity: Opportunity
    stage: str
    evaluation: Evaluation | None = None
    next_step: str = ""
    next_href: str = ""
    rules: list[RuleLine] = field(default_factory=list)

    @property
    def rule_counts(self) -> dict[str, int]:
        counts = {"met": 0, "explained": 0, "not_met": 0}
        for line in self.rules:
            counts[line.outcome] += 1
        return counts

    @property
    def rules_needing_attention(self) -> list[RuleLine]:
        return [line for line in self.rules if line.outcome != RuleOutcomeKind.MET]

    @property
    def stage_label(self) -> str:
        return STAGES[self.stage]


@dataclass(frozen=True)
class Task:
    """Something waiting on a commissioner, with the page to do it on and when it is due."""

    opportunity: Opportunity
    text: str
    href: str
    due: date | datetime | None = None
    overdue: bool = False

    @property
    def due_day(self) -> date | None:
        if isinstance(self.due, datetime):
            return clock.london(self.due).date()
        return self.due


@dataclass(frozen=True)
class DashboardFilter:
    """What the list shows: words to search for, the stages to show (none: every stage), and the page."""

    query: str = ""
    stages: tuple[str, ...] = ()
    page: int | str | None = None


@dataclass
class Dashboard:
    """Every task due, the number of opportunities at each stage, and one page of the filtered list."""

    tasks: list[Task]
    counts: dict[str, int]
    rows: list[Row]
    page: Page

    @property
    def overdue(self) -> list[Task]:
        return [task for task in self.tasks if task.overdue]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def stage_of(now: datetime) -> Case:
    """Each opportunity's dashboard stage at ``now``, as an SQL expression on opportunities.

    The one definition the counts, the stage filter and every row read: a draft;
    withdrawn or cancelled; open (the opportunities' own ``open_at``); closed with
    no evaluation; in standstill while an award waits for its notice or its standstill runs (as
    ``progress.standstill_running`` reads one evaluation); awarded; or the
    evaluation's own status.
    """
    awarded = Q(evaluation__status=EvaluationStatus.AWARDED)
    return Case(
        When(status=OpportunityStatus.DRAFT, then=Value("draft")),
        When(status__in=[OpportunityStatus.WITHDRAWN, OpportunityStatus.CANCELLED], then=Value("ended")),
        When(Exists(Opportunity.objects.open_at(now).filter(pk=OuterRef("pk"))), then=Value("open")),
        When(evaluation__isnull=True, then=Value("closed")),
        # Waiting for the award notice, the standstill has not started: the contract cannot be concluded yet either.
        When(
            awarded & Q(evaluation__standstill_days__gt=0, evaluation__notice_published_at__isnull=True),
            then=Value("standstill"),
        ),
        When(
            awarded & Q(evaluation__standstill_ends__gt=now, evaluation__standstill_days__gt=0),
            then=Value("standstill"),
        ),
        When(awarded, then=Value("awarded")),
        default=F("evaluation__status"),
        output_field=CharField(),
    )


def _may_have_tasks() -> Q:
    """Opportunities (annotated with their stage) that can have a task due, from the rows tasks are made of."""
    unsent = Letter.objects.filter(evaluation__opportunity_id=OuterRef("pk"), sent_at__isnull=True)
    unanswered = Clarification.objects.filter(opportunity_id=OuterRef("pk"), published_at__isnull=True)
    return Q(stage__in=TASK_STAGES) | (Q(stage="awarded") & (Exists(unsent) | Exists(unanswered)))


def _url(name: str, *args) -> str:
    return reverse(name, args=args)


@dataclass
class _Loaded:
    """Every row the dashboard needs, each kind read once for all the opportunities."""

    evaluations: dict[int, Evaluation]
    openings: set[int]
    waiting_questions: dict[int, int]
    panels: dict[int, list[Panelist]]
    bids: dict[int, int]
    questions: dict[int, int]
    moderated: dict[int, int]
    letters: dict[int, list[Letter]]
    surveys_due: dict[int, dict[int, str]]
    surveyed: dict[int, set[int]]
    outcomes: dict[tuple[str, str], list[RuleOutcome]]
    rules: dict[str, Rule]
    closures: frozenset


def _load(opportunities: list[Opportunity]) -> _Loaded:
    ids = [o.pk for o in opportunities]
    evaluations = {
        e.opportunity_id: e
        for e in Evaluation.objects.filter(opportunity_id__in=ids).select_related("recommended_by", "decided_by")
    }
    evaluation_ids = [e.pk for e in evaluations.values()]
    panels: dict[int, list[Panelist]] = defaultdict(list)
    for panelist in Panelist.objects.filter(evaluation_id__in=evaluation_ids).select_related("user"):
        panels[panelist.evaluation_id].append(panelist)
    letters: dict[int, list[Letter]] = defaultdict(list)
    for letter in Letter.objects.filter(evaluation_id__in=evaluation_ids).select_related("submission__organisation"):
        letters[letter.evaluation_id].append(letter)
    surveyed: dict[int, set[int]] = defaultdict(set)
    for evaluation_id, organisation_id in SurveyInvitation.objects.filter(evaluation_id__in=evaluation_ids).values_list(
        "evaluation_id", "organisation_id"
    ):
        surveyed[evaluation_id].add(organisation_id)
    outcomes: dict[tuple[str, str], list[RuleOutcome]] = defaultdict(list)
    recorded = RuleOutcome.objects.filter(superseded_at__isnull=True).filter(
        Q(object_type="opportunities.opportunity", object_id__in=[str(pk) for pk in ids])
        | Q(object_type="evaluation.evaluation", object_id__in=[str(pk) for pk in evaluation_ids])
    )
    for outcome in recorded.select_related("rule").order_by("rule__position", "rule__code"):
        outcomes[(outcome.object_type, outcome.object_id)].append(outcome)
    return _Loaded(
        evaluations=evaluations,
        openings=set(Opening.objects.filter(opportunity_id__in=ids).values_list("opportunity_id", flat=True)),
        waiting_questions=dict(
            Clarification.objects.filter(opportunity_id__in=ids, published_at__isnull=True)
            .values("opportunity_id")
            .annotate(n=Count("pk"))
            .values_list("opportunity_id", "n")
        ),
        panels=panels,
        bids=dict(
            SubmissionRecord.objects.filter(submission__opportunity_id__in=ids, withdrawn_at__isnull=True)
            .values("submission__opportunity_id")
            .annotate(n=Count("submission_id", distinct=True))
            .values_list("submission__opportunity_id", "n")
        ),
        questions=dict(Opportunity.objects.filter(pk__in=ids).annotate(n=Count("questions")).values_list("pk", "n")),
        moderated=dict(
            ModeratedScore.objects.filter(evaluation_id__in=evaluation_ids)
            .values("evaluation_id")
            .annotate(n=Count("pk"))
            .values_list("evaluation_id", "n")
        ),
        letters=letters,
        surveys_due=organisations_due(list(evaluations.values())),
        surveyed=surveyed,
        outcomes=outcomes,
        rules={rule.code: rule for rule in Rule.objects.filter(code__in=EVALUATION_RULES, active=True)},
        closures=closure_days(),
    )


def _evaluation_rules(evaluation: Evaluation, loaded: _Loaded, today: date) -> list[RuleLine]:
    """PR-9, PR-10 and PR-11 as they stand now, from the loaded rows; an explanation stands in for "not met"."""
    if evaluation.status != EvaluationStatus.AWARDED:
        return []
    letters = loaded.letters.get(evaluation.pk, [])
    checks: dict[str, CheckResult] = {}
    if "PR-9" in loaded.rules:
        days = int(loaded.rules["PR-9"].typed_settings["survey_working_days"])
        due = set(loaded.surveys_due.get(evaluation.pk, {}))
        surveyed = loaded.surveyed.get(evaluation.pk, set())
        checks["PR-9"] = survey_standing(evaluation, due, surveyed, days, loaded.closures)
    if "PR-10" in loaded.rules:
        standing = feedback_standing(letters, today)
        checks["PR-10"] = CheckResult(standing.met, standing.detail)
    if "PR-11" in loaded.rules:
        checks["PR-11"] = compact_standing(letters)
    recorded = {o.rule.code: o for o in loaded.outcomes.get(("evaluation.evaluation", str(evaluation.pk)), [])}
    lines = []
    for code, result in checks.items():
        rule = loaded.rules[code]
        explained = recorded.get(code)
        if result.met:
            outcome, detail = RuleOutcomeKind.MET, result.detail
        elif explained is not None and explained.counts_as_explained:
            outcome, detail = RuleOutcomeKind.EXPLAINED, explained.reason
        else:
            outcome, detail = RuleOutcomeKind.NOT_MET, result.detail
        lines.append(RuleLine(code, rule.title, outcome, detail, EVALUATION_RULES[code]))
    return lines


def _recorded_rules(opportunity: Opportunity, loaded: _Loaded) -> list[RuleLine]:
    return [
        RuleLine(
            o.rule.code,
            o.rule.title,
            o.outcome,
            o.reason if o.outcome == RuleOutcomeKind.EXPLAINED else o.detail,
        )
        for o in loaded.outcomes.get(("opportunities.opportunity", str(opportunity.pk)), [])
    ]


def _row_and_tasks(user, opportunity: Opportunity, loaded: _Loaded, now: datetime, today: date):
    evaluation = loaded.evaluations.get(opportunity.pk)
    stage = opportunity.stage
    row = Row(opportunity=opportunity, stage=stage, evaluation=evaluation)
    row.rules = _recorded_rules(opportunity, loaded) + (
        _evaluation_rules(evaluation, loaded, today) if evaluation else []
    )
    reference = opportunity.reference
    tasks: list[Task] = []

    def step(text: str, href: str, *, task: bool = True, due=None, overdue: bool = False) -> None:
        if not row.next_step:
            row.next_step, row.next_href = text, href
        if task:
            tasks.append(Task(opportunity, text, href, due, overdue))

    if opportunity.status == OpportunityStatus.PUBLISHED:
        waiting = loaded.waiting_questions.get(opportunity.pk, 0)
        if waiting:
            step(
                f"Answer {waiting} question{'s' if waiting != 1 else ''}",
                _url("opportunities:clarifications", reference),
                due=opportunity.question_deadline if opportunity.is_open else None,
            )
    if stage == "draft":
        step("Finish and publish the draft", _url("opportunities:manage", reference), task=False)
    elif stage == "open":
        step("Follow the opportunity", _url("opportunities:manage", reference), task=False)
    elif stage == "closed":
        if opportunity.pk not in loaded.openings:
            step("Open the submissions", _url("submissions:opening", reference), due=opportunity.submission_deadline)
        elif loaded.bids.get(opportunity.pk):
            step("Start the evaluation", _url("evaluation:start", reference))
        else:
            step("No submissions to evaluate", _url("submissions:opening", reference), task=False)
    elif stage == EvaluationStatus.SCORING:
        panel = loaded.panels.get(evaluation.pk, [])
        waiting = [p.user.full_name for p in panel if p.scores_submitted_at is None]
        if not panel:
            step("Appoint the evaluation panel", _url("evaluation:panel", reference))
        else:
            step(
                f"Waiting for scores from {len(waiting)} of {len(panel)} evaluators: {', '.join(waiting)}",
                _url("evaluation:panel", reference),
            )
    elif stage == EvaluationStatus.MODERATION:
        expected = loaded.bids.get(opportunity.pk, 0) * loaded.questions.get(opportunity.pk, 0)
        left = max(expected - loaded.moderated.get(evaluation.pk, 0), 0)
        if left:
            step(f"Moderate {left} answer{'s' if left != 1 else ''}", _url("evaluation:moderation", reference))
        else:
            step("Recommend the award", _url("evaluation:recommend", reference))
    elif stage == EvaluationStatus.RECOMMENDED:
        if evaluation.recommended_by_id == getattr(user, "pk", None):
            step(
                "Waiting for another commissioner to approve your recommendation",
                _url("evaluation:overview", reference),
                task=False,
            )
        else:
            who = evaluation.recommended_by.full_name if evaluation.recommended_by else "a colleague"
            step(f"Approve or send back the recommendation made by {who}", _url("evaluation:approve", reference))
    elif stage == EvaluationStatus.APPROVED:
        step("Make the award decision", _url("evaluation:award", reference))
    if evaluation is not None and evaluation.status == EvaluationStatus.AWARDED:
        unsent = [letter for letter in loaded.letters.get(evaluation.pk, []) if letter.sent_at is None]
        if unsent:
            due = min(letter.due_by for letter in unsent)
            overdue = any(letter_overdue(letter, today) for letter in unsent)
            step(
                f"Send {len(unsent)} letter{'s' if len(unsent) != 1 else ''}" + (" (overdue)" if overdue else ""),
                _url("feedback:letters", reference),
                due=due,
                overdue=overdue,
            )
        if stage == "standstill" and evaluation.awaiting_notice:
            notice = (evaluation.standstill_rule or {}).get("notice") or "award notice"
            step(f"Record the {notice} when it is published", _url("evaluation:award-notice", reference))
        elif stage == "standstill":
            # The standstill ends at midnight at the start of the day after its last day: show that last day.
            last_day = clock.london(evaluation.standstill_ends - timedelta(microseconds=1)).date()
            step("Last day of the standstill", _url("evaluation:standstill", reference), due=last_day)
        if not row.next_step:
            lessons = _url("feedback:lessons", reference)
            step("Read the survey answers and write the lessons learned", lessons, task=False)
    return row, tasks


def _due_key(task: Task):
    day = task.due_day
    return (not task.overdue, day is None, day or date.max, task.opportunity.reference, task.text)


def commissioner_dashboard(*, user, opportunities: QuerySet[Opportunity], filters: DashboardFilter) -> Dashboard:
    """The dashboard for opportunities the user commissions (``opportunities_commissioned_by``).

    Guarantees: every task due, whatever the filters, overdue first; the count
    at each stage of all the user's opportunities; one page of those matching
    the filters (the search and the stages), newest first; all in a fixed
    number of queries whatever the number of opportunities. No access check of
    its own: pass only opportunities the user commissions.
    """
    now = clock.now()
    today = clock.london(now).date()
    staged = opportunities.annotate(stage=stage_of(now))
    counts = dict(staged.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    listed = staged
    if filters.query:
        listed = listed.filter(matching(filters.query))
    if filters.stages:
        listed = listed.filter(stage__in=filters.stages)
    page = Paginator(listed, settings.DASHBOARD_PAGE_SIZE).get_page(filters.page)
    shown = list(page.object_list)
    with_tasks = list(staged.filter(_may_have_tasks()))
    loaded = _load(list({o.pk: o for o in [*shown, *with_tasks]}.values()))
    rows = [_row_and_tasks(user, opportunity, loaded, now, today)[0] for opportunity in shown]
    tasks = [task for opportunity in with_tasks for task in _row_and_tasks(user, opportunity, loaded, now, today)[1]]
    return Dashboard(
        tasks=sorted(tasks, key=_due_key),
        counts={key: counts.get(key, 0) for key in STAGES},
        rows=rows,
        page=page,
    )
