"""From plan to opportunity: what an approved plan hands its first opportunity, read from its record.

The opportunities stage asks for it when a commissioner starts an opportunity
in a record; this stage never knows what an opportunity is.
"""

from datetime import date

from commissioning.records.models import CommissioningRecord

from .models import FundingType, Plan, PlanStatus

# A plan may hand over once it is approved (and again while advertised, for a second opportunity).
READY = (PlanStatus.APPROVED, PlanStatus.ADVERTISED)


def plan_of(record: CommissioningRecord | None) -> Plan | None:
    """The plan the record hangs off, with its outcome area, or None for a record without one."""
    if record is None:
        return None
    return Plan.objects.select_related("service_area").filter(record=record).first()


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``, counting a part month as one (at least 1)."""
    months = (end.year - start.year) * 12 + end.month - start.month + (1 if end.day >= start.day else 0)
    return max(months, 1)


def opportunity_prefill(record: CommissioningRecord) -> dict:
    """The opportunity's details the plan already knows: title, summary, outcome area, wards, value,
    kind of funding and timing. Empty for a record without a plan; the commissioner can change any of them."""
    plan = plan_of(record)
    if plan is None:
        return {}
    filled = {
        "title": record.title,
        "summary": record.summary,
        "service_area": plan.service_area,
        "city_wide": record.city_wide,
        "wards": [ward.code for ward in record.wards.all()],
    }
    if plan.funding_type != FundingType.EITHER:
        filled["kind"] = "grant" if plan.funding_type == FundingType.GRANT else "tender"
    if record.estimated_value is not None:
        filled["total_value"] = record.estimated_value
    if record.expected_start:
        filled["service_start"] = record.expected_start
        if record.expected_end:
            filled["duration_months"] = months_between(record.expected_start, record.expected_end)
    return filled


def opportunity_refusal(record: CommissioningRecord | None) -> str:
    """Why no opportunity may be started in ``record`` yet, or an empty string: a plan that is not approved."""
    plan = plan_of(record)
    if plan is None or plan.status in READY:
        return ""
    if plan.status == PlanStatus.WITHDRAWN:
        return "The plan was withdrawn, so no opportunity can be started from it"
    if plan.status == PlanStatus.AWARDED:
        return "The plan has been awarded; start a new record for new commissioning"
    return f"The plan is {plan.get_status_display().lower()}: approve it before starting its opportunity"
