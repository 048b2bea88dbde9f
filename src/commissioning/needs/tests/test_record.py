"""Needs' part of the commissioning record's page: the record's co-production, and the link to record more."""

import pytest

from commissioning.records.tests.factories import record_for

from ..record import coproduction
from .factories import activity_for

pytestmark = pytest.mark.django_db


def test_the_section_lists_each_activity_and_offers_the_records_commissioners_a_link(commissioner):
    record = record_for(commissioner)
    activity_for(commissioner, record=record, participants=9)
    section = coproduction(record, commissioner)
    assert section.heading == "Co-production"
    assert section.text == "9 people took part across 1 activity."
    first, link = section.parts
    assert first.heading == "Young carers' panel"
    assert {row.key: row.value for row in first.rows}[
        "What changed"
    ] == "Breaks in school holidays became the first need"
    assert link.href == f"/needs/records/{record.reference}/co-production/"


def test_an_administrator_reads_the_activities_without_the_link(commissioner, administrator):
    record = record_for(commissioner)
    assert coproduction(record, administrator) is None
    activity_for(commissioner, record=record)
    section = coproduction(record, administrator)
    assert [part.href for part in section.parts] == [""]


def test_a_commissioner_with_none_recorded_yet_is_offered_the_link(commissioner):
    section = coproduction(record_for(commissioner), commissioner)
    assert section.text == "No co-production is recorded for this record yet."
    assert len(section.parts) == 1
