"""The planning stage's part of the commissioning record's page: the plan, its assessment, overlaps and partners."""

from django.urls import reverse

from commissioning.core.formats import format_date
from commissioning.core.money import format_money
from commissioning.practice.selectors import rule_outcomes_for
from commissioning.records.sections import Part, Row, Section, record_section

from .models import PartnerStage, Plan
from .permissions import is_plan_commissioner
from .selectors import current_overlaps, plan_in_record


@record_section(stage="planning", order=10)
def plan(record, user) -> Section | None:
    """The record's plan with its status, outcome area, expected advert, value and funding type; its needs
    assessment; its overlaps; and its partners per stage with the Code's outcomes. None without a plan.

    No access check beyond the record's: the caller loaded it through ``record_get_for``.
    """
    found: Plan | None = plan_in_record(record)
    if found is None:
        return None
    rows = [
        Row("Status", found.get_status_display() + ("" if found.published_at else " (not on the pipeline yet)")),
        Row("Outcome area", found.service_area.name),
        Row("Expected to be advertised", format_date(found.expected_advert)),
        Row(
            "Expected value",
            format_money(record.estimated_value) if record.estimated_value is not None else "Not known",
        ),
        Row("Funding type", found.get_funding_type_display()),
    ]
    assessment = found.assessment
    if assessment is not None:
        rows.append(
            Row(
                "Needs assessment",
                str(assessment),
                reverse("needs:public-detail", args=[assessment.reference]) if assessment.is_completed else "",
            )
        )
    overlaps = current_overlaps(found)
    for overlap, other in overlaps:
        how = overlap.get_coordination_display() if overlap.resolved_at else "open: to co-ordinate"
        rows.append(
            Row(
                "Overlaps with",
                f"{other.record.reference} ({other.record.lead_body.name}), {how}",
                reverse("planning:overlap", args=[overlap.pk]),
            )
        )
    partners = list(found.partners.all())
    for stage in PartnerStage:
        named = [p.organisation.name for p in partners if p.stage == stage.value]
        rows.append(Row(f"Partners in {stage.label.lower()}", ", ".join(named) or "None named"))
    return Section(
        heading="Plan",
        parts=[
            Part(
                heading=f"The plan on the pipeline: {record.title}",
                href=reverse(
                    "planning:manage" if is_plan_commissioner(user, found) else "planning:detail",
                    args=[record.reference],
                ),
                rows=rows,
                outcomes=rule_outcomes_for(obj=found),
            )
        ],
    )
