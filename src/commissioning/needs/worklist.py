"""What needs assessment asks of a commissioner: their bodies' draft assessments, to complete.

These tasks belong to assessments, not opportunities, so each carries the
assessment's reference. One query however many drafts there are.
"""

from collections.abc import Iterator

from django.urls import reverse

from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source

from .selectors import drafts_for

STAGE = "needs"


@task_source(stage=STAGE)
def assessment_tasks(context: WorklistContext) -> Iterator[Task]:
    """Each draft assessment of the user's bodies: check it against the Code and complete it."""
    for assessment in drafts_for(user=context.user):
        yield Task(
            "Complete the needs assessment",
            reverse("needs:check", args=[assessment.reference]),
            assessment.reference,
            STAGE,
            state=TaskState.TO_DO,
            about=assessment.title,
        )


# Open reviews' tasks (reviews closing soon, comments to answer) register from their own module.
from . import worklist_reviews  # noqa: E402, F401
