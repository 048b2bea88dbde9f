"""A provider keeps its evidence once: adds an insurance certificate and its address, sees both current."""

import re

import pytest
from playwright.sync_api import expect

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import PASSWORD, IdentifierFactory, person_with_role
from commissioning.evidence.demo import minimal_pdf


def summary_row(page, key: str):
    """The row of a GOV.UK summary list whose key is ``key``."""
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )


@pytest.fixture
def provider_admin(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    user = person_with_role(Role.PROVIDER_ADMIN)
    IdentifierFactory(organisation=user.memberships.get().organisation)
    return user


@pytest.mark.browser
def test_a_provider_adds_two_items_with_a_file_and_sees_them_current(
    page, provider_admin, visit, submit, follow, sign_in
):
    sign_in(page, provider_admin.email, PASSWORD)
    follow(page, "Your evidence")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evidence")
    expect(summary_row(page, "Public liability insurance")).to_contain_text("Missing")

    # A certificate, first with mistakes, then right, with its file.
    follow(page, "Add public liability insurance")
    page.get_by_label("Cover (£)").fill("five million")
    submit(page, "Save", exact=True)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the insurer")
    expect(summary).to_contain_text("Enter an amount in pounds")
    expect(summary).to_contain_text("Choose a file: certificate")
    page.get_by_label("Insurer").fill("Zurich Municipal")
    page.get_by_label("Cover (£)").fill("5000000")
    page.get_by_label("Policy number").fill("PL-2027-114")
    page.get_by_label("Expiry date").fill("31/03/2031")
    page.get_by_label("Certificate").set_input_files(
        files=[{"name": "public-liability.pdf", "mimeType": "application/pdf", "buffer": minimal_pdf("Certificate")}]
    )
    submit(page, "Save", exact=True)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("public liability insurance has been saved")
    insurance = summary_row(page, "Public liability insurance")
    expect(insurance).to_contain_text("Current")
    expect(insurance).to_contain_text("Valid until 31 March 2031")

    # The address comes from the profile: nothing to type.
    follow(page, "Add registered address")
    expect(page.locator(".govuk-inset-text")).to_contain_text("filled in from your organisation's profile")
    expect(page.get_by_label("Postcode")).to_have_value("LS1 5HD")
    submit(page, "Save", exact=True)
    address = summary_row(page, "Registered address")
    expect(address).to_contain_text("Current")
    expect(address).to_contain_text("No expiry date")

    # The certificate's page lists its version with the file to download.
    follow(page, "Change public liability insurance")
    expect(page.get_by_role("link", name=re.compile(r"public-liability\.pdf"))).to_be_visible()
    expect(page.get_by_text("Leave this empty to keep public-liability.pdf")).to_be_visible()
    follow(page, "Your evidence")
    follow(page, "Remove registered address")
    expect(page.get_by_role("heading", level=1)).to_contain_text("remove your registered address")


@pytest.mark.browser
def test_the_other_evidence_pages_pass_axe(page, provider_admin, visit, submit, follow, sign_in):
    from commissioning.accounts.tests.factories import VerifiedProviderFactory

    second = VerifiedProviderFactory(name="Kirkstall Valley Allotments")
    provider_admin.memberships.create(organisation=second, role=Role.PROVIDER_MEMBER)
    sign_in(page, provider_admin.email, PASSWORD)
    visit(page, "/evidence/")
    follow(page, "Kirkstall Valley Allotments")
    follow(page, "Add quality marks and accreditations")
    page.get_by_role("group", name="Quality mark 1").get_by_label("Name").fill("Investing in Volunteers")
    page.get_by_role("group", name="Quality mark 1").get_by_label("Awarding body").fill("NCVO")
    submit(page, "Add another quality mark")
    expect(page.get_by_role("group", name="Quality mark 4")).to_be_visible()
    page.get_by_role("group", name="Quality mark 2").get_by_label("Expiry date (optional)").fill("not a date")
    submit(page, "Save", exact=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name")
    page.get_by_role("group", name="Quality mark 2").get_by_label("Expiry date (optional)").fill("")
    submit(page, "Save", exact=True)
    expect(summary_row(page, "Quality marks and accreditations")).to_contain_text("Current")
    follow(page, "Change quality marks and accreditations")
    page.get_by_role("group", name="Quality mark 1").get_by_label("Expiry date (optional)").fill("01/01/2030")
    submit(page, "Save", exact=True)
    follow(page, "Change quality marks and accreditations")
    page.get_by_text("What version 1 says").click()
    expect(page.get_by_text("Replaced by version 2")).to_be_visible()
