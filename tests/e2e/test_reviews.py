"""An open review in the browser: a commissioner publishes a needs assessment for comment, a member of the
public comments and confirms by the e-mailed link, and once it closes the commissioner answers in public.

Axe checks every page the test reaches.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.core import clock
from commissioning.needs.models import Review
from commissioning.needs.tests.review_factories import assessment_for

TITLE = "Young carers' needs in west Leeds: have your say"
COMMENT = "Young carers need someone at school who knows. <b>Please</b> ask them."


@pytest.fixture
def assessment(transactional_db, commissioner):
    return assessment_for(commissioner)


@pytest.mark.browser
def test_a_review_is_published_commented_on_and_answered_in_public(
    new_page, commissioner, assessment, visit, submit, follow, sign_in, mailed_path
):
    # The commissioner writes the review of their assessment and publishes it for 30 days.
    boss = new_page()
    sign_in(boss, commissioner.email, PASSWORD)
    visit(boss, "/reviews/commissioning/")
    follow(boss, "Write a review", role="button")
    boss.get_by_label("Needs assessment", exact=True).check()
    boss.get_by_label("Which needs assessment?").select_option(label=f"{assessment.title} ({assessment.reference})")
    boss.get_by_label("Title").fill(TITLE)
    boss.get_by_label("Summary").fill("What we found about young carers aged 8 to 17.")
    boss.get_by_label("What you are asking people to comment on").fill("About 1,100 young carers live here.")
    boss.get_by_label("Questions (one per line)").fill("Have we understood?\nWhat have we missed?")
    now = clock.london(clock.now())
    boss.get_by_label("Opens for comment").fill(f"{now - timedelta(minutes=5):%d/%m/%Y %H:%M}")
    boss.get_by_label("Closes").fill(f"{now + timedelta(days=30):%d/%m/%Y %H:%M}")
    submit(boss, "Save the draft")
    expect(boss.locator(".govuk-notification-banner")).to_contain_text("Only your body can see it")
    follow(boss, "Publish it for comment")
    submit(boss, "Publish the review")
    review = Review.objects.get(title=TITLE)
    assert review.published_at is not None

    # A member of the public finds it, comments, and is asked to confirm by e-mail.
    public = new_page()
    visit(public, "/reviews/")
    follow(public, TITLE)
    expect(public.locator("main")).to_contain_text("What have we missed?")
    submit(public, "Send your comment")
    expect(public.locator(".govuk-error-summary")).to_contain_text("Enter your comment")
    public.get_by_label("Your comment").fill(COMMENT)
    public.get_by_label("Your name").fill("Jade Turner")
    public.get_by_label("Your e-mail address").fill("jade.turner@example.org")
    mail.outbox = []
    submit(public, "Send your comment")
    expect(public.get_by_role("heading", level=1)).to_have_text("Check your e-mail to publish your comment")
    [message] = [m for m in mail.outbox if "jade.turner@example.org" in m.to]
    visit(public, mailed_path(message, r"https?://\S+/reviews/confirm/\S+"))
    submit(public, "Publish my comment")
    expect(public.locator(".govuk-panel")).to_contain_text("Your comment is published")
    follow(public, "See your comment on the review")
    # Markup in a comment is shown as the text it is.
    expect(public.locator("main")).to_contain_text(COMMENT)

    # Once the review has closed, the commissioner answers the comment and publishes the answers.
    later = time_machine.travel(clock.now() + timedelta(days=31))
    later.start()
    try:
        boss = new_page()
        sign_in(boss, commissioner.email, PASSWORD)
        visit(boss, f"/reviews/commissioning/{review.reference}/")
        follow(boss, "Write the answers: you said, we did")
        boss.get_by_label("You said").fill("Young carers want someone at school who knows.")
        boss.get_by_label("We did").fill("Every school in the four wards will name a young carers' lead.")
        boss.get_by_label("Jade Turner: Young carers need someone at school").check()
        submit(boss, "Save the answer")
        follow(boss, "Publish the answers", role="button")
        mail.outbox = []
        submit(boss, "Publish the answers")
        expect(boss.locator("#you-said-we-did")).to_be_visible()
        assert any("jade.turner@example.org" in m.to for m in mail.outbox)

        # The public page shows "You said, we did".
        visit(public, f"/reviews/{review.reference}/")
        expect(public.locator("main")).to_contain_text("Every school in the four wards will name a young carers' lead.")
        expect(public.locator("main")).not_to_contain_text("Comment on this review")
    finally:
        later.stop()
