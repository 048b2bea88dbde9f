"""The reads behind the bidder's pages: what each section holds, and who may still be invited."""

import pytest

from commissioning.accounts.models import OrganisationStatus
from commissioning.accounts.tests.factories import VerifiedProviderFactory
from commissioning.submissions import selectors, services

from .factories import bidder, complete, tender

pytestmark = pytest.mark.django_db


def test_a_new_bid_has_nothing_started_and_a_complete_one_has_its_sections_started():
    opportunity = tender()
    person, organisation = bidder()
    empty = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    parts = selectors.bid_parts_for(submission=empty)
    assert parts.answers == {}
    assert not (parts.lots_started or parts.evidence_confirmed or parts.commitments_made)
    assert not (parts.files_added or parts.partners_invited)

    other_person, other = bidder()
    done = complete(opportunity, other_person, other)
    parts = selectors.bid_parts_for(submission=done)
    assert parts.lots_started and parts.evidence_confirmed and parts.commitments_made
    assert set(parts.answers) == {q.pk for q in opportunity.questions.all()}
    assert set(selectors.lot_bids_by_lot(submission=done)) == {lot.pk for lot in opportunity.lots.all()}
    assert set(selectors.confirmations_by_item(submission=done, organisation=other)) == set(opportunity.standard_items)
    # Another organisation's confirmations are not this one's.
    assert selectors.confirmations_by_item(submission=done, organisation=organisation) == {}


def test_only_verified_providers_not_yet_in_the_bid_may_be_invited():
    opportunity = tender()
    person, lead = bidder()
    _, partner = bidder()
    _, spare = bidder()
    pending = VerifiedProviderFactory(status=OrganisationStatus.PENDING)
    submission = complete(opportunity, person, lead)
    services.member_invite(actor=person, submission=submission, organisation=partner, role="Delivery")

    members = selectors.members_of(submission=submission)
    assert [m.organisation for m in members] == [partner]
    candidates = selectors.consortium_candidates_for(submission=submission, members=members)
    assert spare in candidates
    assert lead not in candidates and partner not in candidates and pending not in candidates
    assert selectors.bid_parts_for(submission=submission).partners_invited
