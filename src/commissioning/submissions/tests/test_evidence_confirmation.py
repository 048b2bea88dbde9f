"""The evidence step of a bid: what is ticked is confirmed, what is unticked is not."""

from datetime import timedelta

import pytest
import time_machine

from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.evidence.tests.factories import record
from commissioning.submissions import services
from commissioning.submissions.services import SubmissionError

from .factories import ITEMS, bidder, tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity():
    return tender()


def confirmed(submission) -> set[str]:
    return set(submission.confirmations.values_list("item", flat=True))


def started(opportunity):
    person, organisation = bidder()
    submission = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    return person, organisation, submission


def test_unticking_an_item_and_confirming_takes_its_confirmation_away(client, opportunity):
    person, organisation, submission = started(opportunity)
    client.force_login(person)
    path = f"/bids/{submission.public_id}/evidence/"
    assert client.post(path, {"items": ITEMS}).status_code == 302
    assert confirmed(submission) == set(ITEMS)

    response = client.post(path, {"items": ["insurance_public"]}, follow=True)
    assert confirmed(submission) == {"insurance_public"}
    assert "1 of the 2 items of evidence are confirmed for this bid" in response.content.decode()
    tasks = client.get(f"/bids/{submission.public_id}/").content.decode()
    assert "Your evidence" in tasks

    response = client.post(path, {}, follow=True)  # every box unticked
    assert confirmed(submission) == set()
    assert "None of your evidence is confirmed for this bid now" in response.content.decode()


def test_confirming_nothing_when_nothing_was_confirmed_asks_for_an_item(client, opportunity):
    person, organisation, submission = started(opportunity)
    client.force_login(person)
    response = client.post(f"/bids/{submission.public_id}/evidence/", {})
    body = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in body and "Confirm at least one item" in body
    assert confirmed(submission) == set()


def test_setting_the_confirmations_is_one_audited_change(opportunity):
    person, organisation, submission = started(opportunity)
    services.evidence_confirmations_set(actor=person, submission=submission, organisation=organisation, items=ITEMS)
    services.evidence_confirmations_set(
        actor=person, submission=submission, organisation=organisation, items=["safeguarding_adults"]
    )
    assert confirmed(submission) == {"safeguarding_adults"}
    last = AuditEvent.objects.filter(verb="submission.evidence_confirm").order_by("-id").first()
    assert last.after["withdrawn"] == ["insurance_public"] and last.after["items"] == ["safeguarding_adults"]


def test_an_expired_item_is_refused_and_nothing_is_withdrawn(opportunity):
    person, organisation, submission = started(opportunity)
    services.evidence_confirmations_set(actor=person, submission=submission, organisation=organisation, items=ITEMS)
    record(person, organisation, "safeguarding_adults", valid_until=clock.today() - timedelta(days=1))
    with pytest.raises(SubmissionError) as refused:
        services.evidence_confirmations_set(
            actor=person, submission=submission, organisation=organisation, items=["safeguarding_adults"]
        )
    assert set(refused.value.errors) == {"item-safeguarding_adults"}
    assert confirmed(submission) == set(ITEMS)


def test_another_organisation_or_a_closed_opportunity_cannot_change_the_confirmations(opportunity):
    person, organisation, submission = started(opportunity)
    services.evidence_confirmations_set(actor=person, submission=submission, organisation=organisation, items=ITEMS)
    stranger, _ = bidder()
    with pytest.raises(SubmissionError):
        services.evidence_confirmations_set(actor=stranger, submission=submission, organisation=organisation, items=[])
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1)):
        with pytest.raises(SubmissionError):
            services.evidence_confirmations_set(
                actor=person, submission=submission, organisation=organisation, items=[]
            )
    assert confirmed(submission) == set(ITEMS)


def test_an_item_the_opportunity_does_not_ask_for_is_refused(opportunity):
    person, organisation, submission = started(opportunity)
    with pytest.raises(SubmissionError, match="does not ask for that item"):
        services.evidence_confirmations_set(
            actor=person, submission=submission, organisation=organisation, items=["accounts"]
        )
