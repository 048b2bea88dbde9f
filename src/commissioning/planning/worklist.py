"""What planning asks of a commissioner: overlaps to co-ordinate, and plans due to be advertised soon
that are not yet approved.

These tasks belong to plans, so each carries its plan's record reference;
the source reads the user's own bodies' plans in one query however many.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from commissioning.accounts.permissions import commissioning_at
from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source

from .models import Overlap, Plan, PlanStatus

STAGE = "planning"
# Plans expected to be advertised within this many days, and not yet approved, are listed.
ADVERT_AHEAD_DAYS = 30
NOT_YET_APPROVED = (PlanStatus.IDEA, PlanStatus.PLANNED)


def _open_on(side: str):
    """How many open overlaps the plan has on one side of the pair, as a subquery."""
    found = (
        Overlap.objects.filter(**{side: OuterRef("pk")}, cleared_at__isnull=True, resolved_at__isnull=True)
        .order_by()
        .values(side)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(found, output_field=IntegerField()), Value(0))


@task_source(stage=STAGE)
def planning_tasks(context: WorklistContext) -> Iterator[Task]:
    """For each plan the user's bodies lead: co-ordinating its open overlaps; and, while it is an idea or
    planned and expected to be advertised within 30 days, approving it (overdue once the day has passed)."""
    bodies = commissioning_at(context.user)
    if not bodies:
        return
    soon = context.today + timedelta(days=ADVERT_AHEAD_DAYS)
    due = Q(status__in=NOT_YET_APPROVED, expected_advert__lte=soon)
    plans = (
        Plan.objects.filter(record__lead_body_id__in=bodies)
        .annotate(open_overlaps=_open_on("first") + _open_on("second"))
        .filter(due | Q(open_overlaps__gt=0))
        .select_related("record")
        .order_by("expected_advert", "pk")
    )
    for plan in plans:
        reference = plan.record.reference
        if plan.open_overlaps:
            n = plan.open_overlaps
            yield Task(
                f"Co-ordinate with the {n} other bodies' plans that overlap this one"
                if n != 1
                else "Co-ordinate with the other body's plan that overlaps this one",
                reverse("planning:manage", args=[reference]),
                reference,
                STAGE,
                about=plan.record.title,
            )
        if plan.status in NOT_YET_APPROVED and plan.expected_advert <= soon:
            yield Task(
                "Approve the plan before it is advertised",
                reverse("planning:check", args=[reference]),
                reference,
                STAGE,
                due=plan.expected_advert,
                state=TaskState.OVERDUE if plan.expected_advert < context.today else TaskState.TO_DO,
                about=plan.record.title,
            )
