"""What feedback asks of a commissioner after the award: the letters to send by their day, then the
lessons learned once nothing else waits."""

from collections import defaultdict
from collections.abc import Iterator

from django.urls import reverse

from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source
from commissioning.evaluation.models import EvaluationStatus
from commissioning.evaluation.worklist import evaluation_rows

from .checks import letter_overdue
from .models import Letter

STAGE = "feedback"


def _letters(context: WorklistContext) -> dict[int, list[Letter]]:
    rows = evaluation_rows(context)
    awarded = [e.pk for e in rows.evaluations.values() if e.status == EvaluationStatus.AWARDED]
    grouped: dict[int, list[Letter]] = defaultdict(list)
    for letter in Letter.objects.filter(evaluation_id__in=awarded).select_related("submission__organisation"):
        grouped[letter.evaluation_id].append(letter)
    return grouped


def letters_among(context: WorklistContext) -> dict[int, list[Letter]]:
    """Every letter of the context's awarded evaluations, by evaluation, read once for every reader of
    the same context (the tasks and the dashboard's rule lines). No access check: the context's
    opportunities are already the person's own."""
    return context.shared("feedback.letters", lambda: _letters(context))


@task_source(stage=STAGE)
def feedback_tasks(context: WorklistContext) -> Iterator[Task]:
    """After each award: the letters still to send (overdue once past their day under PR-10), and,
    while nothing else is due, reading the survey answers and writing the lessons learned as the next
    step. One query however many opportunities, besides evaluation's rows it shares."""
    rows = evaluation_rows(context)
    letters_of = letters_among(context)
    for opportunity in context.opportunities:
        evaluation = rows.evaluations.get(opportunity.pk)
        if evaluation is None or evaluation.status != EvaluationStatus.AWARDED:
            continue
        letters = [letter for letter in letters_of.get(evaluation.pk, []) if letter.sent_at is None]
        common = {"reference": opportunity.reference, "stage": STAGE, "about": opportunity.title}
        if letters:
            overdue = any(letter_overdue(letter, context.today) for letter in letters)
            yield Task(
                f"Send {len(letters)} letter{'s' if len(letters) != 1 else ''}" + (" (overdue)" if overdue else ""),
                reverse("feedback:letters", args=[opportunity.reference]),
                due=min(letter.due_by for letter in letters),
                state=TaskState.OVERDUE if overdue else TaskState.TO_DO,
                **common,
            )
        else:
            # Only ever a next step: it shows only when no other stage has one first.
            yield Task(
                "Read the survey answers and write the lessons learned",
                reverse("feedback:lessons", args=[opportunity.reference]),
                state=TaskState.NEXT_STEP,
                **common,
            )
