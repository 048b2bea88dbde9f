"""Three journeys with the keyboard alone: a commissioner publishes, a provider bids, an evaluator scores.

No clicks: Tab and Shift+Tab move focus, Enter and Space press, arrow keys choose, and text
is typed where focus has arrived. On the way every focused element must show the GOV.UK
focus style and come after the one before it in reading order; a page with errors must
put focus on its error summary, whose links take focus to their fields. Axe checks every
page the journeys open.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.evaluation import services
from commissioning.evaluation.models import Panelist
from commissioning.evaluation.tests.factories import opened_tender
from commissioning.opportunities.models import Status
from commissioning.opportunities.tests.factories import commissioner_at, draft
from commissioning.submissions.models import SubmissionRecord
from commissioning.submissions.tests.factories import bidder, tender


def main(page):
    return page.locator("#main-content")


@pytest.mark.browser
def test_a_commissioner_corrects_the_details_and_publishes_with_the_keyboard(page, keyboard):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, title="Peer support in east Leeds")
    keys = keyboard(page)
    keys.sign_in(commissioner.email, PASSWORD)

    keys.open(page.get_by_role("link", name="Your opportunities"))
    keys.skip_to_main()
    keys.open(main(page).get_by_role("link", name="Peer support in east Leeds"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support in east Leeds")

    # A blank title comes back with the error summary focused; its link leads to the field.
    keys.open(main(page).get_by_role("link", name="Change details"))
    title = page.get_by_label("Title", exact=True)
    keys.tab_to(title)
    keys.replace("")
    keys.open(page.get_by_role("button", name=re.compile("^Save")))
    keys.error_summary_has_focus()
    keys.follow_error(title, re.compile("title", re.I))
    keys.type("Peer support groups in east Leeds")
    keys.open(page.get_by_role("button", name=re.compile("^Save")))
    keys.success_banner_has_focus()
    expect(page.get_by_role("heading", level=1)).to_have_text("Peer support groups in east Leeds")

    # A link drawn as a button answers Space as a button does.
    keys.open(page.get_by_role("button", name="Check against the Code"), key="Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check against the Code")
    keys.open(page.get_by_role("button", name="Publish", exact=True))
    keys.success_banner_has_focus()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")
    assert keys.sweep() >= 6  # every control on the page after publishing, to the footer's six links
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.title) == (Status.PUBLISHED, "Peer support groups in east Leeds")


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def task(page, name: str | re.Pattern):
    """A task list entry's link, inside the page's main content."""
    return page.locator(".govuk-task-list").get_by_role("link", name=name)


@pytest.mark.browser
@pytest.mark.usefixtures("_media")
def test_a_provider_bids_from_the_opportunity_page_to_the_receipt_with_the_keyboard(page, keyboard):
    opportunity = tender(title="Befriending for older people")
    person, organisation = bidder()
    keys = keyboard(page)

    # A mistyped password: the error is about the whole form, and its link leads to the first field.
    keys.visit("/sign-in/")
    email = page.get_by_label("E-mail address")
    keys.fill(email, person.email)
    keys.fill(page.get_by_label("Password", exact=True), "not-the-password")
    keys.open(page.get_by_role("button", name="Sign in", exact=True))
    keys.error_summary_has_focus()
    keys.follow_error(email)
    keys.tab_to(page.get_by_label("Password", exact=True))
    keys.type(PASSWORD)
    keys.open(page.get_by_role("button", name="Sign in", exact=True))

    keys.visit(f"/opportunities/{opportunity.reference}/")
    keys.open(page.get_by_role("button", name="Start or continue your bid"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bid")

    # Checking too soon: the one summary of what is still to do takes focus, and leads to each part.
    keys.open(page.get_by_role("button", name="Check your answers"))
    keys.error_summary_has_focus()
    expect(page.locator(".govuk-error-summary")).to_have_count(1)
    keys.open(page.locator(".govuk-error-summary__list").get_by_role("link", name=re.compile("insurance")))

    # The evidence from the store, confirmed with Space.
    for label in ["Public liability insurance", "Safeguarding adults policy"]:
        keys.toggle(page.get_by_role("checkbox", name=label))
    keys.open(page.get_by_role("button", name="Confirm and continue"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your evidence is confirmed")

    # Both lots, one priced under its floor: the error summary takes focus and leads to the price.
    keys.open(task(page, "Lots and prices"))
    keys.toggle(page.get_by_role("checkbox", name="Lot 1: Lot 1"))
    keys.toggle(page.get_by_role("checkbox", name="Lot 2: Lot 2"))
    # The second price first, then back to the first with Shift+Tab.
    first_price = page.get_by_label("Your price, lot 1 (£)")
    keys.fill(page.get_by_label("Your price, lot 2 (£)"), "31000")
    keys.tab_to(first_price, backwards=True)
    keys.type("27500")
    keys.open(page.get_by_role("button", name="Save and continue"))
    keys.error_summary_has_focus()
    expect(page.locator(".govuk-error-summary")).to_contain_text("minimum acceptable price of £28,000")
    keys.follow_error(first_price, "minimum acceptable price")
    keys.replace("29500")
    keys.open(page.get_by_role("button", name="Save and continue"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your lots and prices are saved")

    # The three answers, one page after another.
    keys.open(task(page, re.compile(r"^1\. ")))
    for number in (1, 2):
        keys.fill(page.get_by_label("Your answer"), f"Our answer to question {number}, typed.")
        keys.open(page.get_by_role("button", name="Save and go to the next question"))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Question {number + 1}")
    keys.fill(page.get_by_label("Your answer"), "Our answer to question 3, typed.")
    keys.open(page.get_by_role("button", name="Save and return to your bid"))

    keys.open(task(page, "Social value commitments"))
    keys.fill(page.get_by_label("What will you do?"), "Train local people as befriending volunteers")
    keys.fill(page.get_by_label("How will it be measured?"), "Volunteers trained who live in LS7")
    keys.fill(page.get_by_label("Target"), "15 a year")
    keys.open(page.get_by_role("button", name="Add commitment"))
    expect(page.get_by_role("table", name="Your commitments")).to_contain_text("15 a year")
    keys.open(page.get_by_role("link", name="Return to your bid"))

    # Check, declare (forgetting the confirmation first), submit.
    keys.open(page.get_by_role("button", name="Check your answers and submit"))
    keys.fill(page.get_by_label("Role", exact=True), "Chair of trustees")
    keys.open(page.get_by_role("button", name="Submit your bid"))
    keys.error_summary_has_focus()
    confirmation = page.get_by_role("checkbox", name=re.compile("I confirm that the information"))
    keys.follow_error(confirmation)
    keys.press("Space")
    expect(confirmation).to_be_checked()
    keys.open(page.get_by_role("button", name="Submit your bid"))

    expect(page.locator(".govuk-panel__title")).to_have_text("Bid submitted")
    record = SubmissionRecord.objects.get(submission__opportunity=opportunity)
    expect(page.locator("code.app-digest")).to_have_text(record.sha256)
    assert keys.sweep() >= 6  # every control on the receipt, to the footer's six links
    assert {lot["price"] for lot in record.document["lots"]} == {"29500.00", "31000.00"}
    assert record.document["declaration"]["role"] == "Chair of trustees"


@pytest.fixture
def opened(transactional_db):
    made = opened_tender(prices=(Decimal("30000.00"), Decimal("32000.00")))
    yield made


@pytest.mark.browser
def test_an_evaluator_declares_and_scores_with_the_keyboard(page, keyboard, opened):
    (_, first_org, _), (_, second_org, _) = opened.bidders
    evaluator = opened.evaluator()
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=evaluator)
    keys = keyboard(page)
    keys.sign_in(evaluator.email, PASSWORD)

    keys.open(page.get_by_role("link", name="Your panels"))
    keys.open(main(page).get_by_role("link", name=opened.opportunity.title))
    expect(page.get_by_role("heading", level=1)).to_have_text("Declare any conflicts of interest")
    for organisation in (first_org, second_org):
        keys.choose(page.get_by_role("group", name=organisation.name).get_by_label("No conflict"))
    keys.open(page.get_by_role("button", name="Confirm your declarations"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bids to score")

    # A score without its justification: the summary takes focus and leads to the field.
    keys.open(main(page).get_by_role("link", name=first_org.name, exact=True))
    scale = page.locator("details.govuk-details")
    keys.tab_to(scale.locator("summary"))
    keys.press("Enter")
    expect(scale).to_have_attribute("open", "")
    expect(scale).to_contain_text("4: Excellent")
    keys.choose(page.locator("input[name='score-1'][value='4']"))
    keys.open(page.get_by_role("button", name="Save and return to your bids"))
    keys.error_summary_has_focus()
    keys.follow_error(page.locator("#id_justification-1"), re.compile(r"^Question 1\b"))
    keys.type("Strong, evidenced answer (question 1)")
    for number in (2, 3):
        keys.choose(page.locator(f"input[name='score-{number}'][value='3']"))
        keys.fill(page.locator(f"#id_justification-{number}"), f"Good, some gaps (question {number})")
    keys.open(page.get_by_role("button", name="Save and go to the next bid"))

    expect(page.get_by_role("heading", level=1)).to_have_text(second_org.name)
    for number in (1, 2, 3):
        keys.choose(page.locator(f"input[name='score-{number}'][value='2']"))
        keys.fill(page.locator(f"#id_justification-{number}"), f"Some evidence, thin on outcomes ({number})")
    keys.open(page.get_by_role("button", name="Save and go to the next bid"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your scores")
    keys.open(page.get_by_role("button", name="Submit your scores"))
    assert keys.sweep() >= 6  # every control on the page the scores lead to, to the footer's six links

    panelist = Panelist.objects.get(evaluation=evaluation, user=evaluator)
    assert panelist.scores_submitted_at is not None
    scores = {(s.submission.organisation_id, s.question.number): s.score for s in panelist.scores.all()}
    assert scores == {
        **{(first_org.pk, 1): 4, (first_org.pk, 2): 3, (first_org.pk, 3): 3},
        **{(second_org.pk, n): 2 for n in (1, 2, 3)},
    }
