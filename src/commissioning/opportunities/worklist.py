"""What an opportunity asks of its commissioner: questions to answer, a draft to finish, an open one to follow."""

from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse

from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source

from .models import Clarification, Opportunity, Status

STAGE = "opportunities"


def _waiting_questions(opportunities: list[Opportunity]) -> dict[int, int]:
    return dict(
        Clarification.objects.filter(opportunity_id__in=[o.pk for o in opportunities], published_at__isnull=True)
        .values("opportunity_id")
        .annotate(n=Count("pk"))
        .values_list("opportunity_id", "n")
    )


@task_source(stage=STAGE)
def opportunity_tasks(context: WorklistContext) -> Iterator[Task]:
    """Questions waiting for an answer on a published opportunity (due by its question deadline while it is
    open); and as next steps only, finishing a draft and following an open one. One query."""
    waiting = _waiting_questions(context.opportunities)
    for opportunity in context.opportunities:
        reference = opportunity.reference
        questions = waiting.get(opportunity.pk, 0)
        if opportunity.status == Status.PUBLISHED and questions:
            yield Task(
                f"Answer {questions} question{'s' if questions != 1 else ''}",
                reverse("opportunities:clarifications", args=[reference]),
                reference,
                STAGE,
                due=opportunity.question_deadline if opportunity.is_open else None,
                about=opportunity.title,
            )
        if opportunity.stage in ("draft", "open"):
            text = "Finish and publish the draft" if opportunity.stage == "draft" else "Follow the opportunity"
            yield Task(
                text,
                reverse("opportunities:manage", args=[reference]),
                reference,
                STAGE,
                state=TaskState.NEXT_STEP,
                about=opportunity.title,
            )
