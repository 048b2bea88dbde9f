"""What providers do with an open opportunity: ask, register interest, book an event."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.tests.factories import VerifiedProviderFactory, person_with_role
from commissioning.core import clock
from commissioning.opportunities import services
from commissioning.opportunities.models import Interest

from .factories import commissioner_at, published

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return person_with_role(Role.PROVIDER_MEMBER)


def org_of(user):
    return user.memberships.get().organisation


def test_a_question_is_answered_to_everyone_without_the_askers_name(client, provider):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    asked = services.clarification_ask(
        actor=provider,
        organisation=org_of(provider),
        opportunity=opportunity,
        question="Can a consortium bid for both lots?",
    )
    page = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert "Can a consortium bid" not in page  # not published until answered
    services.clarification_answer(actor=commissioner, clarification=asked, answer="Yes, with one lead organisation.")
    page = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert "Can a consortium bid for both lots?" in page and "Yes, with one lead organisation." in page
    assert org_of(provider).name not in page and provider.email not in page


def test_questions_close_at_the_question_deadline(provider):
    opportunity = published()
    with time_machine.travel(opportunity.question_deadline + timedelta(seconds=1)):
        with pytest.raises(services.OpportunityError, match="deadline for clarification questions has passed"):
            services.clarification_ask(
                actor=provider, organisation=org_of(provider), opportunity=opportunity, question="Too late?"
            )
    with time_machine.travel(opportunity.question_deadline - timedelta(seconds=1)):
        services.clarification_ask(
            actor=provider, organisation=org_of(provider), opportunity=opportunity, question="Just in time?"
        )


def test_only_people_of_a_verified_provider_may_ask(provider):
    opportunity = published()
    other_org = VerifiedProviderFactory()
    with pytest.raises(PermissionDenied):
        services.clarification_ask(actor=provider, organisation=other_org, opportunity=opportunity, question="Hi?")
    pending = VerifiedProviderFactory(status=OrganisationStatus.PENDING)
    waiting = person_with_role(Role.PROVIDER_ADMIN, pending)
    with pytest.raises(PermissionDenied):
        services.clarification_ask(actor=waiting, organisation=pending, opportunity=opportunity, question="Hi?")
    commissioner = commissioner_at()
    with pytest.raises(PermissionDenied):
        services.clarification_ask(
            actor=commissioner, organisation=org_of(commissioner), opportunity=opportunity, question="Hi?"
        )


def test_registering_interest_twice_keeps_one_record_and_can_stop_following(provider):
    opportunity = published()
    services.interest_register(actor=provider, organisation=org_of(provider), opportunity=opportunity)
    services.interest_register(actor=provider, organisation=org_of(provider), opportunity=opportunity)
    assert Interest.objects.count() == 1
    services.interest_register(actor=provider, organisation=org_of(provider), opportunity=opportunity, following=False)
    assert Interest.objects.get().following is False


def test_event_places_are_limited_to_the_capacity(provider):
    opportunity = published()
    event = opportunity.events.get()
    event.capacity = 3
    event.save()
    services.event_register(actor=provider, organisation=org_of(provider), event=event, attendees=2)
    other = person_with_role(Role.PROVIDER_ADMIN)
    with pytest.raises(services.OpportunityError, match="only 1 place left"):
        services.event_register(actor=other, organisation=org_of(other), event=event, attendees=2)
    services.event_register(actor=other, organisation=org_of(other), event=event, attendees=1)
    with pytest.raises(services.OpportunityError, match="already registered"):
        services.event_register(actor=provider, organisation=org_of(provider), event=event)


def test_an_event_that_has_started_takes_no_bookings(provider):
    opportunity = published()
    event = opportunity.events.get()
    with time_machine.travel(event.starts_at + timedelta(minutes=1)):
        with pytest.raises(services.OpportunityError, match="already started"):
            services.event_register(actor=provider, organisation=org_of(provider), event=event)


def test_the_opportunity_closes_at_its_deadline_by_the_clock():
    opportunity = published()
    with time_machine.travel(opportunity.submission_deadline - timedelta(seconds=1)):
        assert opportunity.display_status == "open"
    with time_machine.travel(opportunity.submission_deadline):
        assert opportunity.display_status == "closed"
        assert clock.now() >= opportunity.submission_deadline


def test_nothing_is_booked_answered_or_followed_once_the_opportunity_is_not_open(provider):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    asked = services.clarification_ask(
        actor=provider, organisation=org_of(provider), opportunity=opportunity, question="Will there be a second round?"
    )
    services.clarification_answer(actor=commissioner, clarification=asked, answer="Not this year.")
    with pytest.raises(services.OpportunityError, match="already been answered"):
        services.clarification_answer(actor=commissioner, clarification=asked, answer="Changed my mind.")
    services.opportunity_withdraw(actor=commissioner, opportunity=opportunity, reason="Funding ended")
    opportunity.refresh_from_db()
    with pytest.raises(services.OpportunityError, match="while the opportunity is open"):
        services.event_register(actor=provider, organisation=org_of(provider), event=opportunity.events.get())
    with pytest.raises(services.OpportunityError, match="open opportunity"):
        services.interest_register(actor=provider, organisation=org_of(provider), opportunity=opportunity)


def test_alert_emails_give_the_deadline_in_uk_time(django_capture_on_commit_callbacks):
    from django.core import mail

    from commissioning.opportunities.models import AlertSubscription

    from .factories import draft

    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    subscriber = person_with_role(Role.PROVIDER_MEMBER)
    AlertSubscription.objects.create(user=subscriber).service_areas.add(opportunity.service_area)
    with django_capture_on_commit_callbacks(execute=True):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    assert f"{clock.london(opportunity.submission_deadline):%d %B %Y at %H:%M}" in mail.outbox[0].body
