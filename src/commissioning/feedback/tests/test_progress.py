"""Feedback's tasks on the evaluation overview read as the letters and lessons pages do."""

from datetime import timedelta

import pytest
import time_machine

from commissioning.evaluation import services
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.evaluation.progress import TaskState
from commissioning.evaluation.tests.awarded import awarded_tender, notice_published
from commissioning.evaluation.tests.factories import opened_tender
from commissioning.evaluation.tests.test_progress import page_text, tasks_on
from commissioning.feedback import progress
from commissioning.feedback import services as feedback_services
from commissioning.feedback.services import letter_send, letters_send_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded():
    """Awarded, with the award notice's publication recorded: the standstill is running."""
    opened, evaluation = awarded_tender()
    notice_published(opened, evaluation)
    evaluation.refresh_from_db()
    yield opened, evaluation


def test_before_the_award_the_letters_and_lessons_cannot_start():
    opened = opened_tender()
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    assert evaluation.status == EvaluationStatus.SCORING
    for state in (progress.letters_state(evaluation, []), progress.lessons_state(evaluation)):
        assert state == TaskState("cannot", "Cannot start yet")


def test_right_after_the_award_the_standstill_runs_and_the_letters_are_to_send(client, awarded):
    opened, evaluation = awarded
    tasks = tasks_on(client, opened)
    assert tasks["Standstill"].startswith("Running until the end of ")
    assert tasks["Send the letters"] == "3 letters to send"
    assert tasks["Survey answers and lessons learned"] == "To do"
    assert tasks["Make the award decision"] == "Awarded"
    assert "The standstill is running" in page_text(client, opened, "standstill/")


def test_weeks_after_the_standstill_with_every_letter_sent_nothing_reads_as_running_or_open(client, awarded):
    opened, evaluation = awarded
    with time_machine.travel(evaluation.decided_at + timedelta(hours=2), tick=False):
        letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    with time_machine.travel(evaluation.standstill_ends + timedelta(weeks=3), tick=False):
        tasks = tasks_on(client, opened)
        assert tasks["Standstill"] == "Ended"
        assert tasks["Send the letters"] == "All sent"
        # The pages the tasks link to say the same.
        assert "The standstill has ended" in page_text(client, opened, "standstill/")
        letters = page_text(client, opened, "letters/")
        assert "Every letter has been sent" in letters and "Send all" not in letters


def test_letters_past_their_day_read_overdue_and_one_sent_leaves_the_others_to_send(client, awarded):
    opened, evaluation = awarded
    first = evaluation.letters.order_by("pk").first()
    with time_machine.travel(first.due_by + timedelta(days=2), tick=False):
        assert tasks_on(client, opened)["Send the letters"] == "3 letters overdue"
    with time_machine.travel(evaluation.decided_at + timedelta(hours=1), tick=False):
        letter_send(actor=opened.commissioner, letter=first)
        assert tasks_on(client, opened)["Send the letters"] == "2 letters to send"


def test_the_lessons_read_written_once_saved_on_their_page(client, awarded):
    opened, evaluation = awarded
    feedback_services.lessons_learned_save(
        actor=opened.commissioner, evaluation=evaluation, text="Start the market event earlier"
    )
    assert tasks_on(client, opened)["Survey answers and lessons learned"] == "Written"


def test_an_award_with_no_letters_has_none_to_send():
    evaluation = Evaluation(status=EvaluationStatus.AWARDED)
    assert progress.letters_state(evaluation, []) == TaskState("done", "No letters")
