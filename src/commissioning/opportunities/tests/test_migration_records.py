"""When the hub is upgraded, every opportunity there is gets a commissioning record of its own (0010)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from commissioning.core.tests.migrating import back_to_latest, migrate_to  # noqa: F401 (the fixture)

BEFORE = [("opportunities", "0009_opportunity_record"), ("records", "0001_initial")]
AFTER = [("opportunities", "0011_opportunity_record_required")]
LONDON = ZoneInfo("Europe/London")


_migrate = migrate_to
pytestmark = pytest.mark.usefixtures("back_to_latest")


def _opportunity(old, *, reference, created_at, lead, creator, **extra):
    Opportunity = old.get_model("opportunities", "Opportunity")
    area = old.get_model("opportunities", "ServiceArea").objects.get(slug="older-people")
    made = Opportunity.objects.create(
        reference=reference,
        kind="tender",
        title=f"Title of {reference}",
        summary=f"Summary of {reference}",
        service_area=area,
        total_value=Decimal("80000.50"),
        duration_months=extra.pop("duration_months", 24),
        lead_commissioner=lead,
        regime="below_threshold",
        created_by=creator,
        **extra,
    )
    Opportunity.objects.filter(pk=made.pk).update(created_at=created_at)
    return made


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_opportunity_gets_one_record_with_its_facts_numbered_by_the_year_it_was_started():
    old = _migrate(BEFORE)
    Organisation = old.get_model("accounts", "Organisation")
    User = old.get_model("accounts", "User")
    Ward = old.get_model("core", "Ward")
    council = Organisation.objects.create(name="Leeds City Council", slug="leeds-cc", side="commissioner")
    icb = Organisation.objects.create(name="West Yorkshire ICB", slug="wy-icb", side="commissioner")
    creator = User.objects.create(email="maker@example.org", full_name="A Maker", password="!")
    later = _opportunity(
        old,
        reference="LCH-2027-0001",
        created_at=datetime(2027, 1, 5, 9, tzinfo=LONDON),
        lead=council,
        creator=creator,
        service_start=date(2027, 4, 1),
        duration_months=12,
    )
    later.wards.set(Ward.objects.filter(code__in=["E05011398", "E05011399"]))
    later.joint_commissioners.set([icb, council])
    first = _opportunity(
        old, reference="LCH-2026-0007", created_at=datetime(2026, 3, 2, 9, tzinfo=LONDON), lead=council, creator=creator
    )
    second = _opportunity(
        old,
        reference="LCH-2026-0008",
        created_at=datetime(2026, 12, 31, 23, 30, tzinfo=LONDON),
        lead=icb,
        creator=creator,
        city_wide=True,
    )

    new = _migrate(AFTER)

    Opportunity = new.get_model("opportunities", "Opportunity")
    CommissioningRecord = new.get_model("records", "CommissioningRecord")
    assert CommissioningRecord.objects.count() == 3
    records = {o.reference: o.record for o in Opportunity.objects.select_related("record")}
    assert records["LCH-2026-0007"].reference == "CR-2026-0001"
    assert records["LCH-2026-0008"].reference == "CR-2026-0002"  # late on New Year's Eve in Leeds: still 2026
    assert records["LCH-2027-0001"].reference == "CR-2027-0001"
    made = records["LCH-2027-0001"]
    assert (made.title, made.summary, made.estimated_value) == (
        "Title of LCH-2027-0001",
        "Summary of LCH-2027-0001",
        Decimal("80000.50"),
    )
    assert made.lead_body_id == council.pk and [b.pk for b in made.joint_bodies.all()] == [icb.pk]
    assert sorted(w.code for w in made.wards.all()) == ["E05011398", "E05011399"]
    assert (made.expected_start, made.expected_end) == (date(2027, 4, 1), date(2028, 3, 31))
    assert made.created_by_id == creator.pk and made.created_at == datetime(2027, 1, 5, 9, tzinfo=LONDON)
    assert records["LCH-2026-0008"].city_wide is True and records["LCH-2026-0008"].expected_end is None
    assert records["LCH-2026-0007"].pk != records["LCH-2026-0008"].pk
    del first, second


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_sqlite_the_search_triggers_and_finder_indexes_survive_the_tables_rebuild():
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite rebuilds the table")
    _migrate(BEFORE)
    _migrate(AFTER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'opportunities_opportunity'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "opportunities_search_insert",
        "opportunities_search_delete",
        "opportunities_search_update",
        "opportunity_finder_idx",
        "opportunity_status_value_idx",
        "opportunity_closing_idx",
    } <= names
