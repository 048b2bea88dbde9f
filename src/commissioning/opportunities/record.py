"""The opportunities' part of the commissioning record's page: each tender or grant round it runs."""

from django.urls import reverse

from commissioning.core.formats import format_datetime
from commissioning.practice.checks import model_key
from commissioning.practice.selectors import rule_outcomes_for_many
from commissioning.records.sections import Part, Row, Section, record_section

from .models import Opportunity, Status
from .permissions import is_commissioner_for


def opportunities_in_record(record) -> list[Opportunity]:
    """The opportunities of ``record``, oldest first, with their lots and bodies prefetched (three queries).

    No access check: the caller has loaded ``record`` through ``record_get_for``.
    """
    return list(
        Opportunity.objects.filter(record=record)
        .select_related("lead_commissioner")
        .prefetch_related("lots", "joint_commissioners")
        .order_by("created_at", "pk")
    )


def _href(opportunity: Opportunity, user) -> str:
    if is_commissioner_for(user, opportunity):
        return reverse("opportunities:manage", args=[opportunity.reference])
    if opportunity.published_at is not None and opportunity.status != Status.DRAFT:
        return reverse("opportunities:detail", args=[opportunity.reference])
    return ""


def _lots(opportunity: Opportunity) -> str:
    lots = list(opportunity.lots.all())
    if not lots:
        return "No lots yet"
    return "; ".join(f"Lot {lot.number}: {lot.title}" for lot in lots)


def _part(opportunity: Opportunity, user, outcomes: list) -> Part:
    return Part(
        heading=f"{opportunity.reference}: {opportunity.title}",
        href=_href(opportunity, user),
        rows=[
            Row("Kind", opportunity.get_kind_display()),
            Row("Status", opportunity.display_status.capitalize()),
            Row("Bids close", format_datetime(opportunity.submission_deadline) or "Not set"),
            Row("Lots", _lots(opportunity)),
        ],
        outcomes=outcomes,
    )


@record_section(stage="procurement", order=10)
def opportunities(record, user) -> Section:
    """Each opportunity of the record with its status, deadline, lots and the Code's outcomes for it.

    A record with none yet says what comes next, with the way to start one.
    """
    found = opportunities_in_record(record)
    if not found:
        start = reverse("opportunities:create") + f"?record={record.reference}"
        return Section(
            heading="Opportunities",
            text="No tender or grant round has been started in this record yet. Next, start one: "
            "its lots, questions and timeline are set there, then it is checked against the Code and published.",
            parts=[Part(heading="Start a tender or grant round in this record", href=start)],
        )
    # Every opportunity's outcomes in one query, however many rounds the record has run.
    outcomes = rule_outcomes_for_many(objects=found)
    return Section(
        heading="Opportunities",
        parts=[_part(o, user, outcomes.get((model_key(o), str(o.pk)), [])) for o in found],
    )
