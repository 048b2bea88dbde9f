"""What an evaluation asks of a commissioner, from starting it to the award and its standstill.

Starting the evaluation, appointing the panel and waiting for scores,
moderating, recommending, approving a colleague's recommendation, the award
decision, then the award notice to record and the standstill's last day. The
letters and the lessons learned that follow are feedback's tasks
(:mod:`commissioning.feedback.worklist`).
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.urls import reverse

from commissioning.core import clock
from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source
from commissioning.opportunities.models import Opportunity
from commissioning.submissions.selectors import bid_counts_for, opened_among

from .models import Evaluation, EvaluationStatus, ModeratedScore, Panelist

STAGE = "evaluation"


@dataclass(frozen=True)
class EvaluationRows:
    """The evaluation rows of a set of opportunities, each kind read once for them all."""

    evaluations: dict[int, Evaluation]  # by opportunity id
    panels: dict[int, list[Panelist]]  # by evaluation id, and so on
    moderated: dict[int, int]
    questions: dict[int, int]  # by opportunity id: how many questions it asks


def _grouped(rows, key: str) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _load(opportunities: list[Opportunity]) -> EvaluationRows:
    ids = [o.pk for o in opportunities]
    evaluations = {
        e.opportunity_id: e
        for e in Evaluation.objects.filter(opportunity_id__in=ids).select_related("recommended_by", "decided_by")
    }
    evaluation_ids = [e.pk for e in evaluations.values()]
    return EvaluationRows(
        evaluations=evaluations,
        panels=_grouped(
            Panelist.objects.filter(evaluation_id__in=evaluation_ids).select_related("user"), "evaluation_id"
        ),
        moderated=dict(
            ModeratedScore.objects.filter(evaluation_id__in=evaluation_ids)
            .values("evaluation_id")
            .annotate(n=Count("pk"))
            .values_list("evaluation_id", "n")
        ),
        questions=dict(Opportunity.objects.filter(pk__in=ids).annotate(n=Count("questions")).values_list("pk", "n")),
    )


def evaluation_rows(context: WorklistContext) -> EvaluationRows:
    """The context's evaluation rows, read once for every reader of the same context. No access check."""
    return context.shared("evaluation.rows", lambda: _load(context.opportunities))


@dataclass(frozen=True)
class _Step:
    """What one opportunity's evaluation asks now, before it is made a :class:`Task`."""

    text: str
    url: str
    due: object = None
    state: TaskState = TaskState.TO_DO


def _url(name: str, reference: str) -> str:
    return reverse(name, args=[reference])


def _closed(opportunity, context: WorklistContext) -> list[_Step]:
    opened = context.shared("submissions.opened", lambda: opened_among(context.opportunities))
    bids = context.shared("submissions.bids", lambda: bid_counts_for(context.opportunities))
    if opportunity.pk in opened and bids.get(opportunity.pk):
        return [_Step("Start the evaluation", _url("evaluation:start", opportunity.reference))]
    return []


def _scoring(opportunity, evaluation: Evaluation, rows: EvaluationRows) -> list[_Step]:
    panel = rows.panels.get(evaluation.pk, [])
    href = _url("evaluation:panel", opportunity.reference)
    if not panel:
        return [_Step("Appoint the evaluation panel", href)]
    waiting = [p.user.full_name for p in panel if p.scores_submitted_at is None]
    return [_Step(f"Waiting for scores from {len(waiting)} of {len(panel)} evaluators: {', '.join(waiting)}", href)]


def _moderation(opportunity, evaluation: Evaluation, rows: EvaluationRows, bids: dict[int, int]) -> list[_Step]:
    expected = bids.get(opportunity.pk, 0) * rows.questions.get(opportunity.pk, 0)
    left = max(expected - rows.moderated.get(evaluation.pk, 0), 0)
    if left:
        return [
            _Step(
                f"Moderate {left} answer{'s' if left != 1 else ''}",
                _url("evaluation:moderation", opportunity.reference),
            )
        ]
    return [_Step("Recommend the award", _url("evaluation:recommend", opportunity.reference))]


def _recommended(opportunity, evaluation: Evaluation, user) -> list[_Step]:
    if evaluation.recommended_by_id == getattr(user, "pk", None):
        text = "Waiting for another commissioner to approve your recommendation"
        return [_Step(text, _url("evaluation:overview", opportunity.reference), state=TaskState.NEXT_STEP)]
    who = evaluation.recommended_by.full_name if evaluation.recommended_by else "a colleague"
    return [
        _Step(
            f"Approve or send back the recommendation made by {who}", _url("evaluation:approve", opportunity.reference)
        )
    ]


def _standstill(opportunity, evaluation: Evaluation) -> list[_Step]:
    if opportunity.stage != "standstill":
        return []
    if evaluation.awaiting_notice:
        notice = (evaluation.standstill_rule or {}).get("notice") or "award notice"
        return [
            _Step(f"Record the {notice} when it is published", _url("evaluation:award-notice", opportunity.reference))
        ]
    # The standstill ends at midnight at the start of the day after its last day: show that last day.
    last_day = clock.london(evaluation.standstill_ends - timedelta(microseconds=1)).date()
    return [_Step("Last day of the standstill", _url("evaluation:standstill", opportunity.reference), due=last_day)]


def _steps(opportunity, context: WorklistContext, rows: EvaluationRows) -> list[_Step]:
    evaluation = rows.evaluations.get(opportunity.pk)
    stage = opportunity.stage
    if stage == "closed":
        return _closed(opportunity, context)
    if evaluation is None:
        return []
    if evaluation.status == EvaluationStatus.AWARDED:
        return _standstill(opportunity, evaluation)
    bids = context.shared("submissions.bids", lambda: bid_counts_for(context.opportunities))
    by_stage = {
        EvaluationStatus.SCORING: lambda: _scoring(opportunity, evaluation, rows),
        EvaluationStatus.MODERATION: lambda: _moderation(opportunity, evaluation, rows, bids),
        EvaluationStatus.RECOMMENDED: lambda: _recommended(opportunity, evaluation, context.user),
        EvaluationStatus.APPROVED: lambda: [
            _Step("Make the award decision", _url("evaluation:award", opportunity.reference))
        ],
    }
    return by_stage[stage]() if stage in by_stage else []


@task_source(stage=STAGE)
def evaluation_tasks(context: WorklistContext) -> Iterator[Task]:
    """Each opportunity's evaluation tasks, and its next step while nothing is due (see the module's
    docstring). A fixed number of queries however many opportunities."""
    rows = evaluation_rows(context)
    for opportunity in context.opportunities:
        for step in _steps(opportunity, context, rows):
            yield Task(
                step.text,
                step.url,
                opportunity.reference,
                STAGE,
                due=step.due,
                state=step.state,
                about=opportunity.title,
            )
