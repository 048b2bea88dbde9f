"""The commissioner records a performance assessment from the accepted returns; the provider reads it.

Axe checks every page the test reaches.
"""

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.contracts import returns, services
from commissioning.contracts.models import PerformanceAssessment
from commissioning.contracts.tests.factories import direct_agreement
from commissioning.contracts.tests.test_returns import complete


@pytest.fixture
def reported(transactional_db):
    """An accepted agreement with one KPI and its first return accepted: 70 people supported against 100."""
    agreement = direct_agreement()
    commissioner, admin = agreement.commissioner_person, agreement.admin
    services.measure_save(actor=commissioner, agreement=agreement, name="People supported", target=100, unit="people")
    issued = services.agreement_issue(actor=commissioner, agreement=agreement)
    accepted = services.agreement_accept(
        actor=admin, agreement=issued, name="Sam Okafor", role="Director", digest=issued.document_digest
    )
    first = accepted.returns.get(number=1)
    first = returns.return_submit(
        actor=admin, monitoring_return=first, data={**complete(accepted), "measure_1_actual": "70"}
    )
    returns.return_review(actor=commissioner, monitoring_return=first, outcome="accepted")
    accepted.admin, accepted.commissioner_person = admin, commissioner
    return accepted


@pytest.mark.browser
def test_an_assessment_recorded_by_the_commissioner_and_read_by_the_provider(
    new_page, reported, visit, submit, follow, sign_in
):
    agreement = reported
    boss = new_page()
    sign_in(boss, agreement.commissioner_person.email, PASSWORD)
    visit(boss, f"/contracts/commissioning/{agreement.reference}/")
    follow(boss, "KPIs and performance")
    expect(boss.get_by_role("heading", level=1)).to_have_text("KPIs and performance")
    expect(boss.locator("main")).to_contain_text("KPI 1: results by return")
    expect(boss.locator("main svg.app-chart")).to_have_count(1)
    kpi = boss.get_by_role("group", name="KPI 1: People supported")
    expect(kpi.get_by_label("Requires improvement")).to_be_checked()  # 70 against 100, suggested from the return

    # Requires improvement without a note is refused, with what to do.
    boss.get_by_role("group", name="Overall rating").get_by_label("Requires improvement").check()
    submit(boss, "Record the assessment")
    expect(boss.locator(".govuk-error-summary")).to_contain_text("Say why performance requires improvement")
    boss.get_by_label("Note to the provider").fill("Fewer people than agreed; we will meet to plan the winter.")
    submit(boss, "Record the assessment")
    expect(boss.locator("main")).to_contain_text("The assessment is recorded")
    expect(boss.locator("main")).to_contain_text("Requires improvement")
    assert PerformanceAssessment.objects.filter(agreement=agreement).count() == 1

    # The provider reads it, read-only.
    provider = new_page()
    sign_in(provider, agreement.admin.email, PASSWORD)
    visit(provider, f"/contracts/yours/{agreement.reference}/")
    follow(provider, "Performance assessments")
    expect(provider.get_by_role("heading", level=1)).to_have_text("Performance assessments")
    expect(provider.locator("main")).to_contain_text("we will meet to plan the winter")
    expect(provider.get_by_role("button", name="Record the assessment")).to_have_count(0)
