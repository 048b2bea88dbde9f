"""Filtered lists in the browser: on a phone the results come first, the filters wait behind "Show filters",
the selected filters are tags that remove themselves, and "Clear filters" starts again. Axe checks each state.
"""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.opportunities.tests.factories import commissioner_at, draft, published

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
# Screenshots to look at by eye, kept out of the repository (build/ is ignored).
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def listed(transactional_db):
    published(title="Youth mentoring in Beeston", kind="grant", value=Decimal(20_000), lots=1)
    published(title="Befriending for older people in Wetherby", value=Decimal(60_000), lots=1)
    published(title="Accessible transport across Leeds", value=Decimal(90_000), lots=1)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


@pytest.mark.browser
def test_on_a_phone_the_finder_shows_results_first_and_the_filters_behind_a_button(
    page, listed, visit, submit, follow, check_a11y
):
    page.set_viewport_size(PHONE)
    visit(page, "/opportunities/?kind=grant")
    show = page.locator("summary", has_text="Show filters")
    expect(show).to_be_visible()
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
    # The first result, the selected filter and "Clear filters" are on the first screen.
    first = page.get_by_role("link", name="Youth mentoring in Beeston")
    shot(page, "finder-phone")
    expect(first).to_be_in_viewport()
    expect(page.get_by_role("link", name="Clear filters")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Remove this filter: Type: Grant round")).to_be_visible()
    shot(page, "finder-phone")

    show.click()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    expect(page.locator("summary", has_text="Hide filters")).to_be_visible()
    check_a11y(page)
    shot(page, "finder-phone-filters-open")
    page.get_by_label("Type").select_option(label="Tender (contract)")
    submit(page, "Apply filters")
    expect(page.get_by_role("status")).to_contain_text("2 opportunities")
    expect(page.get_by_role("link", name="Remove this filter: Type: Tender (contract)")).to_be_visible()

    follow(page, "Remove this filter: Type: Tender (contract)")
    expect(page.get_by_role("status")).to_contain_text("3 opportunities")
    expect(page.get_by_role("link", name="Clear filters")).to_have_count(0)


@pytest.mark.browser
def test_on_a_wide_screen_the_filters_stand_open_beside_the_results(page, listed, visit, follow):
    page.set_viewport_size(DESKTOP)
    visit(page, "/opportunities/?q=transport&state=all")
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
    expect(page.locator("summary.app-filter__toggle")).to_be_hidden()
    expect(page.get_by_label("Search")).to_have_value("transport")
    shot(page, "finder-desktop")
    follow(page, "Clear filters")
    expect(page.get_by_label("Search")).to_have_value("")
    expect(page.get_by_role("status")).to_contain_text("3 opportunities")


@pytest.mark.browser
def test_without_javascript_the_filters_still_work_on_a_phone_and_a_wide_screen(
    browser, live_server, transactional_db, django_db_serialized_rollback, listed
):
    # Axe runs as a script, so it checks these pages in the tests above, with scripts on.
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto("/opportunities/")
        expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()
        page.locator("summary", has_text="Show filters").click()
        page.get_by_label("Type").select_option(label="Grant round")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.get_by_role("status")).to_contain_text("1 opportunity")
        page.set_viewport_size(DESKTOP)
        page.goto("/opportunities/")
        # A closed <details> shown by style alone: the filters are there without a script.
        expect(page.get_by_role("button", name="Apply filters")).to_be_visible()
        expect(page.locator("summary.app-filter__toggle")).to_be_hidden()
        shot(page, "finder-desktop-no-script")
    finally:
        context.close()


@pytest.mark.browser
def test_the_commissioners_dashboard_lists_pages_and_filters_by_stage(
    page, transactional_db, settings, visit, submit, follow, sign_in
):
    settings.DASHBOARD_PAGE_SIZE = 5
    commissioner = commissioner_at()
    for number in range(7):
        draft(commissioner, lots=1, title=f"Draft tender {number}")
    published(commissioner, lots=1, title="Open tender for carers")
    sign_in(page, commissioner.email, PASSWORD)
    page.set_viewport_size(DESKTOP)
    visit(page, "/commissioning/")
    expect(page.get_by_role("status")).to_have_text("8 opportunities, showing 1 to 5")
    expect(page.get_by_label("Drafts (7)")).to_be_visible()
    page.get_by_label("Open (1)").check()
    submit(page, "Apply filters")
    expect(page.get_by_role("status")).to_have_text("1 opportunity")
    expect(page.get_by_role("link", name="Open tender for carers")).to_be_visible()
    shot(page, "dashboard-desktop")
    follow(page, "Remove this filter: Stage: Open")
    follow(page, "Next")
    expect(page.get_by_role("status")).to_have_text("8 opportunities, showing 6 to 8")
    page.set_viewport_size(PHONE)
    expect(page.locator("summary", has_text="Show filters")).to_be_visible()
    shot(page, "dashboard-phone")
