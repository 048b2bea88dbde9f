"""The submissions' part of the commissioning record's page: how many bids came, once that may be told.

Sealed means sealed here too: before an opportunity's deadline the page says
only when the submissions open, whether or not any were made; after it, the
number is told only once a commissioner has opened them, and only to the
opportunity's commissioners, through the same selectors as the opening page.
"""

from django.urls import reverse

from commissioning.core.formats import format_datetime
from commissioning.opportunities.models import Opportunity, Status
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.records.sections import Part, Row, Section, record_section

from .selectors import deadline_text, opened_records_for, opening_state


def _state(opportunity: Opportunity, user) -> list[Row]:
    if not is_commissioner_for(user, opportunity):
        # An administrator sees the record, not the opening: when it may happen, never a count.
        if opportunity.sealed:
            return [Row("Submissions", f"Sealed until {deadline_text(opportunity)}")]
        return [Row("Submissions", f"The deadline passed at {deadline_text(opportunity)}")]
    state = opening_state(user=user, opportunity=opportunity)
    link = reverse("submissions:opening", args=[opportunity.reference])
    if state["state"] == "sealed":
        return [Row("Submissions", state["message"])]
    if state["state"] == "ready":
        return [Row("Submissions", "The deadline has passed: the submissions are ready to be opened", link)]
    opening = state["opening"]
    count = len(opened_records_for(user=user, opportunity=opportunity))
    return [
        Row("Bids received", f"{count} {'bid' if count == 1 else 'bids'}", link),
        Row("Opened", f"{format_datetime(opening.opened_at)} by {opening.opened_by.full_name}"),
    ]


@record_section(stage="procurement", order=20)
def submissions(record, user) -> Section | None:
    """For each published opportunity of the record with a deadline: sealed, ready to open, or how many bids.

    None when no opportunity of the record has been published with a deadline.
    """
    published = [
        o
        for o in Opportunity.objects.filter(
            record=record, published_at__isnull=False, submission_deadline__isnull=False
        )
        .exclude(status=Status.DRAFT)
        .select_related("lead_commissioner")
        .prefetch_related("joint_commissioners")
        .order_by("created_at", "pk")
    ]
    if not published:
        return None
    return Section(
        heading="Bids and applications",
        parts=[Part(heading=f"{o.reference}: {o.title}", rows=_state(o, user)) for o in published],
    )
