"""What the bids ask of a commissioner once the deadline has passed: opening them."""

from collections.abc import Iterator

from django.urls import reverse

from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source

from .selectors import bid_counts_for, opened_among

STAGE = "submissions"


@task_source(stage=STAGE)
def opening_tasks(context: WorklistContext) -> Iterator[Task]:
    """For each closed opportunity: open the submissions (due at the deadline) until they are opened; once
    opened with no bid counted, "No submissions to evaluate" as its next step. Two queries."""
    opened = context.shared("submissions.opened", lambda: opened_among(context.opportunities))
    bids = context.shared("submissions.bids", lambda: bid_counts_for(context.opportunities))
    for opportunity in context.opportunities:
        if opportunity.stage != "closed":
            continue
        reference = opportunity.reference
        if opportunity.pk not in opened:
            yield Task(
                "Open the submissions",
                reverse("submissions:opening", args=[reference]),
                reference,
                STAGE,
                due=opportunity.submission_deadline,
                about=opportunity.title,
            )
        elif not bids.get(opportunity.pk):
            yield Task(
                "No submissions to evaluate",
                reverse("submissions:opening", args=[reference]),
                reference,
                STAGE,
                state=TaskState.NEXT_STEP,
                about=opportunity.title,
            )
