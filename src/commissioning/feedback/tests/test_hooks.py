"""Evaluation calls its hooks (evaluation.events) and feedback joins through them: the letters are written
with the award, brought up to date with the notice, and listed on the evaluation overview."""

import pytest
from django.db import connection

from commissioning.core import clock
from commissioning.evaluation import events, services
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.evaluation.tests.awarded import decide
from commissioning.evaluation.tests.factories import opened_tender
from commissioning.feedback import hooks
from commissioning.feedback.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    made = opened_tender()
    yield made


@pytest.fixture
def without_feedback():
    """Evaluation's registries as they are with no later stage installed; feedback's hooks come back after."""
    taken = [
        (events.after_award, hooks.letters_and_surveys_after_award),
        (events.after_standstill, hooks.letters_after_standstill),
        (events.overview_tasks, hooks.feedback_tasks),
    ]
    for registry, hook in taken:
        registry.unregister(hook)
    yield
    hooks.register()


def scores(opened, *values):
    return {submission.pk: value for (_, _, submission), value in zip(opened.bidders, values, strict=True)}


def test_feedback_is_registered_in_every_registry_once_however_often_it_registers():
    hooks.register()
    hooks.register()
    assert events.after_award.hooks.count(hooks.letters_and_surveys_after_award) == 1
    assert events.after_standstill.hooks.count(hooks.letters_after_standstill) == 1
    assert events.overview_tasks.hooks.count(hooks.feedback_tasks) == 1


def test_the_award_calls_after_award_inside_its_transaction_and_the_notice_calls_after_standstill(opened):
    seen = []

    def award_hook(evaluation):
        seen.append(("award", evaluation.pk, evaluation.status, connection.in_atomic_block))

    def notice_hook(evaluation):
        seen.append(("notice", evaluation.pk, evaluation.standstill_ends is not None, connection.in_atomic_block))

    events.after_award.register(award_hook)
    events.after_standstill.register(notice_hook)
    try:
        evaluation = decide(opened, scores(opened, 4, 3, 2))
        assert seen == [("award", evaluation.pk, EvaluationStatus.AWARDED, True)]
        services.award_notice_record(actor=opened.commissioner, evaluation=evaluation, published_at=clock.now())
        assert seen[1] == ("notice", evaluation.pk, True, True)
    finally:
        events.after_award.unregister(award_hook)
        events.after_standstill.unregister(notice_hook)


def test_a_hook_that_fails_undoes_the_award_with_it(opened):
    def broken(evaluation):
        raise RuntimeError("the letters could not be written")

    events.after_award.register(broken)
    try:
        with pytest.raises(RuntimeError):
            decide(opened, scores(opened, 4, 3, 2))
    finally:
        events.after_award.unregister(broken)
    assert Evaluation.objects.get(opportunity=opened.opportunity).status == EvaluationStatus.APPROVED
    assert not Letter.objects.exists()


def test_with_feedback_installed_the_award_writes_a_letter_per_bidder(opened):
    a, b, c = (s for _, _, s in opened.bidders)
    evaluation = decide(opened, scores(opened, 4, 3, 2))
    letters = {letter.submission_id: letter for letter in Letter.objects.filter(evaluation=evaluation)}
    assert letters[a.pk].kind == "award" and letters[b.pk].kind == letters[c.pk].kind == "feedback"
    feedback = letters[c.pk].content
    first_lot = feedback["lots"][0]
    assert first_lot["rank"] == 3 and first_lot["winner_total"] is not None
    assert all(row["winner_points"] is not None for row in first_lot["criteria"])
    # Never another unsuccessful bidder's scores: only its own and the winner's.
    assert b.organisation.name not in str(feedback)
    assert all(letter.content["standstill_ends"] is None for letter in letters.values())
    # The notice brings the unsent letters' standstill up to date.
    evaluation = services.award_notice_record(
        actor=opened.commissioner, evaluation=evaluation, published_at=clock.now()
    )
    for letter in Letter.objects.filter(evaluation=evaluation):
        assert letter.content["standstill_ends"] == evaluation.standstill_ends.isoformat()


def test_without_feedback_the_award_stands_and_writes_no_letters(opened, without_feedback):
    evaluation = decide(opened, scores(opened, 4, 3, 2))
    assert evaluation.status == EvaluationStatus.AWARDED
    assert not Letter.objects.exists()


def overview_titles(client, opened) -> list[str]:
    client.force_login(opened.commissioner)
    response = client.get(f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_lists_feedbacks_tasks_after_evaluations_own(client, opened):
    decide(opened, scores(opened, 4, 3, 2))
    body = overview_titles(client, opened)
    assert body.index("Standstill") < body.index("Send the letters") < body.index("Survey answers and lessons")
    assert f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/letters/" in body


def test_without_feedback_the_overview_lists_only_evaluations_tasks(client, opened, without_feedback):
    decide(opened, scores(opened, 4, 3, 2))
    body = overview_titles(client, opened)
    assert "Standstill" in body and "Send the letters" not in body and "lessons learned" not in body
