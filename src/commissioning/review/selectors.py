"""Reads for the cross-stage pages: the commissioner's home and the provider's bids with their outcomes.

The commissioner's home lists the tasks due, then their opportunities in one
list to search, filter by stage and page through, with how the Code stands
for each. Stages run from draft through open and closed to the evaluation's
own (scoring, moderation, recommended, approved) and the award (in
standstill, then awarded). The tasks, and each opportunity's next step, come
from every stage's task sources (:mod:`commissioning.core.worklist`); this
module only gathers them. Each opportunity shows its recorded rule outcomes
and, once awarded, where PR-9, PR-10 and PR-11 stand now.

Everything is read in a fixed number of queries however many opportunities
there are: the stage is worked out by the database (:func:`stage_of`), so the
counts per stage, the stage filter and the page of rows come from it
directly; then each source reads its rows once for the page and for the
opportunities that can have a task.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from commissioning.core import clock
from commissioning.core.workdays import closure_days
from commissioning.core.worklist import Task, WorklistContext, tasks_for
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.evaluation.selectors import bid_outcomes_for
from commissioning.evaluation.worklist import EvaluationRows, evaluation_rows
from commissioning.feedback.checks import compact_standing, feedback_standing, survey_standing
from commissioning.feedback.models import Letter, SurveyInvitation
from commissioning.feedback.surveys import organisations_due
from commissioning.feedback.worklist import letters_among
from commissioning.opportunities.models import Clarification, Opportunity
from commissioning.opportunities.models import Status as OpportunityStatus
from commissioning.opportunities.search import matching
from commissioning.opportunities.selectors import opportunities_commissioned_by
from commissioning.practice.checks import CheckResult, model_key
from commissioning.practice.models import Outcome as RuleOutcomeKind
from commissioning.practice.models import Rule, RuleOutcome
from commissioning.practice.selectors import rule_outcomes_for_many, rules_active_among
from commissioning.submissions.models import ConsortiumMember, Submission
from commissioning.submissions.selectors import invitations_for_provider, submissions_for_provider

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


@dataclass(frozen=True)
class _RuleRows:
    """What the rule lines are read from, each kind once for all the opportunities."""

    evaluation: EvaluationRows
    letters: dict[int, list[Letter]]  # by evaluation id
    outcomes: dict[tuple[str, str], list[RuleOutcome]]
    rules: dict[str, Rule]
    surveys_due: dict[int, dict[int, str]]
    surveyed: dict[int, set[int]]
    closures: frozenset


def _surveyed(evaluations: list[Evaluation]) -> dict[int, set[int]]:
    surveyed: dict[int, set[int]] = {}
    invited = SurveyInvitation.objects.filter(evaluation_id__in=[e.pk for e in evaluations])
    for evaluation_id, organisation_id in invited.values_list("evaluation_id", "organisation_id"):
        surveyed.setdefault(evaluation_id, set()).add(organisation_id)
    return surveyed


def _rule_rows(context: WorklistContext) -> _RuleRows:
    rows = evaluation_rows(context)
    evaluations = list(rows.evaluations.values())
    return _RuleRows(
        evaluation=rows,
        letters=letters_among(context),
        surveyed=_surveyed(evaluations),
        outcomes=rule_outcomes_for_many(objects=[*context.opportunities, *evaluations]),
        surveys_due=organisations_due(evaluations),
        rules=rules_active_among(EVALUATION_RULES),
        closures=closure_days(),
    )


def _standings_now(evaluation: Evaluation, loaded: _RuleRows, today: date) -> dict[str, CheckResult]:
    """PR-9, PR-10 and PR-11, those switched on, checked now on the loaded rows."""
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
    return checks


def _evaluation_rules(evaluation: Evaluation, loaded: _RuleRows, today: date) -> list[RuleLine]:
    """PR-9, PR-10 and PR-11 as they stand now, from the loaded rows; an explanation stands in for "not met"."""
    if evaluation.status != EvaluationStatus.AWARDED:
        return []
    recorded = {o.rule.code: o for o in loaded.outcomes.get((model_key(evaluation), str(evaluation.pk)), [])}
    lines = []
    for code, result in _standings_now(evaluation, loaded, today).items():
        explained = recorded.get(code)
        if result.met:
            outcome, detail = RuleOutcomeKind.MET, result.detail
        elif explained is not None and explained.counts_as_explained:
            outcome, detail = RuleOutcomeKind.EXPLAINED, explained.reason
        else:
            outcome, detail = RuleOutcomeKind.NOT_MET, result.detail
        lines.append(RuleLine(code, loaded.rules[code].title, outcome, detail, EVALUATION_RULES[code]))
    return lines


def _recorded_rules(opportunity: Opportunity, loaded: _RuleRows) -> list[RuleLine]:
    return [
        RuleLine(
            o.rule.code,
            o.rule.title,
            o.outcome,
            o.reason if o.outcome == RuleOutcomeKind.EXPLAINED else o.detail,
        )
        for o in loaded.outcomes.get((model_key(opportunity), str(opportunity.pk)), [])
    ]


def _row(opportunity: Opportunity, tasks: list[Task], loaded: _RuleRows, today: date) -> Row:
    """The opportunity's row: its first task (due or not) is its next step."""
    evaluation = loaded.evaluation.evaluations.get(opportunity.pk)
    row = Row(opportunity=opportunity, stage=opportunity.stage, evaluation=evaluation)
    row.rules = _recorded_rules(opportunity, loaded) + (
        _evaluation_rules(evaluation, loaded, today) if evaluation else []
    )
    if tasks:
        row.next_step, row.next_href = tasks[0].title, tasks[0].url
    return row


def _due_key(task: Task):
    day = task.due_day
    return (not task.overdue, day is None, day or date.max, task.reference, task.title)


def _page(staged: QuerySet[Opportunity], filters: DashboardFilter) -> Page:
    listed = staged
    if filters.query:
        listed = listed.filter(matching(filters.query))
    if filters.stages:
        listed = listed.filter(stage__in=filters.stages)
    return Paginator(listed, settings.DASHBOARD_PAGE_SIZE).get_page(filters.page)


def commissioner_dashboard_for(*, user, filters: DashboardFilter) -> Dashboard:
    """The dashboard of the opportunities the user commissions (``opportunities_commissioned_by``).

    Guarantees: only the user's opportunities, listed, counted or tasked;
    every task due from every stage's sources, whatever the filters, overdue
    first; the count at each stage of all the user's opportunities; one page
    of those matching the filters (the search and the stages), newest first;
    all in a fixed number of queries whatever the number of opportunities.
    """
    now = clock.now()
    today = clock.london(now).date()
    staged = opportunities_commissioned_by(user=user).annotate(stage=stage_of(now))
    counts = dict(staged.order_by().values("stage").annotate(n=Count("pk")).values_list("stage", "n"))
    page = _page(staged, filters)
    shown = list(page.object_list)
    with_tasks = list(staged.filter(_may_have_tasks()))
    context = WorklistContext(
        user=user, opportunities=list({o.pk: o for o in [*shown, *with_tasks]}.values()), now=now, today=today
    )
    by_reference = tasks_for(context)
    loaded = _rule_rows(context)
    tasks = [task for o in with_tasks for task in by_reference.get(o.reference, []) if task.is_due]
    # Later stages' tasks that belong to no opportunity (an agreement's, say) come under their own reference.
    references = {o.reference for o in context.opportunities}
    tasks += [
        task
        for reference, listed in by_reference.items()
        if reference not in references
        for task in listed
        if task.is_due
    ]
    return Dashboard(
        tasks=sorted(tasks, key=_due_key),
        counts={key: counts.get(key, 0) for key in STAGES},
        rows=[_row(o, by_reference.get(o.reference, []), loaded, today) for o in shown],
        page=page,
    )


@dataclass(frozen=True)
class ProviderBids:
    """A provider's bids with their outcomes once the award is decided, and the consortium invitations."""

    submissions: list[Submission]
    outcomes: dict[int, str]
    invitations: list[ConsortiumMember]


def provider_bids_for(*, user) -> ProviderBids:
    """The bids of the organisations the user bids for (latest change first), each one's outcome ("Successful"
    or "Unsuccessful") only once its award is decided, and the consortium bids they are invited to or part of.

    Only the user's organisations' own bids and outcomes; a fixed number of queries.
    """
    submissions = list(submissions_for_provider(user=user))
    return ProviderBids(
        submissions=submissions,
        outcomes=bid_outcomes_for(submissions),
        invitations=list(invitations_for_provider(user=user)),
    )
