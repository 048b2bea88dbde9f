"""What planning asks of a commissioner: overlaps to co-ordinate, and plans due to be advertised soon
that are not yet approved.

These tasks belong to plans, so each carries its plan's record reference;
the source reads the user's own bodies' plans, in two queries however many.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.urls import reverse

from commissioning.accounts.permissions import commissioning_at
from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source

from .models import Plan, PlanStatus
from .selectors import open_overlaps_for

STAGE = "planning"
# Plans expected to be advertised within this many days, and not yet approved, are listed.
ADVERT_AHEAD_DAYS = 30


@task_source(stage=STAGE)
def planning_tasks(context: WorklistContext) -> Iterator[Task]:
    """Each open overlap of the user's bodies' plans; each plan of theirs, an idea or planned, expected
    to be advertised within 30 days (overdue once the day has passed)."""
    bodies = commissioning_at(context.user)
    if not bodies:
        return
    for overlap in open_overlaps_for(bodies=bodies):
        mine = overlap.first if overlap.first.record.lead_body_id in bodies else overlap.second
        other = overlap.second if mine is overlap.first else overlap.first
        yield Task(
            f"Co-ordinate with {other.record.reference}, which overlaps this plan",
            reverse("planning:overlap", args=[overlap.pk]),
            mine.record.reference,
            STAGE,
            about=mine.record.title,
        )
    soon = context.today + timedelta(days=ADVERT_AHEAD_DAYS)
    due = (
        Plan.objects.filter(
            record__lead_body_id__in=bodies,
            status__in=[PlanStatus.IDEA, PlanStatus.PLANNED],
            expected_advert__lte=soon,
        )
        .select_related("record")
        .order_by("expected_advert", "pk")
    )
    for plan in due:
        yield Task(
            "Approve the plan before it is advertised",
            reverse("planning:check", args=[plan.record.reference]),
            plan.record.reference,
            STAGE,
            due=plan.expected_advert,
            state=TaskState.OVERDUE if plan.expected_advert < context.today else TaskState.TO_DO,
            about=plan.record.title,
        )
