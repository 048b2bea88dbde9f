"""Each letter gives the panel's reasons for that bidder's own scores: its own answers' moderation rationale,
never the winner's or another bidder's."""

import re

import pytest

from commissioning.evaluation import services
from commissioning.evaluation.models import ModeratedScore
from commissioning.evaluation.tests.factories import moderate_everything, opened_tender, score_everything
from commissioning.feedback.models import Letter, LetterKind
from commissioning.feedback.wording import letter_wording

pytestmark = pytest.mark.django_db


def reason(submission, question) -> str:
    return f"Reason agreed for {submission.organisation.name} on question {question.number}"


@pytest.fixture
def awarded():
    opened = opened_tender()
    scores = {submission.pk: score for (_, _, submission), score in zip(opened.bidders, (4, 3, 2), strict=True)}
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    score_everything(evaluation, panelist, lambda submission, question: scores[submission.pk])
    evaluation.refresh_from_db()
    moderate_everything(evaluation, opened.commissioner, lambda s, q: scores[s.pk], rationale_for=reason)
    services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="The highest scores win")
    services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)
    evaluation = services.evaluation_award(actor=opened.commissioner, evaluation=evaluation)
    yield opened, evaluation


def test_every_letter_carries_its_own_answers_rationale_and_no_one_elses(client, awarded):
    opened, evaluation = awarded
    questions = list(opened.opportunity.questions.all())
    for _, organisation, submission in opened.bidders:
        letter = Letter.objects.get(submission=submission)
        own = {f"Question {q.number}": reason(submission, q) for q in questions}
        for section in letter_wording(letter).lots:
            assert dict(section.reasons) == own
        client.force_login(opened.commissioner)
        body = client.get(
            f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/letters/{letter.pk}/"
        ).content.decode()
        others = [name for _, other, _ in opened.bidders if other != organisation for name in [other.name]]
        for name in others:
            assert f"Reason agreed for {name}" not in body
        assert f"Reason agreed for {organisation.name}" in body


def test_the_reasons_are_the_moderated_rationale_as_it_was_agreed(awarded):
    opened, evaluation = awarded
    _, _, last = opened.bidders[-1]
    letter = Letter.objects.get(submission=last)
    assert letter.kind == LetterKind.FEEDBACK
    stored = {
        m.question.number: m.rationale
        for m in ModeratedScore.objects.filter(submission=last).select_related("question")
    }
    for lot in letter.content["lots"]:
        assert {row["question"]: row["reason"] for row in lot["criteria"]} == stored
        assert not any(
            re.search("Reason agreed for (?!" + re.escape(last.organisation.name) + ")", row["reason"])
            for row in lot["criteria"]
        )
