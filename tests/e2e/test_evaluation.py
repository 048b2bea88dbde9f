"""Evaluation in the browser: two evaluators, one conflicted, declare and score; the commissioner moderates
and recommends; a second commissioner approves; the award decision starts the standstill.

Axe checks every page each test reaches.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.core import clock
from commissioning.evaluation.models import Evaluation, EvaluationStatus, ModeratedScore
from commissioning.evaluation.tests.factories import opened_tender


@pytest.fixture
def opened(transactional_db):
    made = opened_tender(prices=(Decimal("30000.00"), Decimal("32000.00")))
    yield made


def score_bid(page, submit, score: str, why: str, button: str) -> None:
    for number in (1, 2, 3):
        page.locator(f"input[name='score-{number}'][value='{score}']").check()
        page.locator(f"#id_justification-{number}").fill(f"{why} (question {number})")
    submit(page, button)


@pytest.mark.browser
def test_from_the_panel_to_the_standstill(new_page, opened, visit, submit, follow, sign_in, check_a11y):
    reference = opened.opportunity.reference
    (_, first_org, first_bid), (_, second_org, second_bid) = opened.bidders
    staff, partner = opened.evaluator(), opened.evaluator()

    # The commissioner starts the evaluation from the opportunity and appoints the panel.
    boss = new_page()
    sign_in(boss, opened.commissioner.email, PASSWORD)
    visit(boss, f"/commissioning/opportunities/{reference}/")
    follow(boss, "Start the evaluation")
    submit(boss, "Start the evaluation")
    for person in (staff, partner):
        boss.get_by_label("Who do you want to appoint?").select_option(str(person.pk))
        submit(boss, "Appoint to the panel")
    expect(boss.locator("table")).to_contain_text("Not yet declared")

    # The first evaluator declares no conflict, and cannot see a bid before declaring.
    evaluator = new_page()
    sign_in(evaluator, staff.email, PASSWORD)
    follow(evaluator, "Your panels")
    follow(evaluator, opened.opportunity.title)
    expect(evaluator.get_by_role("heading", level=1)).to_have_text("Declare any conflicts of interest")
    expect(evaluator.locator("main")).not_to_contain_text("Our answer to question")
    for organisation in (first_org, second_org):
        evaluator.get_by_role("group", name=organisation.name).get_by_label("No conflict").check()
    submit(evaluator, "Confirm your declarations")
    follow(evaluator, first_org.name, exact=True)
    expect(evaluator.locator("main")).to_contain_text("Our answer to question 1.")
    # A score without a justification comes back with the score kept.
    evaluator.locator("input[name='score-1'][value='4']").check()
    submit(evaluator, "Save and return to your bids")
    expect(evaluator.locator(".govuk-error-summary")).to_contain_text("Question 1: give the justification")
    expect(evaluator.locator("input[name='score-1'][value='4']")).to_be_checked()
    score_bid(evaluator, submit, "4", "Strong, evidenced answer", "Save and go to the next bid")
    score_bid(evaluator, submit, "2", "Some evidence, some gaps", "Save and go to the next bid")
    expect(evaluator.get_by_role("heading", level=1)).to_have_text("Check your scores")
    submit(evaluator, "Submit your scores")

    # The second declares a conflict with the second bidder, who is then out of reach.
    other = new_page()
    sign_in(other, partner.email, PASSWORD)
    visit(other, f"/evaluation/{reference}/")
    other.get_by_role("group", name=first_org.name).get_by_label("No conflict").check()
    other.get_by_role("group", name=second_org.name).get_by_label("I have a conflict of interest").check()
    other.get_by_label(f"What is your conflict with {second_org.name}?").fill("I am one of its trustees")
    submit(other, "Confirm your declarations")
    expect(other.locator("main")).to_contain_text("I am one of its trustees")
    visit(other, f"/evaluation/{reference}/bids/{second_bid.public_id}/", status=404)
    visit(other, f"/evaluation/{reference}/bids/{first_bid.public_id}/")
    score_bid(other, submit, "2", "Thin on outcomes", "Save and go to the next bid")
    submit(other, "Submit your scores")
    follow(other, first_org.name, exact=True)
    expect(other.locator("main")).to_contain_text(staff.full_name)  # the others' scores, now

    # Moderation: the spread is marked, the conflict shown, a consensus recorded for each answer.
    visit(boss, f"/commissioning/opportunities/{reference}/evaluation/moderation/")
    main = boss.locator("main")
    expect(main).to_contain_text("Spread of 2 points")
    expect(main).to_contain_text("The individual scores differ by 2 points")
    expect(main).to_contain_text("Declared a conflict")
    # One form per bid saves all its answers; a missing rationale saves none of them and keeps what was typed.
    for bid, organisation, score in ((first_bid, first_org, "3"), (second_bid, second_org, "2")):
        for question in opened.opportunity.questions.all():
            prefix = f"m-{bid.pk}"
            boss.locator(f"input[name='{prefix}-score-{question.number}'][value='{score}']").check()
            if not (bid == first_bid and question.number == 3 and not ModeratedScore.objects.exists()):
                boss.locator(f"#id_{prefix}-rationale-{question.number}").fill("Agreed at the panel meeting")
        if bid == first_bid:
            submit(boss, f"Save the consensus scores for {organisation.name}", exact=True)
            expect(boss.locator(".govuk-error-summary")).to_contain_text("Question 3: give the rationale")
            assert not ModeratedScore.objects.exists()
            expect(boss.locator(f"#id_{prefix}-rationale-1")).to_have_value("Agreed at the panel meeting")
            boss.locator(f"#id_{prefix}-rationale-3").fill("Agreed at the panel meeting")
        submit(boss, f"Save the consensus scores for {organisation.name}", exact=True)
    assert ModeratedScore.objects.count() == 6

    visit(boss, f"/commissioning/opportunities/{reference}/evaluation/results/")
    expect(boss.locator("table").first).to_contain_text(first_org.name)
    visit(boss, f"/commissioning/opportunities/{reference}/evaluation/recommendation/")
    boss.get_by_label("Summary of the recommendation").fill("The first-ranked bid wins each lot")
    submit(boss, "Make the recommendation")
    expect(boss.locator("main")).to_contain_text("You made this recommendation, so you cannot approve it")
    expect(boss.get_by_role("button", name="Approve the recommendation")).to_have_count(0)

    # A second commissioner approves; the award decision takes a voluntary standstill below the threshold.
    second = new_page()
    sign_in(second, opened.second_commissioner.email, PASSWORD)
    visit(second, f"/commissioning/opportunities/{reference}/evaluation/approval/")
    submit(second, "Approve the recommendation")
    second.get_by_label("Standstill (working days)").fill("5")
    submit(second, "Make the award decision")
    expect(second.locator("main")).to_contain_text("The standstill has not started")
    evaluation = Evaluation.objects.get(opportunity=opened.opportunity)
    assert evaluation.status == EvaluationStatus.AWARDED and evaluation.standstill_days == 5

    # The award notice is published: recording it starts the standstill, counted as the Act counts.
    later = time_machine.travel(clock.now() + timedelta(minutes=10))
    later.start()
    try:
        follow(second, "Record the award notice", role="button")
        published = clock.london(clock.now() - timedelta(minutes=5))
        second.get_by_label("When was the notice published?").fill(f"{published:%d/%m/%Y %H:%M}")
        submit(second, "Record the notice")
    finally:
        later.stop()
    expect(second.locator("main")).to_contain_text(re.compile(r"working days? left after today|last day"))
    counting = "5 working days beginning with the day the award notice is published"
    expect(second.locator("main")).to_contain_text(counting)
