"""A tender and a grant round from draft to answered question, in the browser, with axe on every page."""

from datetime import timedelta

import pytest
from django.core import mail
from playwright.sync_api import expect

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import PASSWORD, IdentifierFactory, person_with_role
from commissioning.core import clock
from commissioning.practice.models import Explanation
from commissioning.practice.services import explanation_confirm


def when(days: int, hour: int = 12) -> str:
    moment = clock.london(clock.now() + timedelta(days=days)).replace(hour=hour, minute=0)
    return moment.strftime("%d/%m/%Y %H:%M")


def fill_details(page, *, kind, title, value, price_weight, social_value_referenced=True):
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Summary").fill(f"{title} for people in Leeds.")
    page.get_by_label("Service area").select_option(label="Carers' support")
    page.get_by_label("It covers the whole of Leeds").check()
    page.get_by_label("Total value").fill(value)
    page.get_by_label("Length in months").fill("24")
    page.get_by_label("Clarification questions close").fill(when(30))
    page.get_by_label("Bids close").fill(when(45))
    page.get_by_label("Price weight (%)").fill(price_weight)
    if kind == "Grant round":
        page.get_by_label("How price is scored").select_option(value="none")
    if social_value_referenced:
        page.get_by_label("The specification references the Leeds social value ambitions").check()
    page.get_by_label("The terms and conditions reference the Compact for Leeds").check()


def add_lot(page, submit, follow, *, title, value, pricing, amount_label, amount):
    follow(page, "Add a lot")
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Value", exact=True).fill(value)
    page.get_by_label("This lot covers the whole of Leeds").check()
    page.get_by_label(pricing).check()
    page.get_by_label(amount_label, exact=True).fill(amount)
    submit(page, "Save", exact=True)


def add_question(page, submit, follow, *, kind, text, words, weight):
    follow(page, "Add a question")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Question", exact=True).fill(text)
    page.get_by_label("Word limit").fill(words)
    page.get_by_label("Weight (%)").fill(weight)
    submit(page, "Save", exact=True)


def add_event(page, submit, follow):
    follow(page, "Add an event")
    page.get_by_label("Starts").fill(when(10, 10))
    page.get_by_label("Ends").fill(when(10, 12))
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Link to join (online)").fill("https://meet.example.org/leeds-carers")
    page.get_by_label("Places").fill("30")
    submit(page, "Save", exact=True)


@pytest.fixture
def council_commissioner(db):
    return person_with_role(Role.COMMISSIONER)


@pytest.mark.browser
def test_a_tender_is_checked_explained_published_found_and_questioned(
    page, new_page, council_commissioner, visit, submit, follow, sign_in, live_server
):
    head = person_with_role(Role.COMMISSIONER, council_commissioner.memberships.get().organisation)
    sign_in(page, council_commissioner.email, PASSWORD)
    follow(page, "Your opportunities")
    follow(page, "Start a tender or grant round", role="button")
    submit(page, "Save the details")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a tender or a grant round")

    fill_details(
        page,
        kind="Tender (contract)",
        title="Short breaks for carers",
        value="90000",
        price_weight="30",
        social_value_referenced=False,
    )
    submit(page, "Save the details")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Draft LCH-")
    add_lot(
        page,
        submit,
        follow,
        title="East Leeds",
        value="45000",
        pricing="Bids compete on price above",
        amount_label="Minimum acceptable price",
        amount="30000",
    )
    add_lot(
        page,
        submit,
        follow,
        title="West Leeds",
        value="45000",
        pricing="Bids compete on price above",
        amount_label="Minimum acceptable price",
        amount="30000",
    )
    add_question(
        page, submit, follow, kind="Quality", text="How will carers shape the breaks?", words="500", weight="30"
    )
    add_question(
        page,
        submit,
        follow,
        kind="Quality",
        text="How will you reach carers not known to services?",
        words="500",
        weight="30",
    )
    add_question(
        page,
        submit,
        follow,
        kind="Social value",
        text="What social value will you add in Leeds?",
        words="300",
        weight="10",
    )
    add_event(page, submit, follow)

    follow(page, "Check against the Code", role="button")
    weigh_the_options(page, submit, follow)
    rule_row = page.get_by_role("row").filter(has_text="PR-4")
    expect(rule_row).to_contain_text("Not met")
    follow(page, "Explain why it does not apply (PR-4)")
    page.get_by_label("Why this rule does not apply here").fill(
        "The Leeds social value ambitions are set out in the service framework the specification sits under"
    )
    page.get_by_label("Who will confirm it").select_option(label=f"{head.full_name} ({head.email})")
    submit(page, "Send the explanation to be confirmed")
    expect(page.get_by_role("row").filter(has_text="PR-4")).to_contain_text("Waiting for confirmation")
    # The head of commissioning confirms it (their pages are tested on their own below).
    explanation_confirm(actor=head, explanation=Explanation.objects.get(status="pending"))
    visit(page, page.url.split("#")[0].split("?")[0])
    expect(page.get_by_role("row").filter(has_text="PR-4")).to_contain_text("Explained")
    submit(page, "Publish", exact=True)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published and open for bids")
    reference = page.locator(".govuk-caption-l").first.inner_text().split(" ")[0]

    # A provider finds it, registers interest, books the event and asks a question.
    provider = person_with_role(Role.PROVIDER_ADMIN)
    IdentifierFactory(organisation=provider.memberships.get().organisation)
    theirs = new_page()
    sign_in(theirs, provider.email, PASSWORD)
    visit(theirs, "/opportunities/")
    theirs.get_by_label("Search").fill("carers breaks")
    submit(theirs, "Apply filters")
    follow(theirs, "Short breaks for carers")
    expect(theirs.get_by_role("heading", name="How this opportunity applies the Code")).to_be_visible()
    expect(theirs.locator("#main-content")).to_contain_text(f"confirmed by {head.full_name}")
    submit(theirs, "Register interest")
    expect(theirs.locator(".govuk-notification-banner")).to_contain_text("You are following this opportunity")
    theirs.get_by_label("Places for").fill("2")
    submit(theirs, "Book places")
    expect(theirs.locator(".govuk-notification-banner")).to_contain_text("Your places are booked")
    theirs.get_by_label("Your question").fill("Can one organisation bid for both lots?")
    submit(theirs, "Send your question")
    expect(theirs.locator(".govuk-notification-banner")).to_contain_text("Your question has been sent")

    # The commissioner answers; the answer is published to everyone, without the asker.
    visit(page, f"/commissioning/opportunities/{reference}/")
    expect(page.locator("#main-content")).to_contain_text("2 of 30 places booked")
    follow(page, "Questions from providers")
    wording = page.get_by_label("The question as it will be published")
    expect(wording).to_have_value("Can one organisation bid for both lots?")
    wording.fill("")
    page.get_by_label("Answer to this question").fill("Yes. Each lot is evaluated on its own.")
    submit(page, "Publish the answer")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the question as it will be published")
    page.get_by_label("The question as it will be published").fill("May a provider bid for both lots?")
    submit(page, "Publish the answer")
    assert any(provider.email in message.to for message in mail.outbox)
    assert any(provider.email in message.to and "edited" in message.subject for message in mail.outbox)

    # The asker sees their own words beside the published ones.
    visit(theirs, "/account/questions/")
    expect(theirs.locator("#main-content")).to_contain_text("Can one organisation bid for both lots?")
    expect(theirs.locator("#main-content")).to_contain_text("May a provider bid for both lots?")

    visit(theirs, f"/opportunities/{reference}/")
    expect(theirs.locator("#questions")).to_be_visible()
    expect(theirs.locator("#main-content")).to_contain_text("Yes. Each lot is evaluated on its own.")
    # Anyone else reads the question and answer, but not who asked.
    public = new_page()
    visit(public, f"/opportunities/{reference}/")
    expect(public.locator("#main-content")).to_contain_text("May a provider bid for both lots?")
    expect(public.locator("#main-content")).not_to_contain_text("Can one organisation bid for both lots?")
    expect(public.locator("#main-content")).not_to_contain_text(provider.memberships.get().organisation.name)


def weigh_the_options(page, submit, follow):
    """From the Code check page: PL-2 is not met until two options are weighed and one chosen; then back."""
    check = page.url.split("#")[0].split("?")[0]
    expect(page.get_by_role("row").filter(has_text="PL-2")).to_contain_text("Not met")
    follow(page, "weigh the options and record the choice")
    for kind, description in (("Grant", "Grants to local groups"), ("Contract", "One contract")):
        follow(page, "Add an option", role="button")
        page.get_by_label(kind, exact=True).check()
        page.get_by_label("Describe the option").fill(description)
        page.get_by_label("Benefits", exact=True).fill("Reaches the people it is for")
        page.get_by_label("Risks", exact=True).fill("Gaps where nobody applies")
        submit(page, "Save the option")
    page.get_by_label("Contract: One contract").check()
    page.get_by_label("Why this option?").fill("The outcomes need one accountable provider")
    submit(page, "Record the choice")
    page.goto(check)
    expect(page.get_by_role("row").filter(has_text="PL-2")).to_contain_text("Met")


@pytest.mark.browser
def test_a_grant_round_is_published_and_found_as_a_grant(page, council_commissioner, visit, submit, follow, sign_in):
    sign_in(page, council_commissioner.email, PASSWORD)
    visit(page, "/commissioning/opportunities/new/")
    fill_details(page, kind="Grant round", title="Community wellbeing grants", value="40000", price_weight="0")
    submit(page, "Save the details")
    add_lot(
        page,
        submit,
        follow,
        title="Small grants",
        value="40000",
        pricing="Grant: applications up to a maximum award",
        amount_label="Maximum award",
        amount="5000",
    )
    add_question(
        page, submit, follow, kind="Quality", text="What difference will the grant make?", words="400", weight="90"
    )
    add_question(
        page, submit, follow, kind="Social value", text="Who in your community will benefit?", words="200", weight="10"
    )
    add_event(page, submit, follow)
    follow(page, "Check against the Code", role="button")
    weigh_the_options(page, submit, follow)
    submit(page, "Publish", exact=True)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published")

    visit(page, "/opportunities/?kind=grant")
    expect(page.get_by_role("link", name="Community wellbeing grants")).to_be_visible()
    follow(page, "Community wellbeing grants")
    expect(page.locator("#main-content")).to_contain_text("Up to £5,000 per award")


@pytest.mark.browser
def test_the_other_opportunity_pages_pass_axe(page, new_page, council_commissioner, visit, submit, sign_in):
    from commissioning.opportunities.tests.factories import draft, published

    open_one = published(council_commissioner, title="Open for amendment")
    a_draft = draft(council_commissioner, title="A draft with documents")
    sign_in(page, council_commissioner.email, PASSWORD)
    visit(page, f"/commissioning/opportunities/{open_one.reference}/amend/")
    submit(page, "Publish the amendment")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what has changed")
    visit(page, f"/commissioning/opportunities/{open_one.reference}/end/")
    visit(page, f"/commissioning/opportunities/{a_draft.reference}/documents/new/")
    submit(page, "Attach the document")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose a file")
    visit(page, f"/commissioning/opportunities/{a_draft.reference}/details/")

    provider = person_with_role(Role.PROVIDER_MEMBER)
    theirs = new_page()
    sign_in(theirs, provider.email, PASSWORD)
    visit(theirs, "/account/alerts/")
    theirs.get_by_label("Carers' support").check()
    theirs.get_by_label("Armley").check()
    submit(theirs, "Save your alerts")
    expect(theirs.locator(".govuk-notification-banner")).to_contain_text("Your alerts have been saved")


@pytest.mark.browser
def test_an_explanation_is_written_and_confirmed_by_a_second_person(
    page, new_page, council_commissioner, visit, submit, follow, sign_in, mailed_path
):
    from commissioning.opportunities.tests.factories import draft

    head = person_with_role(Role.COMMISSIONER, council_commissioner.memberships.get().organisation)
    opportunity = draft(council_commissioner, title="Befriending for older people", compact_clause_in_terms=False)
    sign_in(page, council_commissioner.email, PASSWORD)
    visit(page, f"/commissioning/opportunities/{opportunity.reference}/check/")
    follow(page, "Explain why it does not apply (PR-11)")
    submit(page, "Send the explanation to be confirmed")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Explain why the rule does not apply")
    expect(summary).to_contain_text("Choose who will confirm the explanation")
    page.get_by_label("Why this rule does not apply here").fill(
        "The NHS standard contract these services use carries the Compact clause"
    )
    page.get_by_label("Who will confirm it").select_option(label=f"{head.full_name} ({head.email})")
    submit(page, "Send the explanation to be confirmed")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"sent to {head.full_name} to confirm")
    expect(page.get_by_role("row").filter(has_text="PR-11")).to_contain_text("Waiting for confirmation")
    expect(page.get_by_role("button", name="Publish", exact=True)).to_be_disabled()

    # The head of commissioning follows the e-mailed link, is asked for a reason to decline, then confirms.
    [task] = [message for message in mail.outbox if head.email in message.to]
    theirs = new_page()
    sign_in(theirs, head.email, PASSWORD)
    visit(theirs, mailed_path(task, r"https?://\S+/explanations/\d+/"))
    expect(theirs.locator("#main-content")).to_contain_text("carries the Compact clause")
    submit(theirs, "Decline the explanation")
    expect(theirs.locator(".govuk-error-summary")).to_contain_text("Enter why you are declining the explanation")
    theirs.get_by_label("Your words (optional)").fill("Checked clause 12 of the contract")
    submit(theirs, "Confirm the explanation")
    expect(theirs.locator(".govuk-notification-banner")).to_contain_text("You confirmed the explanation of PR-11")
    expect(theirs.locator("#main-content")).to_contain_text("There are no explanations waiting for you")

    visit(page, f"/commissioning/opportunities/{opportunity.reference}/check/")
    row = page.get_by_role("row").filter(has_text="PR-11")
    expect(row).to_contain_text("Explained")
    expect(row).to_contain_text(f"Confirmed by {head.full_name}")
    expect(row).to_contain_text("Checked clause 12 of the contract")
    submit(page, "Publish", exact=True)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is published and open for bids")
