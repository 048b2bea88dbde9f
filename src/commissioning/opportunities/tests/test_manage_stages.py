"""The manage page offers only what the workflow allows at the opportunity's stage, in words that fit it."""

import re
from datetime import timedelta

import pytest
import time_machine

from commissioning.opportunities.models import Status
from commissioning.opportunities.workflow import moves_offered, stage_of

from .factories import commissioner_at, draft, published

pytestmark = pytest.mark.django_db


def manage_text(client, commissioner, opportunity) -> str:
    client.force_login(commissioner)
    response = client.get(f"/commissioning/opportunities/{opportunity.reference}/")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_an_open_opportunity_offers_amending_and_withdrawing_and_says_its_bids_are_sealed(client):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    assert stage_of(opportunity) == "open" and moves_offered(opportunity, commissioner) == {"withdraw"}
    body = manage_text(client, commissioner, opportunity)
    assert "While it is open" in body and "Amend it" in body and "Withdraw it" in body
    assert "sealed until the deadline" in body


def test_after_the_deadline_it_says_the_bids_wait_to_be_opened_and_offers_no_amending(client):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    with time_machine.travel(opportunity.submission_deadline + timedelta(minutes=1), tick=False):
        assert stage_of(opportunity) == "closed"
        body = manage_text(client, commissioner, opportunity)
    assert "Now the deadline has passed" in body and "Open the submissions" in body
    assert "Amend it" not in body and "sealed until the deadline" not in body and "After it you open" not in body
    assert "Withdraw it" in body


def test_someone_who_does_not_commission_it_is_offered_nothing():
    opportunity = published(commissioner_at())
    assert moves_offered(opportunity, commissioner_at()) == set()


def test_cancelling_a_draft_says_cancelled(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    assert moves_offered(opportunity, commissioner) == {"publish", "cancel"}
    client.force_login(commissioner)
    assert "Cancel this draft" in manage_text(client, commissioner, opportunity)
    response = client.post(
        f"/commissioning/opportunities/{opportunity.reference}/end/", {"reason": "No funding"}, follow=True
    )
    body = response.content.decode()
    assert f"{opportunity.reference} is cancelled" in body and "is withdrawn" not in body
    opportunity.refresh_from_db()
    assert opportunity.status == Status.CANCELLED
    # Nothing more is offered once it has ended, and the end page says so instead of offering it again.
    assert moves_offered(opportunity, commissioner) == set()
    again = client.get(f"/commissioning/opportunities/{opportunity.reference}/end/")
    assert again.status_code == 302


def test_withdrawing_says_withdrawn(client):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    client.force_login(commissioner)
    response = client.post(
        f"/commissioning/opportunities/{opportunity.reference}/end/", {"reason": "Funding withdrawn"}, follow=True
    )
    assert f"{opportunity.reference} is withdrawn" in response.content.decode()
