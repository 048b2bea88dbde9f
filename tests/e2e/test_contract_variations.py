"""A commissioner proposes an inflation uplift from the agreement's value against the CPI; a second commissioner
of the same body approves it, and the value and the unpaid instalments change. The administrator's CPI figures.

Axe checks every page the test reaches.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import PASSWORD, person_with_role
from commissioning.contracts.models import Agreement, VariationStatus
from commissioning.contracts.tests.factories import direct_agreement


@pytest.fixture
def running(transactional_db):
    """£90,000 over three years from April 2024, paid quarterly in arrears; a second commissioner of the body."""
    agreement = direct_agreement(accept_as=True, value=Decimal("90000"), starts_on=date(2024, 4, 1), months=36)
    agreement.colleague = person_with_role(Role.COMMISSIONER, agreement.commissioner)
    return agreement


@pytest.mark.browser
def test_an_uplift_proposed_then_approved_by_a_second_commissioner(new_page, running, visit, submit, follow, sign_in):
    agreement = running
    boss = new_page()
    sign_in(boss, agreement.commissioner_person.email, PASSWORD)
    visit(boss, f"/contracts/commissioning/{agreement.reference}/")
    follow(boss, "Variations and inflation")
    expect(boss.get_by_role("heading", level=1)).to_have_text("Variations and inflation")
    expect(boss.locator("main")).to_contain_text(re.compile(r"£[0-9,]+ a year since 2024 is £[0-9,]+ in 2024 pounds"))
    expect(boss.locator("main svg[role=img]")).to_be_visible()
    expect(boss.get_by_role("table").filter(has_text="in 2024 pounds")).to_be_visible()

    # The uplift form is pre-filled with what would restore the value; a bad figure is refused first.
    follow(boss, "Apply an inflation uplift", role="button")
    uplift = boss.get_by_label("Uplift, in per cent")
    suggested = uplift.input_value()
    assert Decimal(suggested) > 0
    uplift.fill("1e4")
    submit(boss, "Propose the uplift")
    expect(boss.locator(".govuk-error-summary")).to_be_visible()
    uplift.fill(suggested)
    submit(boss, "Propose the uplift")
    expect(boss.get_by_role("heading", level=1)).to_have_text("Variation 1: inflation uplift")
    expect(boss.locator("main")).to_contain_text("Waiting for another commissioner")
    expect(boss.get_by_role("button", name="Save the decision")).to_have_count(0)
    assert Agreement.objects.get(pk=agreement.pk).value == Decimal("90000")

    # The second commissioner finds it on the dashboard and approves it.
    second = new_page()
    sign_in(second, agreement.colleague.email, PASSWORD)
    visit(second, "/commissioning/")
    expect(second.locator("main")).to_contain_text("Decide on variation 1")
    visit(second, f"/contracts/commissioning/{agreement.reference}/variations/1/")
    submit(second, "Save the decision")
    expect(second.locator(".govuk-error-summary")).to_contain_text("Choose whether to approve the variation")
    second.get_by_label(re.compile("Approve it")).check()
    submit(second, "Save the decision")
    expect(second.locator(".govuk-notification-banner")).to_contain_text("is approved")
    varied = Agreement.objects.get(pk=agreement.pk)
    assert varied.variations.get().status == VariationStatus.APPROVED and varied.value > Decimal("90000")
    assert sum(p.amount for p in varied.payments.all()) == varied.value

    # The proposer sees the new value; the provider sees the approved variation.
    visit(boss, f"/contracts/commissioning/{agreement.reference}/variations/")
    expect(boss.locator("main")).to_contain_text("Approved")
    provider = new_page()
    sign_in(provider, agreement.admin.email, PASSWORD)
    visit(provider, f"/contracts/yours/{agreement.reference}/")
    expect(provider.locator("main")).to_contain_text("Approved variations")


@pytest.mark.browser
def test_an_administrator_adds_a_cpi_figure_and_a_duplicate_is_refused(
    new_page, transactional_db, visit, submit, sign_in
):
    administrator = person_with_role(Role.ADMINISTRATOR)
    page = new_page()
    sign_in(page, administrator.email, PASSWORD)
    visit(page, "/contracts/inflation/")
    expect(page.locator("main")).to_contain_text("9.1%")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("12-month rate, in per cent").fill("3.4")
    page.get_by_label("Where it was published").fill("ONS")
    submit(page, "Add the figure")
    expect(page.locator(".govuk-error-summary")).to_contain_text("correct it instead")
    page.get_by_label("Year").fill("2019")
    page.get_by_label("Month (1 to 12)").fill("6")
    submit(page, "Add the figure")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("June 2019")
