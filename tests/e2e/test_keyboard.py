"""Three journeys with the keyboard alone: a commissioner publishes, a provider bids, an evaluator scores.

No clicks: Tab and Shift+Tab move focus, Enter and Space press, arrow keys choose, and text
is typed where focus has arrived. On the way every focused element must show the GOV.UK
focus style and come after the one before it in reading order; a page with errors must
put focus on its error summary, whose links take focus to their fields. Axe checks every
page the journeys open.
"""

import re

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.opportunities.models import Status
from commissioning.opportunities.tests.factories import commissioner_at, draft

def main(page):
    return page.locator("#main-content")


@pytest.mark.browser
def test_a_commissioner_corrects_the_details_and_publishes_with_the_keyboard(page, keyboard):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, title="Peer support in east Leeds")
    keys = keyboard(page)
    keys.sign_in(commissioner.email, PASSWORD)

    keys.open(page.get_by_role("link", name="Your opportunities"))
    keys.open(main(page).get_by_role("link", name="Peer support in east Leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support in east Leeds")

    # A blank title comes back with the error summary focused; its link leads to the field.
    keys.open(main(page).get_by_role("link", name="Change details"))
    title = page.get_by_label("Title", exact=True)
    keys.tab_to(title)
    keys.replace("")
    keys.open(page.get_by_role("button", name=re.compile("^Save")))
    keys.error_summary_has_focus()
    keys.follow_error(re.compile("title", re.I), title)
    keys.type("Peer support groups in east Leeds")
    keys.open(page.get_by_role("button", name=re.compile("^Save")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support groups in east Leeds")

    keys.open(page.get_by_role("button", name="Check against the Code"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check against the Code")
    keys.open(page.get_by_role("button", name="Publish", exact=True))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.title) == (Status.PUBLISHED, "Peer support groups in east Leeds")
