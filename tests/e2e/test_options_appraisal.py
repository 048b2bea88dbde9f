"""The options appraisal in the browser (PL-2): a commissioner weighs the options behind a draft from its
record, is told what is missing, chooses one with the rationale, and the draft's Code check shows PL-2 met.
Axe checks every page the test reaches.
"""

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.opportunities.tests.factories import commissioner_at, draft
from commissioning.planning.models import Appraisal


@pytest.fixture
def unappraised(transactional_db):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    Appraisal.objects.filter(record=opportunity.record).delete()
    return commissioner, opportunity


def _add_option(page, submit, kind: str, description: str, size: str):
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Describe the option").fill(description)
    page.get_by_label("Size (optional)").fill(size)
    page.get_by_label("Number of contracts or grants (optional)").fill("3")
    page.get_by_label("Benefits", exact=True).fill("Local groups can bid for their own area")
    page.get_by_label("Risks", exact=True).fill("Several contracts to co-ordinate")
    submit(page, "Save the option")


def test_a_commissioner_appraises_the_options_and_the_draft_meets_pl2(
    page, unappraised, visit, follow, submit, sign_in
):
    commissioner, opportunity = unappraised
    record = opportunity.record
    sign_in(page, commissioner.email, PASSWORD)
    visit(page, f"/commissioning/opportunities/{opportunity.reference}/check/")
    expect(page.get_by_text("No options appraisal is recorded for this piece of commissioning").first).to_be_visible()

    visit(page, f"/commissioning/records/{record.reference}/")
    follow(page, "Start the options appraisal")
    expect(page.get_by_role("heading", level=1)).to_have_text("Options appraisal")
    expect(page.get_by_text("PL-2 is not met yet")).to_be_visible()

    follow(page, "Add an option", role="button")
    submit(page, "Save the option")
    expect(page.get_by_role("alert")).to_contain_text("Choose what kind of option it is")
    expect(page.get_by_role("alert")).to_contain_text("Describe the option")
    _add_option(page, submit, "Several lots", "Three lots by area", "80,000")
    expect(page.get_by_role("heading", name="Several lots: Three lots by area")).to_be_visible()
    expect(page.get_by_text("£80,000, 3 contracts or grants")).to_be_visible()
    expect(page.get_by_text("PL-2 is not met yet: 1 option appraised; at least 2 are expected")).to_be_visible()
    follow(page, "Add an option", role="button")
    _add_option(page, submit, "Grant", "Grants to local groups", "80,000")

    submit(page, "Record the choice")
    expect(page.get_by_role("alert")).to_contain_text("Choose one of the options considered")
    page.get_by_label("Grant: Grants to local groups").check()
    page.get_by_label("Why this option?").fill("Small groups can apply with a short form")
    submit(page, "Record the choice")
    expect(page.get_by_text("PL-2 is met: Grant chosen from 2 options")).to_be_visible()

    visit(page, f"/commissioning/opportunities/{opportunity.reference}/check/")
    expect(page.get_by_text("Grant chosen from 2 options: Small groups can apply with a short form")).to_be_visible()


@pytest.fixture
def approved_plan(transactional_db):
    from commissioning.planning import services
    from commissioning.planning.tests.factories import plan_for, third_sector_partners

    commissioner = commissioner_at()
    plan = plan_for(commissioner, publish=True)
    third_sector_partners(commissioner, plan)
    return commissioner, services.plan_approve(actor=commissioner, plan=plan)


def test_an_approved_plan_with_its_appraisal_becomes_an_opportunity(
    page, approved_plan, visit, follow, submit, sign_in
):
    commissioner, plan = approved_plan
    record = plan.record
    sign_in(page, commissioner.email, PASSWORD)
    visit(page, f"/pipeline/commissioning/{record.reference}/")
    follow(page, "Options appraisal")
    follow(page, "Add an option", role="button")
    _add_option(page, submit, "Grant", "Grants to local groups", "250,000")
    follow(page, "Add an option", role="button")
    _add_option(page, submit, "Contract", "One contract for west Leeds", "250,000")
    page.get_by_label("Grant: Grants to local groups").check()
    page.get_by_label("Why this option?").fill("Groups young carers trust can apply")
    submit(page, "Record the choice")
    expect(page.get_by_text("PL-2 is met: Grant chosen from 2 options")).to_be_visible()

    visit(page, f"/pipeline/commissioning/{record.reference}/")
    follow(page, "Start its tender or grant round", role="button")
    expect(page.get_by_label("Title")).to_have_value(record.title)
    expect(page.get_by_label("Which commissioning record is it part of?")).to_have_value(record.reference)
    expect(page.get_by_label("Grant round")).to_be_checked()
