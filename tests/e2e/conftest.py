"""Browser tests: one Chromium for the session, a fresh context per test, axe on every page.

Every page a test reaches is checked against WCAG 2.2 AA with axe. Open a page with
``visit``, press a form's button with ``submit`` and follow a link with ``follow``: each
checks the status and then the page it lands on. Call ``check_a11y(page)`` yourself
after anything else that renders a new page. Every check also fails on a stylesheet,
script, font or image that did not load, and on an uncaught script error.
"""

import os
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse every database query the test makes while the browser is open.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from keyboard import Keyboard  # noqa: E402
from playwright.sync_api import Browser, Page, Response, sync_playwright  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
TIMEOUT_MS = 10_000

_axe = Axe()


# Checks ---------------------------------------------------------------------------


def describe_violations(violations: list[dict]) -> str:
    """Axe's violations as one readable line per rule, then one per offending element."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation.get("nodes", []):
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").replace("\n", " ").strip()
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def _assert_assets_loaded(page: Page) -> None:
    broken = page.context.broken_requests  # type: ignore[attr-defined]
    assert not broken, "The page could not load: " + ", ".join(broken)
    errors = page.context.page_errors  # type: ignore[attr-defined]
    assert not errors, "The page raised JavaScript errors: " + "; ".join(errors)


def check_a11y(page: Page) -> None:
    """Fail with a readable list when axe finds WCAG 2.2 AA problems on the current page."""
    _assert_assets_loaded(page)
    results = _axe.run(page, options=AXE_OPTIONS)
    if results.violations_count > 0:
        pytest.fail(
            f"Accessibility problems on {page.url} ({results.violations_count}):\n"
            + describe_violations(results.response["violations"]),
            pytrace=False,
        )


def _final(response: Response | None) -> Response | None:
    """The response at the end of any redirects that ``response`` starts."""
    if response is None:
        return None
    request = response.request
    while request.redirected_to is not None:
        request = request.redirected_to
    return request.response()


def _assert_status(response: Response | None, status: int, url: str) -> Response:
    response = _final(response)
    assert response is not None, f"No response for {url}"
    assert response.status == status, f"{url} answered {response.status}, expected {status}"
    return response


def visit(page: Page, url: str, *, status: int = 200) -> Response:
    """Open ``url`` (a path on the live server), check its status, then check it with axe."""
    response = _assert_status(page.goto(url), status, url)
    check_a11y(page)
    return response


def submit(page: Page, button: str, *, status: int = 200, exact: bool = False) -> Response:
    """Press the button named ``button``, wait for the page it leads to, and check that page."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=exact).click()
    # A successful POST redirects: the status checked is the page it ends on.
    response = _assert_status(navigation.value, status, f"{button!r} on {urlsplit(page.url).path}")
    check_a11y(page)
    return response


def follow(
    page: Page, link: str | re.Pattern, *, exact: bool = False, status: int = 200, role: str = "link"
) -> Response:
    """Follow the link named ``link``, and check the page it opens.

    A GOV.UK button made of a link has the role "button": pass ``role="button"``.
    """
    with page.expect_navigation() as navigation:
        page.get_by_role(role, name=link, exact=exact).first.click()
    response = _assert_status(navigation.value, status, f"link {link!r}")
    check_a11y(page)
    return response


def sign_in(page: Page, email: str, password: str) -> None:
    """Sign in through the sign-in page's form."""
    visit(page, "/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    submit(page, "Sign in", exact=True)
    assert urlsplit(page.url).path != "/sign-in/", "Signing in failed"


def mailed_path(message, pattern: str = r"https?://\S+") -> str:
    """The path of the first link in an e-mail matching ``pattern`` (links use SITE_URL)."""
    match = re.search(pattern, message.body)
    assert match, f"No link in the e-mail {message.subject!r}:\n{message.body}"
    parts = urlsplit(match.group(0).rstrip(".,)>"))
    return parts.path + (f"?{parts.query}" if parts.query else "")


# Fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    from django.db import connections

    # While Playwright's sync API runs, this thread has an event loop, and Django hands out
    # a second set of database connections (its connection store follows the loop). The
    # migrated contents that serialized rollback restores were stored on the first set
    # when the test database was made: carry them over.
    migrated = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    playwright = sync_playwright().start()
    for alias, contents in migrated.items():
        if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
            connections[alias]._test_serialized_contents = contents
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_page(browser, live_server, transactional_db, django_db_serialized_rollback) -> Iterator[Callable[[], Page]]:
    """Make a page in a context of its own: a second person, with their own cookies.

    The database is restored to its migrated state for each test (wards and the Code's
    rules come from data migrations, which a transactional flush would otherwise lose).
    """
    contexts = []

    def make() -> Page:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(TIMEOUT_MS)
        context.broken_requests = []
        context.page_errors = []

        def on_response(response: Response) -> None:
            if response.request.resource_type != "document" and response.status >= 400:
                context.broken_requests.append(f"{response.url} ({response.status})")

        def on_failed(request) -> None:
            if request.resource_type != "document":
                context.broken_requests.append(f"{request.url} ({request.failure})")

        context.on("response", on_response)
        context.on("requestfailed", on_failed)
        page = context.new_page()
        page.on("pageerror", lambda error: context.page_errors.append(str(error)))
        # Content-Security-Policy refusals are reported on the console; tests may check them.
        page.console_errors = []
        page.on(
            "console",
            lambda message: page.console_errors.append(message.text) if message.type == "error" else None,
        )
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture(name="check_a11y")
def check_a11y_fixture() -> Callable[[Page], None]:
    return check_a11y


@pytest.fixture(name="visit")
def visit_fixture() -> Callable[..., Response]:
    return visit


@pytest.fixture(name="submit")
def submit_fixture() -> Callable[..., Response]:
    return submit


@pytest.fixture(name="follow")
def follow_fixture() -> Callable[..., Response]:
    return follow


@pytest.fixture(name="sign_in")
def sign_in_fixture() -> Callable[[Page, str, str], None]:
    return sign_in


@pytest.fixture(name="keyboard")
def keyboard_fixture() -> Callable[[Page], Keyboard]:
    """Make a :class:`keyboard.Keyboard` for a page: its key presses check focus, and axe checks each page."""
    return lambda page: Keyboard(page, check_page=check_a11y, assert_status=_assert_status)


@pytest.fixture(name="mailed_path")
def mailed_path_fixture() -> Callable[..., str]:
    return mailed_path
