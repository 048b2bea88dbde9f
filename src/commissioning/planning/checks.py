"""The Code's rules as they apply to a plan about to be approved: PL-1 and PL-4.

Each check reads the plan and says whether the rule is met, with a sentence
a commissioner can act on. The practice app runs them at the "plan_approve"
step; a rule that is not met can still be explained, and a second person
confirms the explanation.
"""

from django.db.models import Q

from commissioning.practice.checks import CheckResult, rule_check

from .models import Overlap, PartnerStage

MODEL = "planning.plan"


def _other(overlap: Overlap, plan) -> str:
    other = overlap.second if overlap.first_id == plan.pk else overlap.first
    return f"{other.record.reference} ({other.record.lead_body.name})"


@rule_check("PL-1", model=MODEL)
def coordinated(plan, settings) -> CheckResult:
    """Met when no other body's plan on the pipeline overlaps this one, or every overlap says how the
    bodies co-ordinate; not met while any overlap is open, naming each."""
    overlaps = list(
        Overlap.objects.filter(Q(first_id=plan.pk) | Q(second_id=plan.pk), cleared_at__isnull=True)
        .select_related("first__record__lead_body", "second__record__lead_body")
        .order_by("found_at", "pk")
    )
    open_ones = [o for o in overlaps if o.resolved_at is None]
    if open_ones:
        names = "; ".join(_other(o, plan) for o in open_ones)
        return CheckResult(met=False, detail=f"Open overlaps to co-ordinate with: {names}")
    if not overlaps:
        return CheckResult(met=True, detail="No other body's plan on the pipeline overlaps this one")
    resolved = "; ".join(f"{_other(o, plan)}: {o.get_coordination_display().lower()}" for o in overlaps)
    return CheckResult(met=True, detail=f"Every overlap is co-ordinated: {resolved}")


@rule_check("PL-4", model=MODEL)
def third_sector_partners(plan, settings) -> CheckResult:
    """Met when a third-sector partner is named for scoping and for design, and one is planned for
    evaluation; not met lists the stages that have none."""
    named = {p.stage for p in plan.partners.select_related("organisation").all() if p.organisation.is_third_sector}
    missing = [stage.label.lower() for stage in PartnerStage if stage.value not in named]
    if missing:
        return CheckResult(met=False, detail=f"No third-sector partner named for {', '.join(missing)}")
    return CheckResult(met=True, detail="Third-sector partners are named for scoping, design and evaluation")


# PL-3 from the plan's own dates is kept beside the lead-time arithmetic it shares with opportunities.
from . import checks_timing  # noqa: F401, E402
