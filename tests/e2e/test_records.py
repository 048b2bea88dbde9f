"""The commissioning record in the browser: from the navigation to a record whose tender was awarded,
and a record with no opportunity yet. Axe checks every page each test reaches.
"""

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.evaluation.tests.awarded import awarded_tender
from commissioning.records.tests.factories import record_for


@pytest.fixture
def awarded(transactional_db):
    opened, evaluation = awarded_tender()
    yield opened


def test_a_commissioner_reads_a_records_story_stage_by_stage(page, awarded, visit, follow, sign_in):
    record = awarded.opportunity.record
    planned = record_for(awarded.commissioner, title="Extra care housing support")
    sign_in(page, awarded.commissioner.email, PASSWORD)
    visit(page, "/commissioning/")
    follow(page, "Commissioning records", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissioning records")
    expect(page.get_by_role("status")).to_have_text("2 records")

    follow(page, record.reference, exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(record.title)
    expect(page.get_by_role("heading", name="Commissioning and procurement (including grant-making)")).to_be_visible()
    expect(page.get_by_role("heading", name="Evaluation and award")).to_be_visible()
    expect(page.get_by_text("Bids received")).to_be_visible()
    expect(page.get_by_text(f"{awarded.bidders[0][1].name}, £30,000").first).to_be_visible()

    follow(page, f"{awarded.opportunity.reference}: {awarded.opportunity.title}")
    expect(page.get_by_role("link", name=f"{record.reference}: {record.title}")).to_be_visible()
    follow(page, f"{record.reference}: {record.title}")

    visit(page, f"/commissioning/records/{planned.reference}/")
    expect(page.get_by_text("No tender or grant round has been started in this record yet")).to_be_visible()
    follow(page, "Start a tender or grant round in this record")
    expect(page.get_by_label("Which commissioning record is it part of?")).to_have_value(planned.reference)
