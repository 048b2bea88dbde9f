"""What anyone can see without an account, and getting back into an account."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD, VerifiedProviderFactory
from commissioning.core.models import Ward


@pytest.mark.browser
def test_information_pages_and_the_code(page, visit, follow):
    visit(page, "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissioning with the third sector in Leeds")
    expect(page.get_by_role("button", name="Register your organisation")).to_have_attribute("href", "/sign-up/")

    visit(page, "/code/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How we apply the Code")
    expect(page.get_by_role("heading", name="The 12 principles")).to_be_visible()
    rule_link = page.locator("h4 a.govuk-link").first
    rule_title = rule_link.inner_text().strip()
    assert re.match(r"^[A-Z]{2}-\d+: ", rule_title), rule_title
    follow(page, rule_title, exact=True)
    expect(page).to_have_url(re.compile(r"/code/rules/[A-Z]{2}-\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(rule_title)
    expect(page.get_by_text("The Code says")).to_be_visible()
    expect(page.get_by_role("heading", name="The principles it serves")).to_be_visible()

    for path, heading in [
        ("/accessibility/", re.compile("accessibility", re.I)),
        ("/privacy/", re.compile("privacy", re.I)),
        ("/cookies/", re.compile("cookies", re.I)),
    ]:
        visit(page, path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    visit(page, "/no-such-page/", status=404)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page).to_have_title(re.compile(r"^Page not found"))
    visit(page, "/code/rules/XX-99/", status=404)


@pytest.mark.browser
def test_the_directory_filters_by_ward(page, visit, submit, follow):
    armley = VerifiedProviderFactory(name="Armley Tenants Together", slug="armley-tenants-together")
    armley.wards.add(Ward.objects.get(name="Armley"))
    elsewhere = VerifiedProviderFactory(name="Otley Riverside Trust", slug="otley-riverside-trust")
    elsewhere.wards.add(Ward.objects.get(name="Otley & Yeadon"))

    visit(page, "/organisations/")
    expect(page.get_by_role("status")).to_have_text("2 providers")
    page.get_by_label("Ward").select_option(label="Armley")
    submit(page, "Apply filters")

    expect(page).to_have_url(re.compile(r"[?&]ward=E\d+"))
    expect(page.get_by_label("Ward")).to_have_value(Ward.objects.get(name="Armley").code)
    expect(page.get_by_role("status")).to_have_text("1 provider")
    expect(page.get_by_role("link", name="Otley Riverside Trust")).to_have_count(0)
    follow(page, "Armley Tenants Together", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Armley Tenants Together")
    expect(page.get_by_text("Armley", exact=True)).to_be_visible()


@pytest.mark.browser
def test_a_wrong_password_is_refused_and_a_forgotten_one_reset(
    page, provider_admin, visit, submit, follow, sign_in, mailed_path
):
    visit(page, "/sign-in/")
    page.get_by_label("E-mail address").fill(provider_admin.email)
    page.get_by_label("Password", exact=True).fill("not-the-password-at-all")
    submit(page, "Sign in", exact=True)
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct e-mail address and password")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")

    follow(page, "I have forgotten my password")
    page.get_by_label("E-mail address").fill(provider_admin.email)
    submit(page, "Send the link")
    expect(page).to_have_url(re.compile(r"/password-reset/sent/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")

    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    assert mail.outbox[0].to == [provider_admin.email]
    visit(page, mailed_path(mail.outbox[0], r"https?://\S+/password-reset/\S+"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    new_password = "kirkgate-market-saturday"
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    submit(page, "Save password")
    expect(page.locator(".govuk-panel__title")).to_have_text("Your password has been changed")

    follow(page, "Sign in", exact=True)
    page.get_by_label("E-mail address").fill(provider_admin.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, "Sign in", exact=True)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct e-mail address and password")

    sign_in(page, provider_admin.email, new_password)
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")


@pytest.mark.browser
def test_the_govuk_frontend_scripts_run_within_the_content_security_policy(page, visit):
    visit(page, "/sign-in/")
    assert page.console_errors == [], "The browser refused or failed scripts:\n" + "\n".join(page.console_errors)
    # The template's inline script marks the page as able to run GOV.UK Frontend, then
    # init.js starts the components: the password input gains its "Show" button.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(page.get_by_role("button", name=re.compile(r"^Show"))).to_be_visible()
