"""A provider submits a monitoring return with its breakdowns; the commissioner asks a question, then accepts it.

Axe checks every page the test reaches.
"""

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.contracts import services
from commissioning.contracts.models import MonitoringReturn, ReturnStatus
from commissioning.contracts.tests.factories import direct_agreement
from commissioning.core.geography import leeds_wards


@pytest.fixture
def running(transactional_db):
    agreement = direct_agreement()
    services.measure_save(actor=agreement.commissioner_person, agreement=agreement, name="People helped", target=100)
    issued = services.agreement_issue(actor=agreement.commissioner_person, agreement=agreement)
    accepted = services.agreement_accept(
        actor=agreement.admin, agreement=issued, name="Sam Okafor", role="Director", digest=issued.document_digest
    )
    accepted.admin, accepted.commissioner_person = agreement.admin, agreement.commissioner_person
    return accepted


@pytest.mark.browser
def test_a_return_with_breakdowns_submitted_queried_and_accepted(new_page, running, visit, submit, follow, sign_in):
    agreement = running
    ward = leeds_wards()[0]
    provider = new_page()
    sign_in(provider, agreement.admin.email, PASSWORD)
    visit(provider, f"/contracts/yours/{agreement.reference}/")
    follow(provider, "Monitoring returns")
    follow(provider, "Return 1")
    follow(provider, "Progress against the KPIs")
    provider.get_by_label("KPI 1: People helped. Target 100. Result").fill("104")
    submit(provider, "Save and come back later")
    follow(provider, "What happened, and case studies")
    provider.get_by_label("What happened in the period").fill("Weekly drop-ins at the community centre.")
    submit(provider, "Save and come back later")
    follow(provider, "Spend against budget")
    provider.get_by_label("The budget for the period, in pounds").fill("15,000")
    provider.get_by_label("What was spent in the period, in pounds").fill("14,250.75")
    submit(provider, "Save and come back later")

    # Submitted too soon: what is missing is listed, with links to where it goes.
    follow(provider, "Check and submit the return")
    submit(provider, "Submit the return")
    expect(provider.locator(".govuk-error-summary")).to_contain_text("Enter how many people the service reached")
    follow(provider, "Back to the return")
    follow(provider, "Who the service reached")
    provider.get_by_label("How many people the service reached in the period").fill("8")
    provider.get_by_label(ward.name, exact=True).fill("8")
    for label in ("Under 16", "Disabled", "Female", "White", "No religion", "Straight or heterosexual", "Unpaid carer"):
        provider.get_by_label(label, exact=True).first.fill("8")
    submit(provider, "Save")
    follow(provider, "Check and submit the return")
    submit(provider, "Submit the return")
    expect(provider.locator(".govuk-error-summary")).to_contain_text("do not add up")
    follow(provider, "Back to the return")
    follow(provider, "Who the service reached")
    provider.get_by_label("If a breakdown does not add up to the people reached, why (optional)").fill(
        "Some people did not answer the questions on marriage, pregnancy and gender identity."
    )
    submit(provider, "Save")
    follow(provider, "Check and submit the return")
    submit(provider, "Submit the return")
    expect(provider.locator("main")).to_contain_text("Return 1 is submitted")
    assert MonitoringReturn.objects.get(agreement=agreement, number=1).status == ReturnStatus.SUBMITTED

    # The commissioner reads it (charts with their tables), asks a question, then accepts the answer.
    boss = new_page()
    sign_in(boss, agreement.commissioner_person.email, PASSWORD)
    visit(boss, f"/contracts/commissioning/{agreement.reference}/returns/")
    follow(boss, "Return 1")
    expect(boss.locator("main")).to_contain_text("People reached by ward")
    expect(boss.locator("svg.app-chart").first).to_be_visible()
    boss.get_by_label("Ask the provider questions").check()
    boss.get_by_label("Your note to the provider").fill("Which sessions did the eight people come to?")
    submit(boss, "Send your review")
    expect(boss.locator("main")).to_contain_text("Your questions on return 1 are sent")

    visit(provider, f"/contracts/yours/{agreement.reference}/returns/1/")
    expect(provider.locator("main")).to_contain_text("Which sessions did the eight people come to?")
    follow(provider, "What happened, and case studies")
    provider.get_by_label("What happened in the period").fill("Weekly drop-ins; all eight came to the Tuesday group.")
    submit(provider, "Save and come back later")
    follow(provider, "Check and submit the return")
    submit(provider, "Submit the return")

    visit(boss, f"/contracts/commissioning/{agreement.reference}/returns/1/")
    boss.get_by_label("Accept the return").check()
    submit(boss, "Send your review")
    expect(boss.locator("main")).to_contain_text("Return 1 is accepted")
    assert MonitoringReturn.objects.get(agreement=agreement, number=1).status == ReturnStatus.ACCEPTED
