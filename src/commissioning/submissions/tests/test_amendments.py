"""Amending a published opportunity cannot shorten the seal, and everyone who plans by its times is told.

Once published, the deadline for bids and the close of questions only move later; moving either is a
material amendment e-mailed (each person their own message) to everyone with a draft or a bid, every
follower and every event booker, with the old and new times. A new deadline that leaves less than
PL-3's least lead time needs an explanation. Refused through the page and through the API alike.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from commissioning.accounts import services as account_services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core import clock
from commissioning.core.formats import format_datetime
from commissioning.opportunities import services as opportunity_services
from commissioning.opportunities.models import Amendment, Opportunity
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.submissions import services
from commissioning.submissions.models import Opening
from commissioning.submissions.services import SubmissionError

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db


def fmt(moment):
    return clock.london(moment).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def open_tender():
    commissioner = commissioner_at()
    return commissioner, tender(commissioner)


def _amend_page(client, commissioner, opportunity, **values):
    client.force_login(commissioner)
    data = {
        "summary": values.pop("summary", "The timetable changes"),
        "description": opportunity.description,
        "question_deadline": fmt(opportunity.question_deadline),
        "submission_deadline": fmt(opportunity.submission_deadline),
        **values,
    }
    return client.post(f"/commissioning/opportunities/{opportunity.reference}/amend/", data)


def _amend_api(client, commissioner, opportunity, body):
    _, secret = account_services.api_token_create(actor=commissioner, name=f"t{commissioner.api_tokens.count()}")
    return client.post(
        f"/api/v1/opportunities/{opportunity.reference}/amendments",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _unchanged(opportunity):
    saved = Opportunity.objects.get(pk=opportunity.pk)
    assert saved.submission_deadline == opportunity.submission_deadline
    assert saved.question_deadline == opportunity.question_deadline
    assert not Amendment.objects.filter(opportunity=opportunity).exists()


def test_the_deadline_cannot_be_brought_forward_to_open_the_bids_early(client, open_tender):
    commissioner, opportunity = open_tender
    person, organisation = bidder()
    submit(person, complete(opportunity, person, organisation))
    in_three_minutes = clock.now() + timedelta(minutes=3)
    page = _amend_page(client, commissioner, opportunity, submission_deadline=fmt(in_three_minutes))
    body = page.content.decode()
    assert page.status_code == 200 and "There is a problem" in body
    assert "can only move later" in body and 'href="#id_submission_deadline"' in body
    _unchanged(opportunity)
    api = _amend_api(
        client, commissioner, opportunity, {"summary": "Sooner", "submission_deadline": in_three_minutes.isoformat()}
    )
    assert api.status_code == 422
    assert [e["field"] for e in api.json()["errors"]] == ["submission_deadline"]
    _unchanged(opportunity)
    # And three minutes later the bids are still sealed.
    with time_machine.travel(in_three_minutes + timedelta(seconds=1), tick=False):
        with pytest.raises(SubmissionError, match="sealed until"):
            services.submissions_open(actor=commissioner, opportunity=opportunity)
    assert not Opening.objects.exists()


def test_questions_cannot_close_earlier_either(client, open_tender):
    commissioner, opportunity = open_tender
    sooner = opportunity.question_deadline - timedelta(days=1)
    page = _amend_page(client, commissioner, opportunity, question_deadline=fmt(sooner))
    assert "can only move later" in page.content.decode()
    api = _amend_api(client, commissioner, opportunity, {"summary": "Sooner", "question_deadline": sooner.isoformat()})
    assert api.status_code == 422 and api.json()["errors"][0]["field"] == "question_deadline"
    _unchanged(opportunity)


def test_moving_the_deadline_is_material_and_everyone_who_plans_by_it_is_told_the_old_and_new_times(
    client, open_tender, django_capture_on_commit_callbacks
):
    commissioner, opportunity = open_tender
    drafting_person, drafting = bidder()
    complete(opportunity, drafting_person, drafting)
    submitted_person, submitted = bidder()
    submit(submitted_person, complete(opportunity, submitted_person, submitted))
    follower = person_with_role(Role.PROVIDER_MEMBER)
    opportunity_services.interest_register(
        actor=follower, organisation=follower.memberships.get().organisation, opportunity=opportunity
    )
    booker = person_with_role(Role.PROVIDER_MEMBER)
    opportunity_services.event_register(
        actor=booker, organisation=booker.memberships.get().organisation, event=opportunity.events.first()
    )
    stranger = person_with_role(Role.PROVIDER_MEMBER)
    old = opportunity.submission_deadline
    later = old + timedelta(days=7)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = _amend_page(client, commissioner, opportunity, submission_deadline=fmt(later))  # "material" unticked
    assert page.status_code == 302
    amendment = Amendment.objects.get(opportunity=opportunity)
    assert amendment.material and amendment.new_deadline == later
    told = {message.to[0]: message for message in mail.outbox}
    for person in (drafting_person, submitted_person, follower, booker):
        assert person.email in told, person.email
        text = told[person.email].body
        assert f"was {format_datetime(old)}, now {format_datetime(later)}" in text
    assert stranger.email not in told
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody learns who else is bidding
    public = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert "(material)" in public and f"Bids now close {format_datetime(later)}" in public


def test_a_late_extension_that_leaves_less_than_the_lead_time_must_be_explained(client, open_tender):
    commissioner, opportunity = open_tender
    deadline_day = clock.london(opportunity.submission_deadline).date()
    two_days_before = deadline_day - timedelta(days=3)
    with time_machine.travel(
        clock.london(opportunity.submission_deadline).replace(
            year=two_days_before.year, month=two_days_before.month, day=two_days_before.day, hour=9
        ),
        tick=False,
    ):
        later = opportunity.submission_deadline + timedelta(days=7)  # about 7 working days from today; PL-3 asks 15
        page = _amend_page(client, commissioner, opportunity, submission_deadline=fmt(later))
        body = page.content.decode()
        assert "expects at least 15" in body and 'href="#id_lead_time_explanation"' in body
        _unchanged(opportunity)
        api = _amend_api(
            client, commissioner, opportunity, {"summary": "A week more", "submission_deadline": later.isoformat()}
        )
        assert api.status_code == 422 and api.json()["errors"][0]["field"] == "lead_time_explanation"
        _unchanged(opportunity)
        api = _amend_api(
            client,
            commissioner,
            opportunity,
            {
                "summary": "A week more",
                "submission_deadline": later.isoformat(),
                "lead_time_explanation": "Providers asked for one more week after the portal outage",
            },
        )
        assert api.status_code == 201, api.content
        assert api.json()["material"] is True
        assert api.json()["lead_time_explanation"].startswith("Providers asked")
        assert "portal outage" in client.get(f"/opportunities/{opportunity.reference}/").content.decode()


def test_only_the_opportunitys_commissioners_can_amend_it_through_the_api(client, open_tender):
    _, opportunity = open_tender
    later = opportunity.submission_deadline + timedelta(days=7)
    response = _amend_api(
        client, commissioner_at(), opportunity, {"summary": "Mine now", "submission_deadline": later.isoformat()}
    )
    assert response.status_code == 404
    _unchanged(opportunity)
