"""After the award in the browser: the dashboard's tasks, letters reviewed and sent, a bidder reading its
feedback, a survey answered from its e-mailed link, the lessons learned; and a grant offer letter.

Axe checks every page each test reaches.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.evaluation.tests.awarded import awarded_grant, awarded_tender
from commissioning.feedback.models import Letter


@pytest.fixture
def awarded(transactional_db):
    mail.outbox = []
    opened, evaluation = awarded_tender()  # committed for real: the surveys go when the award commits
    yield opened, evaluation


@pytest.mark.browser
def test_letters_from_the_dashboard_to_the_bidder_and_the_lessons_learned(
    new_page, awarded, visit, submit, follow, sign_in
):
    opened, evaluation = awarded
    (_, winner, _), (person, organisation, submission), _ = opened.bidders
    reference = opened.opportunity.reference
    surveys = {message.to[0]: message for message in mail.outbox if "/surveys/" in message.body}

    # The commissioner's dashboard says what is due; the letters page lists every letter.
    boss = new_page()
    sign_in(boss, opened.commissioner.email, PASSWORD)
    visit(boss, "/commissioning/")
    expect(boss.locator("main")).to_contain_text("Tasks due")
    expect(boss.locator("main")).to_contain_text("Awarded, in standstill (1)")
    follow(boss, re.compile(r"^Send 3 letters"))
    expect(boss.get_by_role("heading", level=1)).to_have_text("Letters")

    # One letter read, then sent.
    follow(boss, f"Feedback letter to {organisation.name}")
    expect(boss.locator("main")).to_contain_text("Successful bid's points")
    submit(boss, "Send this letter")
    expect(boss.locator("main")).to_contain_text(f"The letter to {organisation.name} is sent.")
    assert Letter.objects.get(submission=submission).sent_at is not None
    link = next(m for m in mail.outbox if "is ready" in m.body and m.to == [person.email])
    letter_path = re.search(r"https?://[^/\s]+(/bids/\S+/letters/\d+/)", link.body).group(1)

    # The bidder follows the e-mailed link and reads its feedback and its results.
    provider = new_page()
    sign_in(provider, person.email, PASSWORD)
    visit(provider, letter_path)
    expect(provider.get_by_role("heading", level=1)).to_have_text("Feedback letter")
    expect(provider.locator("main")).not_to_contain_text(winner.name)
    follow(provider, "Back to your results")
    expect(provider.get_by_role("heading", level=1)).to_have_text("Your results")

    # The survey, from its e-mailed link, without signing in.
    anyone = new_page()
    survey_path = re.search(r"https?://[^/\s]+(/surveys/\S+/)", surveys[person.email].body).group(1)
    visit(anyone, survey_path)
    submit(anyone, "Send your answers")
    expect(anyone.locator(".govuk-error-summary")).to_contain_text("Choose how the process was")
    anyone.get_by_label("4: Good").check()
    anyone.get_by_label("What should the commissioners improve? (optional)").fill("A longer time to bid")
    submit(anyone, "Send your answers")
    expect(anyone.locator("main")).to_contain_text("Thank you for your feedback")

    # The commissioner sends the rest, reads the answers and writes the lessons learned.
    visit(boss, f"/commissioning/opportunities/{reference}/evaluation/letters/")
    submit(boss, "Send all 2 unsent letters")
    expect(boss.locator("main")).to_contain_text("Every letter has been sent")
    follow(boss, "Survey answers and lessons learned")
    expect(boss.locator("main")).to_contain_text("A longer time to bid")
    boss.get_by_label("Lessons learned").fill("Allow six weeks to bid.")
    submit(boss, "Save the lessons learned")
    expect(boss.locator("main")).to_contain_text("The lessons learned are saved.")


@pytest.mark.browser
def test_a_grant_offer_letter_with_the_compact_clause(new_page, transactional_db, visit, follow, sign_in):
    opened, evaluation = awarded_grant()
    offer = Letter.objects.get(submission=opened.bidders[0][2])
    boss = new_page()
    sign_in(boss, opened.commissioner.email, PASSWORD)
    visit(boss, f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/letters/{offer.pk}/")
    expect(boss.get_by_role("heading", level=1)).to_contain_text("Grant offer letter")
    expect(boss.locator("main")).to_contain_text("The Compact for Leeds")
    expect(boss.locator("main")).to_contain_text("There is no standstill period")
