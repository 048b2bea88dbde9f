"""The demo evaluations: an award after its standstill, one in standstill (both counted from their award
notice), one being scored."""

import pytest
from django.core.management import call_command

from commissioning.core import clock
from commissioning.core.workdays import closure_days
from commissioning.evaluation.demo import HOME_FROM_HOSPITAL, YOUNG_CARERS_WELLBEING
from commissioning.evaluation.models import Decision, Evaluation, EvaluationStatus
from commissioning.evaluation.services import may_conclude_contract
from commissioning.evaluation.standstill import standstill_ends
from commissioning.feedback.models import Letter
from commissioning.submissions.demo import BEFRIENDING

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data", quiet=True)


def test_the_demo_has_awards_in_and_after_standstill_and_an_evaluation_under_way(demo):
    after = Evaluation.objects.get(opportunity__title=HOME_FROM_HOSPITAL)
    assert after.status == EvaluationStatus.AWARDED and may_conclude_contract(after)
    assert all(letter.sent_at is not None and letter.sent_at.date() <= letter.due_by for letter in after.letters.all())

    during = Evaluation.objects.get(opportunity__title=YOUNG_CARERS_WELLBEING)
    assert during.status == EvaluationStatus.AWARDED and not may_conclude_contract(during)
    assert during.standstill_ends > clock.now()
    assert {letter.kind for letter in during.letters.all()} == {"award", "feedback"}

    # Both standstills run from their award notice, published after the letters went, by the Act's counting.
    for evaluation in (after, during):
        assert evaluation.notice_reference and not evaluation.awaiting_notice
        assert all(letter.sent_at < evaluation.notice_published_at for letter in evaluation.letters.all())
        assert evaluation.standstill_rule["first_day_counts"] and "section 51" in evaluation.standstill_rule["basis"]
        assert evaluation.standstill_ends == standstill_ends(
            evaluation.notice_published_at, evaluation.standstill_days, evaluation.standstill_rule, closure_days()
        )

    scoring = Evaluation.objects.get(opportunity__title=BEFRIENDING)
    assert scoring.status == EvaluationStatus.SCORING
    assert scoring.panelists.get().declared_at is not None

    # Every step happened in order, before today.
    for evaluation in (after, during):
        deadline = evaluation.opportunity.submission_deadline
        assert deadline < evaluation.started_at < evaluation.recommended_at < evaluation.approved_at
        assert evaluation.approved_at < evaluation.decided_at < clock.now()
        assert evaluation.approved_by != evaluation.recommended_by


def test_loading_again_tells_nothing_twice(demo):
    counts = (Evaluation.objects.count(), Decision.objects.count(), Letter.objects.count())
    call_command("load_demo_data", quiet=True)
    assert (Evaluation.objects.count(), Decision.objects.count(), Letter.objects.count()) == counts


def test_each_demo_letter_gives_the_panels_reasons_for_that_bidders_own_scores(demo):
    from commissioning.evaluation.models import ModeratedScore, Outcome
    from commissioning.feedback.wording import letter_wording

    for title in (HOME_FROM_HOSPITAL, YOUNG_CARERS_WELLBEING):
        evaluation = Evaluation.objects.get(opportunity__title=title)
        winner = evaluation.decisions.get(outcome=Outcome.AWARDED).submission
        winners_reasons = set(ModeratedScore.objects.filter(submission=winner).values_list("rationale", flat=True))
        feedback = evaluation.letters.filter(kind="feedback")
        assert feedback.exists()
        for letter in feedback:
            own = {
                f"Question {m.question.number}": m.rationale
                for m in ModeratedScore.objects.filter(submission=letter.submission).select_related("question")
            }
            for section in letter_wording(letter).lots:
                assert dict(section.reasons) == own
                # An unsuccessful bid's scores were lower: it is not told the winner's reasons as its own.
                assert not set(own.values()) & winners_reasons, title
