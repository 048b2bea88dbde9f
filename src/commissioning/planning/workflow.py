"""What can happen to a plan.

    idea ──plan──▶ planned ──approve──▶ approved ──advertise──▶ advertised ──award──▶ awarded
      └──────────────┴──────────────────────┴──withdraw──▶ withdrawn

A plan can be approved straight from an idea. Approving also passes the
Code's gate (PL-1 and PL-4, see ``services.plan_approve``). Advertising and
awarding follow the plan's opportunity: they are moved by
``services.plan_mark_advertised`` and ``services.plan_mark_awarded`` when
its opportunity is published or awarded. Once advertised, a plan cannot be
withdrawn: the opportunity is withdrawn instead.

The guards are pure: they read the plan (and the actor) and never the database
beyond what the plan already holds.
"""

from commissioning.audit.transitions import Workflow, t
from commissioning.records.permissions import is_record_commissioner

from .models import PlanStatus as S

# Statuses in which a plan's facts may still change.
EDITABLE = frozenset({S.IDEA, S.PLANNED, S.APPROVED})
# Statuses a plan may be put on the pipeline from.
PUBLISHABLE = frozenset({S.IDEA, S.PLANNED})
# Statuses in which a plan takes part in overlaps (it is still planned commissioning).
CURRENT = frozenset({S.IDEA, S.PLANNED, S.APPROVED, S.ADVERTISED, S.AWARDED})


def _actor_commissions_it(plan, actor) -> str | None:
    if actor is None:
        return None  # the system, following the plan's opportunity
    if not is_record_commissioner(actor, plan.record):
        return "Only a commissioner of this plan's commissioning bodies can do this"
    return None


def _on_the_pipeline(plan, actor) -> str | None:
    if plan.published_at is None:
        return "Put the plan on the pipeline first, so other commissioners can see it before it is approved"
    return None


PLAN_WORKFLOW = Workflow(
    name="plan",
    statuses=S,
    transitions=(
        t("plan", S.IDEA, S.PLANNED, _actor_commissions_it),
        t("approve", (S.IDEA, S.PLANNED), S.APPROVED, _actor_commissions_it, _on_the_pipeline),
        t("advertise", (S.IDEA, S.PLANNED, S.APPROVED), S.ADVERTISED, _actor_commissions_it),
        t("award", S.ADVERTISED, S.AWARDED, _actor_commissions_it),
        t("withdraw", (S.IDEA, S.PLANNED, S.APPROVED), S.WITHDRAWN, _actor_commissions_it),
    ),
)


def moves_offered(plan, actor) -> set[str]:
    """The moves a commissioner's page offers now: those in the table whose guards all pass."""
    return {
        move.name for move in PLAN_WORKFLOW.moves_from(plan.status) if not PLAN_WORKFLOW.check(plan, move.name, actor)
    }
