"""After the submissions are opened and after the award, the opportunity's manage page says so and offers
only what the workflow allows: an awarded opportunity cannot be withdrawn."""

import re

import pytest

from commissioning.audit.transitions import TransitionError
from commissioning.opportunities import services as opportunity_services
from commissioning.opportunities.models import Status
from commissioning.opportunities.workflow import moves_offered, stage_of

from .awarded import awarded_tender
from .factories import opened_tender

pytestmark = pytest.mark.django_db


def manage(client, opened):
    client.force_login(opened.commissioner)
    return client.get(f"/commissioning/opportunities/{opened.opportunity.reference}/")


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_opened_submissions_are_described_as_opened_and_it_may_still_be_withdrawn(client):
    opened = opened_tender()
    assert stage_of(opened.opportunity) == "opened"
    body = text(manage(client, opened))
    assert "The submissions were opened at" in body and "Start the evaluation" in body
    assert "sealed until the deadline" not in body and "After it you open" not in body
    assert "Withdraw it" in body


def test_an_awarded_opportunity_offers_no_withdrawal_anywhere(client):
    opened, evaluation = awarded_tender()
    opportunity = opened.opportunity
    assert stage_of(opportunity) == "awarded"
    assert moves_offered(opportunity, opened.commissioner) == set()
    body = text(manage(client, opened))
    assert "After the award" in body and "Withdraw it" not in body
    assert "sealed until the deadline" not in body and "After it you open" not in body
    end = f"/commissioning/opportunities/{opportunity.reference}/end/"
    refused = client.post(end, {"reason": "Changed our minds"}, follow=True)
    assert "An awarded opportunity cannot be withdrawn" in refused.content.decode()
    with pytest.raises(TransitionError):
        opportunity_services.opportunity_withdraw(
            actor=opened.commissioner, opportunity=opportunity, reason="Changed our minds"
        )
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED
