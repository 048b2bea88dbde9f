"""In the browser: beneficiaries' feedback through the public page, seen and answered by the provider and seen by
the commissioner; the public contracts register, a filter, an agreement's page and the CSV download.

Axe checks every page each test reaches.
"""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.contracts.models import BeneficiaryFeedback
from commissioning.contracts.tests.factories import direct_agreement


@pytest.fixture
def running(transactional_db, settings):
    settings.CONTRACTS = {**settings.CONTRACTS, "feedback_min_seconds": 0}
    return direct_agreement(accept_as=True, title="Carers support in Armley")


@pytest.mark.browser
def test_feedback_from_the_public_page_to_the_provider_and_the_commissioner(
    new_page, running, visit, submit, follow, sign_in
):
    anyone = new_page()
    visit(anyone, f"/contracts/feedback/{running.feedback_token}/")
    expect(anyone.get_by_role("heading", level=1)).to_contain_text("Tell us what you think of Carers support in Armley")
    submit(anyone, "Send your feedback")
    expect(anyone.locator(".govuk-error-summary")).to_contain_text("Tell us what you think of the service")
    anyone.get_by_label("What do you want to tell us?").fill("The carers' café on Fridays is a lifeline.")
    anyone.get_by_label("4: Good").check()
    anyone.get_by_label("Your e-mail address or phone number (optional)").fill("pat@example.org")
    submit(anyone, "Send your feedback")
    expect(anyone.locator("main")).to_contain_text("Your feedback has been sent")
    assert BeneficiaryFeedback.objects.get(agreement=running).contact == "pat@example.org"

    provider = new_page()
    sign_in(provider, running.admin.email, PASSWORD)
    visit(provider, f"/contracts/yours/{running.reference}/")
    follow(provider, "Beneficiaries' feedback")
    expect(provider.locator("main")).to_contain_text("pat@example.org")
    provider.get_by_label("Your response").fill("Thank you: we will keep Fridays going.")
    submit(provider, "Save your response")
    expect(provider.locator("main")).to_contain_text("Your response is saved")
    follow(provider, "Print the poster")
    expect(provider.locator("svg.app-qr")).to_be_visible()

    boss = new_page()
    sign_in(boss, running.commissioner_person.email, PASSWORD)
    visit(boss, f"/contracts/commissioning/{running.reference}/feedback/")
    expect(boss.locator("main")).to_contain_text("The carers' café on Fridays is a lifeline.")
    expect(boss.locator("main")).to_contain_text("we will keep Fridays going")


@pytest.mark.browser
def test_the_public_register_a_filter_an_agreements_page_and_the_download(new_page, running, visit, submit, follow):
    grant = direct_agreement(issue=True, kind="grant", title="Befriending in Bramley")
    page = new_page()
    visit(page, "/contracts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Contracts register")
    expect(page.locator("main")).to_contain_text("Befriending in Bramley")
    page.get_by_label("Kind").select_option("contract")
    submit(page, "Show agreements")
    expect(page.locator("main")).not_to_contain_text("Befriending in Bramley")
    follow(page, running.title)
    expect(page.locator("main")).to_contain_text("Supplier is a VCSE organisation")
    follow(page, "Back to the contracts register")
    with page.expect_download() as download:
        page.get_by_role("link", name="as CSV", exact=True).click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert running.reference in text and grant.reference in text and text.startswith("Reference,Title,")
    with page.expect_download() as download:
        page.get_by_role("link", name="as an Excel workbook (XLSX)").click()
    assert download.value.suggested_filename == "contracts-register.xlsx"
    with open(download.value.path(), "rb") as workbook:
        sheet = load_workbook(workbook, read_only=True).active
        references = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert running.reference in references and grant.reference in references
