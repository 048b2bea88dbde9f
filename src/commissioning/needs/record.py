"""Needs' part of the commissioning record's page: the co-production recorded for the record.

The plan's assessment itself is shown by the planning stage's section; this
shows the activities held for the record (a plan's scoping, design and
evaluation), with a link for its commissioners to record more.
"""

from django.urls import reverse

from commissioning.core.formats import format_date
from commissioning.records.sections import Part, Row, Section, record_section

from .permissions import commissions_record
from .selectors import record_coproduction


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


@record_section(stage="needs", order=20)
def coproduction(record, user) -> Section | None:
    """Each co-production activity of the record: kind, when, who and how many took part, what changed.

    None when there is none and the user cannot record one. Two queries however many there are.
    """
    activities = record_coproduction(record)
    may_change = commissions_record(user, record)
    if not activities and not may_change:
        return None
    manage = reverse("needs:record-coproduction", args=[record.reference])
    parts = []
    for activity in activities:
        rows = [
            Row("Kind", activity.get_kind_display()),
            Row("When", format_date(activity.held_on)),
            Row("Who took part", _people(activity.participants)),
        ]
        if activity.communities:
            rows.append(Row("Communities", activity.communities))
        organisations = [o.name for o in activity.organisations.all()]
        if organisations:
            rows.append(Row("Organisations", ", ".join(organisations)))
        rows.append(Row("What changed", activity.what_changed))
        parts.append(Part(heading=activity.title, rows=rows))
    if may_change:
        parts.append(Part(heading="Record or change co-production for this record", href=manage))
    total = sum(a.participants for a in activities)
    text = (
        f"{_people(total)} took part across {len(activities)} {'activity' if len(activities) == 1 else 'activities'}."
        if activities
        else "No co-production is recorded for this record yet."
    )
    return Section(heading="Co-production", text=text, parts=parts)
