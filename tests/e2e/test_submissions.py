"""Bids in the browser: a small charity's first bid from sign-up to receipt, a consortium bid, a late submit.

Axe checks every page each test reaches.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD, VerifiedProviderFactory
from commissioning.core import clock
from commissioning.evidence.demo import minimal_pdf
from commissioning.evidence.tests.factories import record as keep_evidence
from commissioning.opportunities.models import Opportunity
from commissioning.opportunities.tests.factories import commissioner_at, published
from commissioning.submissions import canonical
from commissioning.submissions.models import Submission, SubmissionRecord
from commissioning.submissions.tests.factories import bidder, complete

ORGANISATION = "Chapeltown Befriending Circle"
PROVIDER_EMAIL = "grace.okafor@example.org"
PROVIDER_PASSWORD = "tea-and-biscuits-on-thursdays"
TITLE = "Befriending for older people"
ITEMS = ["address", "insurance_public", "safeguarding_adults"]

FIRST_HALF = "Volunteers from Chapeltown and Harehills visit each person at home every week."
SECOND_HALF = " We find people through GP practices, faith groups and the Leeds Older People's Forum."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def befriending():
    """An open tender with two lots (£40,000 each, floors £28,000) asking for three evidence items."""
    return published(commissioner_at(), title=TITLE, standard_items=ITEMS)


def summary_row(page, key: str):
    """The row of a GOV.UK summary list whose key is ``key``."""
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$"))
    )


def banner(page):
    return page.locator(".govuk-notification-banner--success")


def pdf(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": minimal_pdf(text)}


def task(page, title: str):
    """A task list entry's link, inside the page's main content."""
    return page.locator(".govuk-task-list").get_by_role("link", name=title, exact=True)


def go(page, link, check_a11y) -> None:
    """Follow ``link`` (a locator), expect the page it opens to answer 200, and check it.

    For links that share their name with another on the page (the task list's "Your
    evidence" and the navigation's), which ``follow`` cannot tell apart.
    """
    with page.expect_navigation() as navigation:
        link.click()
    assert navigation.value is not None and navigation.value.status == 200, navigation.value
    check_a11y(page)


def register(page, visit, submit) -> None:
    visit(page, "/sign-up/")
    page.get_by_label("Your full name").fill("Grace Okafor")
    page.get_by_label("Your e-mail address").fill(PROVIDER_EMAIL)
    page.get_by_label("Create a password").fill(PROVIDER_PASSWORD)
    page.get_by_label("Organisation name").fill(ORGANISATION)
    page.get_by_label("Registered charity", exact=True).check()
    page.get_by_label("Which register is your organisation on?").select_option(
        label="Charity Commission for England and Wales (GB-CHC)"
    )
    page.get_by_label("Registration number").fill("1134567")
    page.get_by_label("Address line 1").fill("40 Chapeltown Road")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill("LS7 3AW")
    page.get_by_label("Latest annual income").fill("38000")
    page.get_by_role("group", name="Is the organisation based in Leeds?").get_by_label("Yes").check()
    page.get_by_label("Chapel Allerton", exact=True).check()
    submit(page, "Register", exact=True)
    expect(page.locator(".govuk-panel__title")).to_have_text("Registration received")


def verify(page, administrator, sign_in, visit, submit, follow) -> None:
    sign_in(page, administrator.email, PASSWORD)
    visit(page, "/administration/organisations/")
    follow(page, ORGANISATION, exact=True)
    submit(page, f"Verify {ORGANISATION}", exact=True)
    expect(banner(page)).to_contain_text(f"{ORGANISATION} is verified")


def fill_evidence(page, submit, follow) -> None:
    """The items the tender asks for, kept once in the evidence store: two with their PDFs, one from the profile."""
    follow(page, "Your evidence", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your evidence")

    follow(page, "Add public liability insurance")
    page.get_by_label("Insurer").fill("Ecclesiastical")
    page.get_by_label("Cover (£)").fill("5000000")
    page.get_by_label("Policy number").fill("EC-PL-88213")
    page.get_by_label("Expiry date").fill("30/06/2031")
    page.get_by_label("Certificate").set_input_files(files=[pdf("public-liability-2031.pdf", "Certificate")])
    submit(page, "Save", exact=True)
    expect(summary_row(page, "Public liability insurance")).to_contain_text("Valid until 30 June 2031")

    follow(page, "Add safeguarding adults policy")
    page.get_by_label("Next review date").fill("30/09/2030")
    page.get_by_label("The policy").set_input_files(files=[pdf("safeguarding-adults.pdf", "Our policy")])
    submit(page, "Save", exact=True)
    expect(summary_row(page, "Safeguarding adults policy")).to_contain_text("Current")

    follow(page, "Add registered address")
    expect(page.get_by_label("Postcode")).to_have_value("LS7 3AW")
    submit(page, "Save", exact=True)
    expect(summary_row(page, "Registered address")).to_contain_text("Current")


@pytest.mark.browser
def test_a_small_charity_registers_keeps_its_evidence_and_submits_its_first_bid(
    new_page, administrator, befriending, visit, submit, follow, sign_in, check_a11y
):
    page = new_page()
    register(page, visit, submit)
    verify(new_page(), administrator, sign_in, visit, submit, follow)

    # Verified, the charity keeps its evidence once.
    visit(page, "/account/")
    fill_evidence(page, submit, follow)

    # It finds the tender and starts a bid.
    visit(page, "/opportunities/")
    page.get_by_label("Search").fill("befriending older people")
    submit(page, "Apply filters")
    follow(page, TITLE, exact=True)
    submit(page, "Start or continue your bid")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bid")
    expect(page.locator("#main-content")).to_contain_text(f"For {ORGANISATION}")

    # The evidence is filled in from the store: confirmed, not typed again.
    go(page, task(page, "Your evidence"), check_a11y)
    insurance = summary_row(page, "Public liability insurance")
    expect(insurance).to_contain_text("To confirm")
    expect(insurance).to_contain_text("Version 1, public-liability-2031.pdf, valid until 30 June 2031")
    expect(summary_row(page, "Registered address")).to_contain_text("Version 1")
    expect(page.locator("main input[type=text], main textarea")).to_have_count(0)
    for label in ["Registered address", "Public liability insurance", "Safeguarding adults policy"]:
        page.get_by_role("checkbox", name=label).check()
    submit(page, "Confirm and continue")
    expect(banner(page)).to_contain_text("Your evidence is confirmed for this bid")

    # Both lots; a price under the floor is refused with the floor named.
    go(page, task(page, "Lots and prices"), check_a11y)
    page.get_by_label("Lot 1: Lot 1").check()
    page.get_by_label("Lot 2: Lot 2").check()
    page.get_by_label("Your price, lot 1 (£)").fill("27500")
    page.get_by_label("Your price, lot 2 (£)").fill("31000")
    submit(page, "Save and continue")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("minimum acceptable price of £28,000")
    expect(page.get_by_label("Your price, lot 1 (£)")).to_have_value("27500")
    page.locator(".govuk-error-summary__list a").first.click()
    expect(page.get_by_label("Your price, lot 1 (£)")).to_be_focused()
    page.get_by_label("Your price, lot 1 (£)").fill("29500")
    submit(page, "Save and continue")
    expect(banner(page)).to_contain_text("Your lots and prices are saved")

    # Half an answer, saved; then the charity signs out.
    first = befriending.questions.get(number=1)
    go(page, task(page, f"1. {first.text}"), check_a11y)
    page.get_by_label("Your answer").fill(FIRST_HALF)
    submit(page, "Save and return to your bid")
    expect(banner(page)).to_contain_text("Your answer to question 1 is saved")
    submit(page, "Sign out", exact=True)

    # Back another day: the bid is on its bids page, with the answer kept.
    sign_in(page, PROVIDER_EMAIL, PROVIDER_PASSWORD)
    follow(page, "Your bids", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your bids and applications")
    row = page.get_by_role("row", name=re.compile(TITLE))
    expect(row).to_contain_text("Draft")
    go(page, row.get_by_role("link", name=TITLE), check_a11y)
    go(page, task(page, f"1. {first.text}"), check_a11y)
    answer = page.get_by_label("Your answer")
    expect(answer).to_have_value(FIRST_HALF)

    # The character count counts words against the limit; typing saves in the background.
    status = page.locator(".govuk-character-count__status")
    expect(status).to_have_text(re.compile(rf"You have {500 - len(FIRST_HALF.split())} words remaining"))
    answer.press("Control+End")
    answer.press_sequentially(SECOND_HALF)
    words = len((FIRST_HALF + SECOND_HALF).split())
    expect(status).to_have_text(re.compile(rf"You have {500 - words} words remaining"))
    expect(page.locator("[data-autosave-status]")).to_have_text(re.compile(r"^Saved at \d{1,2}:\d\d:\d\d[ap]m$"))
    submission = Submission.objects.get(opportunity=befriending)
    assert submission.answers.get(question=first).text == FIRST_HALF + SECOND_HALF

    submit(page, "Save and go to the next question")
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 2")
    page.get_by_label("Your answer").fill("Our members shape the service: two of our trustees use it.")
    submit(page, "Save and go to the next question")
    expect(page.get_by_role("heading", level=1)).to_have_text("Question 3")
    page.get_by_label("Your answer").fill("We recruit volunteers locally and pay the Real Living Wage.")
    submit(page, "Save and return to your bid")

    # A social value commitment.
    go(page, task(page, "Social value commitments"), check_a11y)
    page.get_by_label("What will you do?").fill("Train local people as befriending volunteers")
    page.get_by_label("How will it be measured?").fill("Volunteers trained who live in LS7")
    page.get_by_label("Target").fill("15 a year")
    submit(page, "Add commitment")
    expect(banner(page)).to_contain_text("Your commitment is added")
    table = page.get_by_role("table", name="Your commitments")
    expect(table).to_contain_text("15 a year")
    follow(page, "Return to your bid")

    # A supporting file, listed with a link to download it.
    go(page, task(page, "Supporting files"), check_a11y)
    page.get_by_label("Title").fill("Delivery plan")
    page.get_by_label("File", exact=True).set_input_files(files=[pdf("delivery-plan.pdf", "Our plan")])
    submit(page, "Add file")
    expect(banner(page)).to_contain_text("Your file is added")
    files = page.get_by_role("table", name="Your files")
    expect(files.get_by_role("link", name="Delivery plan")).to_be_visible()
    expect(files).to_contain_text("delivery-plan.pdf")
    follow(page, "Return to your bid")

    # Check, declare, submit.
    follow(page, "Check your answers and submit", role="button")
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(summary_row(page, "Lot 1: Lot 1")).to_contain_text("£29,500")
    expect(summary_row(page, "Lot 2: Lot 2")).to_contain_text("£31,000")
    expect(summary_row(page, f"1. {first.text}")).to_contain_text("GP practices")
    expect(page.get_by_label("Full name")).to_have_value("Grace Okafor")
    page.get_by_label("Role", exact=True).fill("Chair of trustees")
    page.get_by_role("checkbox", name=re.compile("I confirm that the information")).check()
    submit(page, "Submit your bid")

    record = SubmissionRecord.objects.get(submission=submission)
    expect(page.locator(".govuk-panel__title")).to_have_text("Bid submitted")
    digest = page.locator("code.app-digest")
    expect(digest).to_have_text(record.sha256)
    assert canonical.digest(record.canonical) == record.sha256
    declaration = record.document["declaration"]
    assert (declaration["name"], declaration["role"]) == ("Grace Okafor", "Chair of trustees")
    assert {lot["price"] for lot in record.document["lots"]} == {"29500.00", "31000.00"}
    (attached,) = record.document["attachments"]
    expect(page.locator("#main-content")).to_contain_text(f"delivery-plan.pdf (SHA-256 {attached['sha256']})")
    receipts = [m for m in mail.outbox if PROVIDER_EMAIL in m.to and record.sha256 in m.body]
    assert receipts, [m.subject for m in mail.outbox]

    # The task list now says it is submitted, with the way back to the receipt.
    visit(page, f"/bids/{submission.public_id}/")
    expect(page.locator(".govuk-inset-text")).to_contain_text("You submitted this bid")
    follow(page, "View your receipt")
    expect(digest).to_have_text(record.sha256)


@pytest.mark.browser
def test_a_consortium_bid_names_the_partner_that_confirmed_it(
    new_page, befriending, visit, submit, follow, sign_in, check_a11y
):
    lead_person, lead = bidder(VerifiedProviderFactory(name="Harehills Neighbours"))
    partner_person, partner = bidder(VerifiedProviderFactory(name="Roundhay Good Neighbours"))

    for person, organisation in [(lead_person, lead), (partner_person, partner)]:
        keep_evidence(person, organisation, "address")
    submission = complete(befriending, lead_person, lead)

    # The lead invites a partner from its Partners page.
    page = new_page()
    sign_in(page, lead_person.email, PASSWORD)
    visit(page, f"/bids/{submission.public_id}/")
    go(page, task(page, "Partners (consortium)"), check_a11y)
    page.get_by_label("Organisation").select_option(label=partner.name)
    page.get_by_label("What will they deliver?").fill("Befriending in Roundhay and Gipton")
    submit(page, "Send invitation")
    expect(banner(page)).to_contain_text(f"{partner.name} is invited")
    members = page.get_by_role("table", name="Organisations in this bid")
    expect(members.get_by_role("row", name=re.compile(partner.name))).to_contain_text("Invited")
    follow(page, "Return to your bid")
    expect(page.locator("#main-content")).to_contain_text("1 thing to complete before you can submit")

    # The partner's administrator sees the invitation on their bids page and confirms.
    theirs = new_page()
    sign_in(theirs, partner_person.email, PASSWORD)
    follow(theirs, "Your bids", exact=True)
    invitations = theirs.get_by_role("table", name="Consortium bids your organisations are invited to")
    expect(invitations).to_contain_text(lead.name)
    go(theirs, invitations.get_by_role("link", name=TITLE), check_a11y)
    expect(summary_row(theirs, "Lead organisation")).to_contain_text(lead.name)
    theirs.get_by_label("Yes, we confirm we are part of this bid").check()
    submit(theirs, "Send answer")
    expect(banner(theirs)).to_contain_text("You are part of this bid")
    expect(summary_row(theirs, "Public liability insurance")).to_contain_text("To confirm")
    for label in ["Registered address", "Public liability insurance", "Safeguarding adults policy"]:
        theirs.get_by_role("checkbox", name=label).check()
    submit(theirs, "Confirm", exact=True)
    expect(summary_row(theirs, "Safeguarding adults policy")).to_contain_text("Confirmed")

    # The lead submits for both; the receipt names the partner.
    visit(page, f"/bids/{submission.public_id}/consortium/")
    expect(members.get_by_role("row", name=re.compile(partner.name))).to_contain_text("Confirmed")
    follow(page, "Return to your bid")
    follow(page, "Check your answers and submit", role="button")
    page.get_by_label("Role", exact=True).fill("Coordinator")
    page.get_by_role("checkbox", name=re.compile("I confirm that the information")).check()
    submit(page, "Submit your bid")
    expect(page.locator(".govuk-panel__title")).to_have_text("Bid submitted")
    expect(page.locator("#main-content")).to_contain_text(f"{partner.name}: Befriending in Roundhay and Gipton")
    kept = SubmissionRecord.objects.get(submission=submission)
    expect(page.locator("code.app-digest")).to_have_text(kept.sha256)
    assert [m["organisation"]["name"] for m in kept.document["consortium"]] == [partner.name]
    partner_items = {e["item"] for e in kept.document["evidence"] if e["organisation"] == partner.name}
    assert partner_items == set(ITEMS)


@pytest.mark.browser
def test_a_submit_after_the_deadline_is_refused_and_the_draft_kept(new_page, befriending, visit, submit, sign_in):
    person, organisation = bidder()

    keep_evidence(person, organisation, "address")
    submission = complete(befriending, person, organisation)
    page = new_page()
    sign_in(page, person.email, PASSWORD)
    visit(page, f"/bids/{submission.public_id}/check/")
    page.get_by_label("Role", exact=True).fill("Director")
    page.get_by_role("checkbox", name=re.compile("I confirm that the information")).check()

    # While the form is open, the server's clock passes the deadline.
    deadline = clock.now() - timedelta(seconds=1)
    Opportunity.objects.filter(pk=befriending.pk).update(submission_deadline=deadline)
    submit(page, "Submit your bid")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("nothing more can be submitted")
    expect(summary).to_contain_text("Your draft is kept as it was")
    assert not SubmissionRecord.objects.filter(submission=submission).exists()

    visit(page, f"/bids/{submission.public_id}/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("The deadline has passed")
    visit(page, f"/bids/{submission.public_id}/check/")
    expect(page.get_by_role("button", name="Submit your bid")).to_have_count(0)
    expect(summary_row(page, "1. " + befriending.questions.get(number=1).text)).to_contain_text(
        "Our answer to question 1."
    )
    submission.refresh_from_db()
    assert submission.status == "draft"
    assert submission.answers.count() == befriending.questions.count()
