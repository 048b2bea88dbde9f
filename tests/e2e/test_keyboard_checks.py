"""The keyboard checks catch what they are for: focus that cannot be seen, focus that jumps back up
the page, and an error summary that does not take focus (GOV.UK Frontend's scripts not started).

Each test breaks one thing on a real page and expects the check to fail, so the journeys in
test_keyboard.py cannot pass by checking nothing.
"""

import pytest
from playwright.sync_api import expect

SIGN_IN = "/sign-in/"


def add_style(page, css: str) -> None:
    """Add a style sheet to the page (built by script: the page's policy refuses inline styles)."""
    page.evaluate(
        "(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css);"
        " document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]; }",
        css,
    )


@pytest.mark.browser
def test_a_focused_field_that_looks_the_same_as_unfocused_fails_the_check(page, keyboard):
    keys = keyboard(page)
    keys.visit(SIGN_IN)
    add_style(page, "#id_username:focus { outline: none !important; box-shadow: none !important; }")
    with pytest.raises(AssertionError, match="looks the same focused as unfocused"):
        keys.tab_to(page.get_by_label("E-mail address"))


@pytest.mark.browser
def test_focus_that_moves_up_the_page_fails_the_check(page, keyboard):
    keys = keyboard(page)
    keys.visit(SIGN_IN)
    # The fields drawn in the reverse of their order in the page: the password now sits above.
    add_style(page, "main form { display: flex; flex-direction: column-reverse; }")
    keys.tab_to(page.get_by_label("E-mail address"))
    with pytest.raises(AssertionError, match="Focus jumped above"):
        keys.tab_to(page.get_by_label("Password", exact=True))


@pytest.mark.browser
def test_an_error_summary_without_gov_uk_frontend_started_fails_the_check(page, keyboard, provider_admin):
    page.route("**/govuk/init.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    keys = keyboard(page)
    keys.visit(SIGN_IN)
    keys.fill(page.get_by_label("E-mail address"), provider_admin.email)
    keys.fill(page.get_by_label("Password", exact=True), "not-the-password")
    keys.open(page.get_by_role("button", name="Sign in", exact=True))
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    with pytest.raises(AssertionError):
        keys.error_summary_has_focus()
