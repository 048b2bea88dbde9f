"""A consortium invitation tells the inviter nothing about the invited organisation's own bids.

Only the invited organisation, when it answers, learns that its own bid stands in the way; and
an organisation that has joined a consortium cannot also submit a bid of its own.
"""

import pytest
from django.test import Client

from commissioning.submissions import services
from commissioning.submissions.models import MemberStatus
from commissioning.submissions.services import SubmissionError

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db


def _invite_page(client: Client, person, submission, organisation) -> str:
    client.force_login(person)
    response = client.post(
        f"/bids/{submission.public_id}/consortium/",
        {"organisation": str(organisation.pk), "role": "Runs the groups in Seacroft"},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("partner_bid", ["none", "draft", "submitted"])
def test_the_inviter_is_told_the_same_whatever_the_partner_has_bid(client, partner_bid):
    opportunity = tender()
    lead_person, lead = bidder()
    partner_person, partner = bidder()
    submission = complete(opportunity, lead_person, lead)
    if partner_bid != "none":
        own = complete(opportunity, partner_person, partner)
        if partner_bid == "submitted":
            submit(partner_person, own)
    page = _invite_page(client, lead_person, submission, partner)
    assert "own bid" not in page and "cannot join" not in page
    member = submission.members.get(organisation=partner)
    assert member.status == MemberStatus.INVITED


def test_the_invited_organisation_learns_on_accepting_that_its_own_bid_stands_in_the_way():
    opportunity = tender()
    lead_person, lead = bidder()
    partner_person, partner = bidder()
    submission = complete(opportunity, lead_person, lead)
    own = complete(opportunity, partner_person, partner)
    submit(partner_person, own)
    member = services.member_invite(actor=lead_person, submission=submission, organisation=partner, role="Delivery")
    with pytest.raises(SubmissionError, match="has its own bid for this opportunity"):
        services.member_answer(actor=partner_person, member=member, accept=True)
    member.refresh_from_db()
    assert member.status == MemberStatus.INVITED
    # Declining is always possible; and once its own bid is withdrawn it may accept a new invitation.
    services.member_answer(actor=partner_person, member=member, accept=False)
    services.submission_withdraw(actor=partner_person, submission=own)
    services.member_remove(actor=lead_person, submission=submission, member_id=member.pk)
    again = services.member_invite(actor=lead_person, submission=submission, organisation=partner, role="Delivery")
    assert services.member_answer(actor=partner_person, member=again, accept=True).status == MemberStatus.CONFIRMED


def test_an_organisation_in_a_consortium_cannot_also_submit_its_own_bid():
    opportunity = tender()
    lead_person, lead = bidder()
    partner_person, partner = bidder()
    submission = complete(opportunity, lead_person, lead)
    own = complete(opportunity, partner_person, partner)  # a draft only: it does not stand in the way of joining
    member = services.member_invite(actor=lead_person, submission=submission, organisation=partner, role="Delivery")
    services.member_answer(actor=partner_person, member=member, accept=True)
    with pytest.raises(SubmissionError, match=f"part of {lead.name}'s consortium bid"):
        submit(partner_person, own)
    assert not own.records.exists()
