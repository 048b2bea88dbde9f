"""From an award after its standstill to an issued and accepted agreement, in the browser.

Axe checks every page the test reaches.
"""

import re

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.contracts.models import Agreement, AgreementStatus
from commissioning.contracts.tests.factories import after_standstill


@pytest.fixture
def agreed(transactional_db):
    return after_standstill()


@pytest.mark.browser
def test_an_award_becomes_an_issued_then_accepted_agreement(new_page, agreed, visit, submit, follow, sign_in):
    agreement = agreed.agreement
    admin = agreed.provider_admin(agreement)

    # The commissioner finds the drafts from the award's evaluation and from the dashboard.
    boss = new_page()
    sign_in(boss, agreed.commissioner.email, PASSWORD)
    visit(boss, f"/opportunities/{agreed.opportunity_reference}/agreements/")
    expect(boss.get_by_role("heading", level=1)).to_have_text("Agreements")
    expect(boss.locator("main")).to_contain_text(agreement.provider.name)
    visit(boss, "/commissioning/")
    expect(boss.locator("main")).to_contain_text("Check and issue the agreement")
    visit(boss, "/contracts/commissioning/")
    follow(boss, agreement.reference)
    expect(boss.get_by_role("heading", level=1)).to_have_text(agreement.title)

    # A KPI, then the Code's check, then the issue.
    follow(boss, "KPIs")
    submit(boss, "Add the KPI")
    expect(boss.locator(".govuk-error-summary")).to_be_visible()
    boss.get_by_label("What the KPI measures").fill("People supported home")
    boss.get_by_label("Target").fill("120")
    submit(boss, "Add the KPI")
    expect(boss.locator("main")).to_contain_text("People supported home")
    follow(boss, "Back to the agreement")
    expect(boss.get_by_role("button", name="Check against the Code and issue")).to_be_visible()
    visit(boss, f"/contracts/commissioning/{agreement.reference}/check/")
    for code in ("PR-11", "CM-1", "CM-2", "CM-3", "CM-4"):
        expect(boss.locator("main")).to_contain_text(code)
    submit(boss, "Issue the agreement")
    expect(boss.locator("main")).to_contain_text("Waiting for the provider's authorised person to accept it")
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ISSUED

    # The provider's administrator reads it and accepts it, once.
    provider = new_page()
    sign_in(provider, admin.email, PASSWORD)
    visit(provider, "/contracts/yours/")
    follow(provider, agreement.title)
    expect(provider.locator("main")).to_contain_text("The Compact for Leeds")
    submit(provider, "Accept the agreement")
    expect(provider.locator(".govuk-error-summary")).to_contain_text("Confirm that you have read the agreement")
    provider.get_by_label("Your full name").fill("Asha Patel")
    provider.get_by_label("Your role").fill("Chief Executive")
    provider.get_by_label(re.compile("I have read this agreement")).check()
    submit(provider, "Accept the agreement")
    expect(provider.locator("main")).to_contain_text("Accepted for")
    expect(provider.locator("main")).to_contain_text("Returns due")
    accepted = Agreement.objects.get(pk=agreement.pk)
    assert accepted.status == AgreementStatus.ACCEPTED and accepted.accepted_digest == accepted.document_digest

    # The commissioner sees the acceptance and the plan.
    visit(boss, f"/contracts/commissioning/{agreement.reference}/")
    expect(boss.locator("main")).to_contain_text("Accepted for")
    expect(boss.locator("main")).to_contain_text("The monitoring plan: returns due")
