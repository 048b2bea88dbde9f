"""PL-3 judged from a plan's own dates, when the plan is approved.

Before there is an opportunity, the plan says when it will be advertised and
when the service is to start. Between them there must be time to bid (the
lead time for the plan's value) and time to mobilise after the award; the
time to evaluate is the commissioner's to add. An advert date already past
counts from today, since that is the soonest it can now be advertised.
"""

from decimal import Decimal

from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.workdays import working_days_between_db
from commissioning.practice.catalogue import STEP_PLAN_APPROVE
from commissioning.practice.checks import CheckResult, rule_check
from commissioning.practice.lead_times import advert_to_start_required, lead_days_required


@rule_check("PL-3", model="planning.plan", step=STEP_PLAN_APPROVE)
def plan_lead_times(plan, settings) -> CheckResult:
    """Enough working days from the expected advert to the expected start for the plan's value.

    Cannot judge without an expected start or an expected value, or with a start before the advert.
    """
    record = plan.record
    if record.expected_start is None:
        return CheckResult.cannot_judge("Set when the service is expected to start")
    if record.estimated_value is None:
        return CheckResult.cannot_judge("Set the expected value: the lead time depends on it")
    advert = max(plan.expected_advert, clock.today())
    start = record.expected_start
    if start <= advert:
        return CheckResult.cannot_judge(
            f"The expected start ({format_date(start)}) must be after the advert ({format_date(advert)})"
        )
    value = Decimal(record.estimated_value)
    needed = advert_to_start_required(value, settings)
    have = working_days_between_db(advert, start)
    parts = f"{lead_days_required(value, settings)} to bid and {int(settings['mobilisation_days'])} to mobilise"
    counted = f"{have} working days from the advert ({format_date(advert)}) to the start ({format_date(start)})"
    if have < needed:
        return CheckResult(False, f"{counted}; at least {needed} are expected ({parts})")
    return CheckResult(True, f"{counted}; at least {needed} ({parts})")
