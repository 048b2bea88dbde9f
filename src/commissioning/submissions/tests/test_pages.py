"""Providers' bid pages: the task list, each section, check and submit, receipts, and what others get."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.evidence.demo import pdf_upload
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.submissions import services
from commissioning.submissions.models import Submission, SubmissionRecord

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity():
    return tender()


@pytest.fixture
def charity():
    return bidder()


def start(client, opportunity, person) -> Submission:
    client.force_login(person)
    response = client.post(f"/opportunities/{opportunity.reference}/bid/")
    assert response.status_code == 302
    return Submission.objects.get(opportunity=opportunity, organisation=person.memberships.get().organisation)


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_the_opportunity_page_offers_to_start_a_bid_and_starting_twice_returns_to_it(client, opportunity, charity):
    person, _ = charity
    client.force_login(person)
    assert "Start or continue your bid" in page(client, f"/opportunities/{opportunity.reference}/")
    submission = start(client, opportunity, person)
    again = client.post(f"/opportunities/{opportunity.reference}/bid/")
    assert again["Location"] == f"/bids/{submission.public_id}/"
    body = page(client, f"/bids/{submission.public_id}/")
    assert "Lots and prices" in body and "Your evidence" in body and "Incomplete" in body
    assert opportunity.title in page(client, "/bids/")


def test_a_price_below_the_floor_is_shown_with_the_floor_and_kept_in_the_form(client, opportunity, charity):
    person, _ = charity
    submission = start(client, opportunity, person)
    lot = opportunity.lots.first()
    response = client.post(f"/bids/{submission.public_id}/lots/", {"lots": [lot.pk], f"price-{lot.pk}": "27999.99"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and "minimum acceptable price of £28,000" in body
    assert 'value="27999.99"' in body
    assert not submission.lot_bids.exists()


@pytest.mark.parametrize(
    "price, message",
    [
        ("30000.001", "no more than 2 decimal places"),
        ("-5", "zero or more"),
        ("thirty thousand", "Enter an amount in pounds"),
        ("", "Enter your price for lot 1"),
    ],
)
def test_malformed_prices_are_refused_clearly(client, opportunity, charity, price, message):
    person, _ = charity
    submission = start(client, opportunity, person)
    lot = opportunity.lots.first()
    response = client.post(f"/bids/{submission.public_id}/lots/", {"lots": [lot.pk], f"price-{lot.pk}": price})
    assert response.status_code == 200 and message in response.content.decode()


def test_a_lot_that_does_not_exist_is_refused(client, opportunity, charity):
    person, _ = charity
    submission = start(client, opportunity, person)
    response = client.post(f"/bids/{submission.public_id}/lots/", {"lots": ["999999"]})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_evidence_is_filled_from_the_store_and_confirmed_not_retyped(client, opportunity, charity):
    person, organisation = charity
    submission = start(client, opportunity, person)
    body = page(client, f"/bids/{submission.public_id}/evidence/")
    assert "Public liability insurance" in body and "To confirm" in body
    response = client.post(f"/bids/{submission.public_id}/evidence/", {"items": opportunity.standard_items})
    assert response.status_code == 302
    assert submission.confirmations.count() == len(opportunity.standard_items)
    assert "Confirmed" in page(client, f"/bids/{submission.public_id}/evidence/")


def test_answers_are_saved_by_the_form_and_as_they_are_typed(client, opportunity, charity):
    person, _ = charity
    submission = start(client, opportunity, person)
    path = f"/bids/{submission.public_id}/questions/1/"
    assert "Up to 500 words" in page(client, path)
    response = client.post(path, {"text": "Half an answer", "action": "save"})
    assert response.status_code == 302
    response = client.post(path, {"text": "Half an answer, and more"}, headers={"X-Autosave": "1"})
    assert response.status_code == 200 and response.json()["saved"] is True
    assert submission.answers.get(question__number=1).text == "Half an answer, and more"
    # Signing out and back in finds it there.
    client.logout()
    client.force_login(person)
    assert "Half an answer, and more" in page(client, path)
    assert client.get(f"/bids/{submission.public_id}/questions/99/").status_code == 404


def test_a_file_of_the_wrong_type_is_refused_and_a_real_one_kept(client, opportunity, charity):
    person, _ = charity
    submission = start(client, opportunity, person)
    path = f"/bids/{submission.public_id}/files/"
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(path, {"title": "Delivery plan", "file": fake})
    assert response.status_code == 200 and "not a real PDF" in response.content.decode()
    response = client.post(path, {"title": "Delivery plan", "file": pdf_upload("plan.pdf", "Our plan")})
    assert response.status_code == 302
    attachment = submission.attachments.get()
    download = client.get(f"/bids/{submission.public_id}/files/{attachment.pk}/")
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"


def test_check_lists_what_is_missing_then_submit_gives_a_receipt(client, opportunity, charity, mailoutbox):
    person, organisation = charity
    submission = start(client, opportunity, person)
    body = page(client, f"/bids/{submission.public_id}/check/")
    assert "You cannot submit yet" in body and "Choose at least one lot" in body
    complete(opportunity, person, organisation)
    assert "You cannot submit yet" not in page(client, f"/bids/{submission.public_id}/check/")
    missing = client.post(f"/bids/{submission.public_id}/check/", {"declaration_name": "Sam Patel"})
    assert missing.status_code == 200 and "Confirm the declaration" in missing.content.decode()
    assert not SubmissionRecord.objects.exists()
    response = client.post(
        f"/bids/{submission.public_id}/check/",
        {"declaration_name": "Sam Patel", "declaration_role": "Director", "confirmed": "on"},
    )
    assert response.status_code == 302
    kept = SubmissionRecord.objects.get()
    assert response["Location"] == f"/bids/{submission.public_id}/receipts/1/"
    receipt = page(client, response["Location"])
    assert kept.sha256 in receipt and "Bid submitted" in receipt
    # The double click: the same draft makes no second submission.
    again = client.post(
        f"/bids/{submission.public_id}/check/",
        {"declaration_name": "Sam Patel", "declaration_role": "Director", "confirmed": "on"},
    )
    assert again["Location"] == response["Location"]
    assert SubmissionRecord.objects.count() == 1
    assert "You submitted this bid" in page(client, f"/bids/{submission.public_id}/")
    listed = page(client, "/bids/")
    assert "Submitted" in listed and "Successful" not in listed  # no outcome before a decision


def test_submitting_an_unfinished_bid_shows_one_error_summary_linking_each_gap_to_its_page(
    client, opportunity, charity
):
    person, _ = charity
    submission = start(client, opportunity, person)
    declared = {"declaration_name": "Sam Patel", "declaration_role": "Director", "confirmed": "on"}
    response = client.post(f"/bids/{submission.public_id}/check/", declared)
    body = response.content.decode()
    assert response.status_code == 200 and not SubmissionRecord.objects.exists()
    assert body.count('data-module="govuk-error-summary"') == 1  # one summary takes focus, not two
    assert "<title>Error: " in body
    summary = body[body.index("govuk-error-summary") : body.index("</ul>", body.index("govuk-error-summary"))]
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)
    assert (f"/bids/{submission.public_id}/lots/", "Choose at least one lot") in links
    assert (f"/bids/{submission.public_id}/questions/1/", "Answer question 1") in links
    assert all(href.startswith(f"/bids/{submission.public_id}/") for href, _ in links), links
    assert "#id_declaration" not in summary

    # A mistake in the declaration itself joins the same summary, after the gaps, linking to its field.
    response = client.post(f"/bids/{submission.public_id}/check/", {**declared, "declaration_role": ""})
    body = response.content.decode()
    assert body.count('data-module="govuk-error-summary"') == 1
    summary = body[body.index("govuk-error-summary") : body.index("</ul>", body.index("govuk-error-summary"))]
    assert summary.index("Choose at least one lot") < summary.index('href="#id_declaration_role"')
    assert 'href="#id_declaration_name"' not in summary


def test_a_submit_after_the_deadline_is_refused_and_the_draft_kept(client, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        client.force_login(person)
        response = client.post(
            f"/bids/{submission.public_id}/check/",
            {"declaration_name": "Sam Patel", "declaration_role": "Director", "confirmed": "on"},
        )
        assert response.status_code == 200
        assert "nothing more can be submitted" in response.content.decode()
        assert "The deadline has passed" in page(client, f"/bids/{submission.public_id}/")
    assert not SubmissionRecord.objects.exists()
    assert submission.answers.count() == opportunity.questions.count()


def test_withdraw_and_submit_again(client, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    submit(person, submission)
    client.force_login(person)
    assert "Withdraw your bid?" in page(client, f"/bids/{submission.public_id}/withdraw/")
    assert client.post(f"/bids/{submission.public_id}/withdraw/").status_code == 302
    assert "You withdrew this bid" in page(client, f"/bids/{submission.public_id}/")
    assert "was withdrawn" in page(client, f"/bids/{submission.public_id}/receipts/1/")
    submit(person, submission)
    assert "SHA-256" in page(client, f"/bids/{submission.public_id}/receipts/2/")


def test_a_consortium_member_confirms_from_its_own_bids_page(client, opportunity, charity):
    person, organisation = charity
    partner_person, partner = bidder()
    submission = complete(opportunity, person, organisation)
    client.force_login(person)
    response = client.post(
        f"/bids/{submission.public_id}/consortium/", {"organisation": partner.pk, "role": "Groups in Seacroft"}
    )
    assert response.status_code == 302
    member = submission.members.get()
    client.force_login(partner_person)
    assert "Invitations to bid together" in page(client, "/bids/")
    path = f"/bids/{submission.public_id}/invitation/{member.pk}/"
    assert client.post(path, {"answer": "accept"}).status_code == 302
    assert "Your evidence for this bid" in page(client, path)
    assert client.post(path, {"items": opportunity.standard_items}).status_code == 302
    # The member reads its invitation, never the lead's draft.
    assert client.get(f"/bids/{submission.public_id}/").status_code == 404
    assert submit(person, submission).document["consortium"][0]["organisation"]["name"] == partner.name


def test_nobody_else_reaches_a_bid_or_its_receipts(client, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    attachment = services.attachment_add(
        actor=person, submission=submission, title="Plan", upload=pdf_upload("plan.pdf", "plan")
    )
    submit(person, submission)
    stranger, _ = bidder()
    paths = [
        f"/bids/{submission.public_id}/",
        f"/bids/{submission.public_id}/lots/",
        f"/bids/{submission.public_id}/questions/1/",
        f"/bids/{submission.public_id}/check/",
        f"/bids/{submission.public_id}/receipts/1/",
        f"/bids/{submission.public_id}/files/{attachment.pk}/",
    ]
    for user in (stranger, commissioner_at(), opportunity.created_by):
        client.force_login(user)
        for path in paths:
            assert client.get(path).status_code == 404, (user, path)
    client.logout()
    for path in paths:
        assert client.get(path).status_code == 302


def test_the_bids_list_costs_a_fixed_number_of_queries(client, charity, django_assert_max_num_queries):
    person, organisation = charity
    for _ in range(3):
        services.submission_start(actor=person, opportunity=tender(), organisation=organisation)
    client.force_login(person)
    with django_assert_max_num_queries(12):
        page(client, "/bids/")


def test_a_grant_application_asks_for_amounts_within_the_maximum_award(client, charity):
    person, organisation = charity
    grant = tender(kind="grant", value=Decimal(60_000))
    submission = start(client, grant, person)
    lot = grant.lots.first()
    body = page(client, f"/bids/{submission.public_id}/lots/")
    assert "What you are applying for" in body and "Amount you are asking for" in body
    response = client.post(
        f"/bids/{submission.public_id}/lots/", {"lots": [lot.pk], f"price-{lot.pk}": str(lot.max_award + 1)}
    )
    assert "no more than the maximum award" in response.content.decode()
    assert "Social value commitments" not in page(client, f"/bids/{submission.public_id}/")
