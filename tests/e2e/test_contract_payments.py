"""In the browser: a commissioner records an invoice, disputes the next one (the provider sees why), records a
payment late, and reads the body's payments compliance figures; the provider reads the organisation's public
page with its agreements. Axe checks every page each test reaches.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.contracts.models import Payment
from commissioning.contracts.tests.factories import direct_agreement
from commissioning.core import clock


@pytest.fixture
def running(transactional_db):
    return direct_agreement(accept_as=True, title="Carers support in Armley")


def _typed(day) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.mark.browser
def test_a_dispute_a_late_payment_and_the_bodys_figures(new_page, running, visit, submit, follow, sign_in):
    one, two = list(running.payments.order_by("number"))[:2]
    today = clock.today()
    boss = new_page()
    sign_in(boss, running.commissioner_person.email, PASSWORD)
    visit(boss, f"/contracts/commissioning/{running.reference}/payments/{one.number}/")
    boss.get_by_label("Date the invoice or claim was received (dd/mm/yyyy)").fill(_typed(today - timedelta(days=50)))
    boss.get_by_label("Date it was paid (dd/mm/yyyy)").fill(_typed(today - timedelta(days=5)))
    submit(boss, "Save the payment")
    expect(boss.locator("main")).to_contain_text("45 days")
    expect(boss.locator("main")).to_contain_text("Late")

    visit(boss, f"/contracts/commissioning/{running.reference}/payments/{two.number}/")
    boss.get_by_label("Date the invoice or claim was received (dd/mm/yyyy)").fill(_typed(today - timedelta(days=3)))
    submit(boss, "Save the payment")
    follow(boss, f"Payment {two.number}")
    submit(boss, "Dispute the invoice")
    expect(boss.locator(".govuk-error-summary")).to_contain_text("Say why the invoice or claim is disputed")
    boss.get_by_label("Why is the invoice or claim disputed?").fill("The hours claimed are more than were agreed")
    submit(boss, "Dispute the invoice")
    expect(boss.locator("main")).to_contain_text("Invoice disputed")
    assert Payment.objects.get(pk=two.pk).disputed

    visit(boss, "/contracts/commissioning/")
    follow(boss, "Paying on time: the payments compliance figures for each six-month period")
    expect(boss.get_by_role("heading", level=1)).to_have_text("Paying on time")
    expect(boss.locator("main")).to_contain_text("Reporting period")

    provider = new_page()
    sign_in(provider, running.admin.email, PASSWORD)
    visit(provider, f"/contracts/yours/{running.reference}/payments/")
    expect(provider.locator("main")).to_contain_text("The hours claimed are more than were agreed")
    visit(provider, f"/organisations/{running.provider.slug}/")
    expect(provider.locator("main")).to_contain_text("Contracts and grants it holds")
    follow(provider, "Carers support in Armley")
    expect(provider.get_by_role("heading", level=1)).to_contain_text("Carers support in Armley")
