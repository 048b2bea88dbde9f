"""One commissioning record for each opportunity there is, with the opportunity's own facts.

Each record takes its opportunity's title, summary, value, wards, commissioning
bodies, creator and dates: the service's start, and its end from the start and
the length in months. References run CR-<year>-<n> in the order the
opportunities were started, by the year each was started.
"""

import calendar
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations

LONDON = ZoneInfo("Europe/London")


def service_end(start: date | None, months: int | None) -> date | None:
    """The last day of a service of ``months`` months beginning on ``start`` (None when either is unknown)."""
    if start is None or not months:
        return None
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        # The same day does not come in that month (31 January, a month on): its last day is the end.
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)


def records_made(apps, schema_editor):
    """Give every opportunity without a record a record of its own (safe to run again: none is made twice)."""
    Opportunity = apps.get_model("opportunities", "Opportunity")
    CommissioningRecord = apps.get_model("records", "CommissioningRecord")
    numbers: dict[int, int] = {}
    for reference in CommissioningRecord.objects.values_list("reference", flat=True):
        _, year, number = reference.split("-")
        numbers[int(year)] = max(numbers.get(int(year), 0), int(number))
    pending = (
        Opportunity.objects.filter(record__isnull=True)
        .prefetch_related("wards", "joint_commissioners")
        .order_by("created_at", "pk")
    )
    for opportunity in pending:
        year = opportunity.created_at.astimezone(LONDON).year
        numbers[year] = numbers.get(year, 0) + 1
        record = CommissioningRecord.objects.create(
            reference=f"CR-{year}-{numbers[year]:04d}",
            title=opportunity.title,
            summary=opportunity.summary,
            city_wide=opportunity.city_wide,
            expected_start=opportunity.service_start,
            expected_end=service_end(opportunity.service_start, opportunity.duration_months),
            estimated_value=opportunity.total_value,
            lead_body_id=opportunity.lead_commissioner_id,
            created_by_id=opportunity.created_by_id,
        )
        # The record was started when its opportunity was, not when the hub was upgraded.
        CommissioningRecord.objects.filter(pk=record.pk).update(created_at=opportunity.created_at)
        record.wards.set(opportunity.wards.all())
        record.joint_bodies.set(
            [b for b in opportunity.joint_commissioners.all() if b.pk != opportunity.lead_commissioner_id]
        )
        Opportunity.objects.filter(pk=opportunity.pk).update(record=record)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0009_opportunity_record"),
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(records_made, migrations.RunPython.noop),
    ]
