"""A submitted bid is fixed: it keeps its evidence versions, asks for nothing more, and after the deadline
offers no editing."""

from datetime import timedelta

import pytest
import time_machine

from commissioning.accounts.services import api_token_create
from commissioning.evidence.tests.factories import record
from commissioning.submissions import services
from commissioning.submissions.progress import bid_progress_for

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    opportunity = tender()
    person, organisation = bidder()
    submission = complete(opportunity, person, organisation)
    kept = submit(person, submission)
    submission.refresh_from_db()
    return opportunity, person, organisation, submission, kept


def task_page(client, person, submission) -> str:
    client.force_login(person)
    response = client.get(f"/bids/{submission.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def edit_links(body: str, submission) -> list[str]:
    base = f"/bids/{submission.public_id}/"
    return [
        f"{base}{part}"
        for part in ("lots/", "evidence/", "questions/1/", "commitments/", "files/", "consortium/", "check/")
        if f'href="{base}{part}"' in body
    ]


def test_a_new_evidence_version_does_not_reopen_a_submitted_bid(client, submitted):
    opportunity, person, organisation, submission, kept = submitted
    before = kept.document["evidence"]
    record(person, organisation, "insurance_public", insurer="A different insurer plc")
    submission.refresh_from_db()

    standing = bid_progress_for(submission)
    assert standing.is_record and standing.problems == [] and not standing.changed_since
    body = task_page(client, person, submission)
    assert "In progress" not in body and "to complete before you can submit" not in body
    assert "You have changed your bid" not in body
    # The record keeps the versions it was submitted with.
    kept.refresh_from_db()
    assert kept.document["evidence"] == before
    assert {c.version.superseded_at is not None for c in submission.confirmations.select_related("version")} == {
        True,
        False,
    }


def test_a_change_to_the_draft_after_a_new_evidence_version_asks_to_confirm_it_again(client, submitted):
    opportunity, person, organisation, submission, kept = submitted
    record(person, organisation, "insurance_public", insurer="A different insurer plc")
    question = opportunity.questions.first()
    services.answer_save(actor=person, submission=submission, question=question, text="A better answer.")
    submission.refresh_from_db()

    standing = bid_progress_for(submission)
    assert not standing.is_record and standing.changed_since
    assert [p.section for p in standing.problems] == ["evidence"]
    body = task_page(client, person, submission)
    assert "In progress" in body and "1 thing to complete before you can submit" in body


def test_after_the_deadline_a_bid_page_offers_no_editing(client, submitted):
    opportunity, person, organisation, submission, kept = submitted
    record(person, organisation, "insurance_public", insurer="A different insurer plc")
    with time_machine.travel(opportunity.submission_deadline + timedelta(days=30), tick=False):
        body = task_page(client, person, submission)
        assert edit_links(body, submission) == []
        assert "Check your answers" not in body and "Withdraw your bid" not in body
        assert "to complete before you can submit" not in body and "In progress" not in body
        assert f"/bids/{submission.public_id}/receipts/{kept.number}/" in body
        check = client.get(f"/bids/{submission.public_id}/check/").content.decode()
        assert ">Change<" not in check and "You cannot submit yet" not in check


def test_after_the_deadline_a_draft_changed_since_its_record_says_the_record_counts(client, submitted):
    opportunity, person, organisation, submission, kept = submitted
    question = opportunity.questions.first()
    services.answer_save(actor=person, submission=submission, question=question, text="Too late to count.")
    with time_machine.travel(opportunity.submission_deadline + timedelta(hours=1), tick=False):
        body = task_page(client, person, submission)
        assert "submit again for your changes to count" not in body
        assert "is the one that counts" in body
        assert edit_links(body, submission) == []


def test_the_api_asks_nothing_of_a_submitted_bid_whose_evidence_has_a_new_version(client, submitted):
    opportunity, person, organisation, submission, kept = submitted
    record(person, organisation, "insurance_public", insurer="A different insurer plc")
    _, secret = api_token_create(actor=person, name="Bid tools")
    response = client.get(f"/api/v1/submissions/{submission.public_id}", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["problems"] == []
