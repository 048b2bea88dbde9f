"""An administrator's pages: the Code's settings, the audit log, closure days and API tokens."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.core import clock


def banner(page):
    return page.locator(".govuk-notification-banner--success")


@pytest.mark.browser
def test_an_administrator_changes_settings_closure_days_and_reads_the_audit_log(
    page, administrator, visit, submit, follow, sign_in
):
    sign_in(page, administrator.email, PASSWORD)
    visit(page, "/administration/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    for section in ["Organisations", "The Code's settings", "Audit log", "Closure days"]:
        expect(page.get_by_role("link", name=section, exact=True)).to_be_visible()

    # The Code's settings: a bad value is shown back with what to fix, a good one is saved.
    follow(page, "The Code's settings", exact=True)
    expect(page).to_have_url(re.compile(r"/administration/code/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The Code's rule settings")
    follow(page, "Change PR-5 settings", exact=True)
    weight = page.get_by_label("Least weight given to quality")
    expect(weight).to_have_value("60")
    weight.fill("150")
    submit(page, "Save settings")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.locator(".govuk-error-message")).to_be_visible()
    expect(page.get_by_label("Least weight given to quality")).to_have_value("150")

    page.get_by_label("Least weight given to quality").fill("65")
    submit(page, "Save settings")
    expect(page).to_have_url(re.compile(r"/administration/code/$"))
    expect(banner(page)).to_contain_text("PR-5 settings saved")
    pr5 = page.get_by_role("row", name=re.compile(r"^PR-5 "))
    expect(pr5).to_contain_text("Least weight given to quality: 65%")

    # Closure days: add one in the dd/mm/yyyy form and see it listed.
    visit(page, "/administration/closure-days/")
    day = clock.today() + timedelta(days=30)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    page.get_by_label("Date (dd/mm/yyyy)").fill(day.strftime("%d/%m/%Y"))
    page.get_by_label("Reason").fill("Staff training day")
    submit(page, "Add the closure day")
    expect(banner(page)).to_contain_text("The closure day has been added")
    listed = page.get_by_role("table", name="Closure days").get_by_role("row", name=re.compile("Staff training day"))
    expect(listed).to_contain_text(f"{day.day} {day:%B %Y}")
    expect(listed.get_by_role("button", name=re.compile(r"^Remove"))).to_be_visible()

    # The audit log, filtered by what happened.
    visit(page, "/administration/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    page.get_by_label("What happened").select_option("rule.settings_update")
    submit(page, "Filter", exact=True)
    expect(page).to_have_url(re.compile(r"[?&]verb=rule\.settings_update"))
    events = page.locator("table tbody tr")
    expect(events).to_have_count(1)
    expect(events.first).to_contain_text("rule.settings_update")
    expect(events.first).to_contain_text(administrator.email)
    expect(events.filter(has_text="closure_day.add")).to_have_count(0)

    page.get_by_label("What happened").select_option("closure_day.add")
    submit(page, "Filter", exact=True)
    expect(events).to_have_count(1)
    expect(events.first).to_contain_text("Staff training day")


@pytest.mark.browser
def test_an_api_token_is_shown_once_and_can_be_revoked(page, administrator, visit, submit, sign_in):
    sign_in(page, administrator.email, PASSWORD)
    visit(page, "/account/")
    page.get_by_label("Name of the new token").fill("Monitoring spreadsheet")
    submit(page, "Create a token")

    secret = page.locator("#new-token")
    expect(secret).to_be_visible()
    token = secret.inner_text().strip()
    assert len(token) >= 20, token
    expect(page.get_by_text("It will not be shown again")).to_be_visible()
    row = page.get_by_role("table", name="Your tokens").get_by_role("row", name=re.compile("Monitoring spreadsheet"))
    expect(row).to_contain_text(token[:6])

    # Shown once: the next visit to the page does not show it.
    visit(page, "/account/")
    expect(page.locator("#new-token")).to_have_count(0)
    expect(page.get_by_text(token)).to_have_count(0)

    # The token works until it is revoked, and not after.
    api = page.context.request
    bearer = {"Authorization": f"Bearer {token}"}
    answer = api.get("/api/v1/me", headers=bearer)
    assert answer.status == 200, answer.text()
    assert answer.json()["email"] == administrator.email

    submit(page, "Revoke Monitoring spreadsheet", exact=True)
    expect(banner(page)).to_contain_text("The token ‘Monitoring spreadsheet’ has been revoked")
    today = clock.today()
    expect(row).to_contain_text(f"Revoked {today.day} {today:%B %Y}")
    expect(row.get_by_role("button")).to_have_count(0)
    assert api.get("/api/v1/me", headers=bearer, fail_on_status_code=False).status == 401
