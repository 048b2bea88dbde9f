import re
import pytest
from playwright.sync_api import expect
import csp.middleware

@pytest.mark.browser
def test_probe(page, visit, monkeypatch):
    monkeypatch.setattr(csp.middleware.CheckableLazyObject, "__bool__", lambda self: True)
    visit(page, "/sign-in/")
    assert page.console_errors == [], page.console_errors
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(page.get_by_role("button", name=re.compile(r"^Show"))).to_be_visible()
