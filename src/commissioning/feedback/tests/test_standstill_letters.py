"""What the letters say about the standstill, before and after the award notice's publication is recorded."""

from datetime import timedelta

import pytest

from commissioning.core import clock
from commissioning.evaluation.tests.factories import opened_tender
from commissioning.evaluation.tests.test_standstill import awarded, record, text_of
from commissioning.feedback import services as feedback_services
from commissioning.feedback.models import Letter
from commissioning.feedback.wording import letter_wording


@pytest.fixture
def opened(db):
    made = opened_tender()
    made.shifts = []
    yield made
    for shift in reversed(made.shifts):
        shift.stop()


@pytest.mark.django_db
def test_the_letters_say_which_rule_applies_and_when_it_ends_once_the_notice_is_out(opened):
    evaluation = awarded(opened, "competitive")
    sent, unsent = list(Letter.objects.filter(evaluation=evaluation).order_by("pk"))[:2]
    before = letter_wording(unsent).standstill
    assert "8 working days beginning with the day the contract award notice is published" in before
    assert "the Procurement Act 2023, section 51" in before and "has not been published yet" in before
    feedback_services.letter_send(actor=opened.commissioner, letter=sent)
    published = clock.now() - timedelta(minutes=30)
    evaluation = record(opened, evaluation, published)
    unsent.refresh_from_db()
    after = letter_wording(unsent).standstill
    last = clock.london(evaluation.standstill_ends - timedelta(microseconds=1)).date()
    assert "The contract award notice was published on" in after
    assert f"ends at midnight at the end of {last.day} {last:%B %Y}" in after
    # A letter already sent keeps what it said.
    sent.refresh_from_db()
    assert "has not been published yet" in letter_wording(sent).standstill


@pytest.mark.django_db
def test_a_psr_letter_says_counting_begins_the_day_after_the_notice(opened):
    evaluation = awarded(opened, "psr")
    wording = letter_wording(Letter.objects.filter(evaluation=evaluation).first()).standstill
    assert "beginning on the day after the notice of intention to award is published" in wording
    assert "regulation 12" in wording


@pytest.mark.django_db
def test_a_bidders_results_show_the_standstill_as_it_stands_after_its_letter_was_sent(client, opened):
    evaluation = awarded(opened, "competitive")
    person, _, submission = opened.bidders[2]
    feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    client.force_login(person)
    url = f"/bids/{submission.public_id}/results/"
    assert "The contract award notice has not been published yet" in text_of(client.get(url))
    evaluation = record(opened, evaluation)
    body = text_of(client.get(url))
    last = clock.london(evaluation.standstill_ends - timedelta(microseconds=1)).date()
    assert "The contract award notice was published on" in body
    assert f"ends at midnight at the end of {last.day} {last:%B %Y}" in body
