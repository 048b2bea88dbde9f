"""A provider's first day: register, get verified, edit the profile, invite a colleague."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD

ORGANISATION = "Harehills Food Cooperative"
DESCRIPTION = "Cooking clubs and a pay-as-you-feel pantry for families in east Leeds."
PROVIDER_EMAIL = "amina.rahman@example.org"
PROVIDER_PASSWORD = "lentil-soup-on-tuesdays"
COLLEAGUE_EMAIL = "tom.walsh@example.org"
COLLEAGUE_PASSWORD = "allotment-at-roundhay-9"


def summary_row(page, key: str):
    """The row of a GOV.UK summary list whose key is ``key``."""
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )


def messages_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


@pytest.mark.browser
def test_a_provider_registers_is_verified_and_brings_in_a_colleague(
    new_page, administrator, visit, submit, follow, sign_in, mailed_path
):
    # An anonymous visitor starts on the home page and registers.
    page = new_page()
    visit(page, "/")
    follow(page, "Register your organisation")
    expect(page).to_have_url(re.compile(r"/sign-up/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your organisation")

    submit(page, "Register", exact=True)
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.locator('a[href="#id_full_name"]')).to_be_visible()
    expect(page.locator("#id_full_name-error")).to_be_visible()

    page.get_by_label("Your full name").fill("Amina Rahman")
    page.get_by_label("Your e-mail address").fill(PROVIDER_EMAIL)
    page.get_by_label("Create a password").fill(PROVIDER_PASSWORD)
    page.get_by_label("Organisation name").fill(ORGANISATION)
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Which register is your organisation on?").select_option(
        label="Charity Commission for England and Wales (GB-CHC)"
    )
    page.get_by_label("Registration number").fill("1123456")
    page.get_by_label("Address line 1").fill("12 Harehills Lane")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("LS9 7HD")
    page.get_by_label("Latest annual income").fill("45000")
    page.get_by_role("group", name="Is the organisation based in Leeds?").get_by_label("Yes").check()
    page.get_by_label("Armley", exact=True).check()
    submit(page, "Register", exact=True)

    expect(page).to_have_url(re.compile(r"/sign-up/done/$"))
    expect(page.locator(".govuk-panel__title")).to_have_text("Registration received")
    assert messages_to(PROVIDER_EMAIL), "The provider was not told the registration was received"
    assert messages_to(administrator.email), "Administrators were not told of the new organisation"

    # Not yet verified, so not yet in the public directory.
    anonymous = new_page()
    visit(anonymous, "/organisations/")
    expect(anonymous.get_by_role("link", name=ORGANISATION)).to_have_count(0)

    # An administrator checks and verifies it.
    admin_page = new_page()
    sign_in(admin_page, administrator.email, PASSWORD)
    visit(admin_page, "/administration/organisations/")
    follow(admin_page, ORGANISATION, exact=True)
    expect(admin_page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(summary_row(admin_page, "Identifiers")).to_contain_text("GB-CHC-1123456")
    expect(summary_row(admin_page, "Latest income")).to_contain_text("£45,000")
    expect(summary_row(admin_page, "Registered by")).to_contain_text(PROVIDER_EMAIL)
    submit(admin_page, f"Verify {ORGANISATION}", exact=True)
    expect(admin_page.locator(".govuk-notification-banner--success")).to_contain_text(f"{ORGANISATION} is verified")
    follow(admin_page, "Verified", exact=True)
    expect(admin_page.get_by_role("link", name=ORGANISATION, exact=True)).to_be_visible()
    assert any("is verified" in m.subject for m in messages_to(PROVIDER_EMAIL))

    # The provider signs out of the registration session and back in.
    submit(page, "Sign out", exact=True)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have signed out")
    sign_in(page, PROVIDER_EMAIL, PROVIDER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/account/$"))
    roles = page.get_by_role("table", name="Your roles")
    expect(roles.get_by_role("row", name=re.compile(ORGANISATION))).to_contain_text("Provider administrator")

    # ... edits the profile ...
    follow(page, "Profile", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    follow(page, "Edit the profile")
    expect(page.get_by_label("Organisation name")).to_have_value(ORGANISATION)
    expect(page.get_by_label("Armley", exact=True)).to_be_checked()
    page.get_by_label("What does your organisation do?").fill(DESCRIPTION)
    page.get_by_label("Website (optional)").fill("harehillsfood.org.uk")
    submit(page, "Save the profile")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your organisation's profile has been saved"
    )
    expect(page.get_by_text(DESCRIPTION)).to_be_visible()
    expect(page.get_by_role("link", name="https://harehillsfood.org.uk")).to_have_attribute(
        "href", "https://harehillsfood.org.uk"
    )

    # ... checks its register numbers ...
    follow(page, "Identifiers", exact=True)
    identifiers = page.get_by_role("table", name="Your identifiers")
    expect(identifiers.get_by_role("row", name=re.compile("GB-CHC-1123456"))).to_contain_text("Main")
    expect(identifiers.get_by_role("button", name="Remove GB-CHC-1123456")).to_be_visible()
    follow(page, "Back", exact=True)

    # ... and invites a colleague.
    follow(page, "People and invitations")
    follow(page, "Invite a colleague", role="button")
    page.get_by_label("Their e-mail address").fill(COLLEAGUE_EMAIL)
    page.get_by_label("Provider member", exact=True).check()
    submit(page, "Send the invitation")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"An invitation has been sent to {COLLEAGUE_EMAIL}"
    )
    waiting = page.get_by_role("table", name="Invitations waiting")
    expect(waiting.get_by_role("row", name=re.compile(re.escape(COLLEAGUE_EMAIL)))).to_contain_text("Provider member")

    # The colleague follows the link in the e-mail and creates an account.
    invitations = messages_to(COLLEAGUE_EMAIL)
    assert len(invitations) == 1, [m.subject for m in mail.outbox]
    colleague = new_page()
    visit(colleague, mailed_path(invitations[0], r"https?://\S+/invitations/\S+"))
    expect(colleague.get_by_role("heading", level=1)).to_have_text(f"Join {ORGANISATION}")
    colleague.get_by_label("Your full name").fill("Tom Walsh")
    colleague.get_by_label("Create a password").fill(COLLEAGUE_PASSWORD)
    submit(colleague, "Accept the invitation")
    expect(colleague).to_have_url(re.compile(r"/account/$"))
    expect(colleague.locator(".govuk-notification-banner--success")).to_contain_text(
        f"You have joined {ORGANISATION} as provider member"
    )
    expect(
        colleague.get_by_role("table", name="Your roles").get_by_role("row", name=re.compile(ORGANISATION))
    ).to_contain_text("Provider member")

    # The organisation is now in the public directory, with its new description.
    visit(anonymous, "/organisations/")
    follow(anonymous, ORGANISATION, exact=True)
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(ORGANISATION)
    expect(anonymous.get_by_text(DESCRIPTION)).to_be_visible()
    expect(summary_row(anonymous, "Wards served")).to_contain_text("Armley")
    expect(summary_row(anonymous, "Size")).not_to_contain_text("Not given")
    expect(anonymous.get_by_role("link", name="Edit the profile")).to_have_count(0)


@pytest.mark.browser
def test_each_sign_up_error_links_to_its_field(page, visit, submit):
    visit(page, "/sign-up/")
    submit(page, "Register", exact=True)
    links = page.locator(".govuk-error-summary__list a")
    expect(links.first).to_be_visible()
    broken = [
        f"{link.inner_text()!r} -> {link.get_attribute('href')!r}"
        for link in links.all()
        if not page.evaluate(
            "href => href.length > 1 && document.querySelector(href) !== null", link.get_attribute("href")
        )
    ]
    assert not broken, "Error summary links that lead nowhere:\n" + "\n".join(broken)

    # Following a link moves to the field it names.
    page.locator('.govuk-error-summary__list a[href="#id_user_email"]').click()
    expect(page.get_by_label("Your e-mail address")).to_be_focused()
