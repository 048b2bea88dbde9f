"""NA-2: the pure judgement, the registered check, and the gate that completing an assessment passes."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.needs import reviews
from commissioning.needs.checks_reviews import ReviewFacts, judge_open_review, open_review
from commissioning.practice.catalogue import STEP_NEEDS_ASSESSMENT_COMPLETE
from commissioning.practice.checks import evaluate, registered_check
from commissioning.practice.services import RuleGateClosed, explanation_confirm, gate_require, rule_explain

from .review_factories import answered_review, assessment_for, body_of, closed_review, commissioner_at, draft_review

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def facts(*, days=30, closed_ago=5, answered=True, published=3, unanswered=0, reference="LRV-2027-0001"):
    closes = NOW - timedelta(days=closed_ago)
    return ReviewFacts(
        reference=reference,
        opens_at=closes - timedelta(days=days),
        closes_at=closes,
        answered_at=closes + timedelta(days=1) if answered and closed_ago > 0 else None,
        comments_published=published,
        comments_unanswered=unanswered,
    )


# The pure judgement ---------------------------------------------------------------


def test_no_review_is_not_met():
    result = judge_open_review([], 28, NOW)
    assert not result.met and result.detail == "No review was opened for comment"


def test_a_review_open_long_enough_closed_and_answered_is_met():
    result = judge_open_review([facts()], 28, NOW)
    assert result.met
    assert "3 comments, every one answered" in result.detail


def test_a_short_review_is_not_met_and_says_so():
    result = judge_open_review([facts(days=14)], 28, NOW)
    assert not result.met
    assert "open for 14 days, less than the 28 days asked for" in result.detail


def test_a_review_still_open_is_not_met():
    result = judge_open_review([facts(closed_ago=-3, answered=False)], 28, NOW)
    assert not result.met and "it is open until" in result.detail


def test_a_closed_review_without_published_answers_is_not_met():
    result = judge_open_review([facts(answered=False)], 28, NOW)
    assert not result.met and "its answers are not published" in result.detail


def test_unanswered_comments_are_not_met():
    result = judge_open_review([facts(unanswered=2)], 28, NOW)
    assert not result.met and "2 comments are not answered" in result.detail


def test_one_good_review_among_several_is_enough():
    result = judge_open_review([facts(days=7, reference="LRV-2027-0002"), facts()], 28, NOW)
    assert result.met and result.detail.startswith("LRV-2027-0001")


@given(
    days=st.integers(min_value=1, max_value=200),
    required=st.integers(min_value=1, max_value=180),
    unanswered=st.integers(min_value=0, max_value=5),
    answered=st.booleans(),
)
def test_met_exactly_when_long_enough_answered_and_nothing_waits(days, required, unanswered, answered):
    result = judge_open_review([facts(days=days, unanswered=unanswered, answered=answered)], required, NOW)
    assert result.met == (days >= required and answered and unanswered == 0)
    assert result.detail


# Through the registry and the gate ------------------------------------------------


def test_the_check_is_registered_for_assessments():
    assert registered_check("NA-2", "needs.assessment") is open_review


@pytest.mark.django_db
def test_an_assessment_with_no_review_is_not_met_at_the_gate():
    boss = commissioner_at()
    assessment = assessment_for(boss)
    item = next(i for i in evaluate(assessment, STEP_NEEDS_ASSESSMENT_COMPLETE).items if i.rule.code == "NA-2")
    assert item.outcome == "not_met" and item.detail == "No review was opened for comment"
    with pytest.raises(RuleGateClosed) as closed:
        gate_require(actor=boss, obj=assessment, step=STEP_NEEDS_ASSESSMENT_COMPLETE)
    assert "NA-2" in str(closed.value.gate.message)


@pytest.mark.django_db
def test_a_draft_review_does_not_count():
    boss = commissioner_at()
    assessment = assessment_for(boss)
    draft_review(boss, assessment=assessment)
    item = next(i for i in evaluate(assessment, STEP_NEEDS_ASSESSMENT_COMPLETE).items if i.rule.code == "NA-2")
    assert item.detail == "No review was opened for comment"


@pytest.mark.django_db
def test_an_answered_review_meets_na2_at_the_gate():
    boss = commissioner_at()
    assessment = assessment_for(boss)
    answered_review(boss, assessment=assessment, comments=2)
    gate = evaluate(assessment, STEP_NEEDS_ASSESSMENT_COMPLETE)
    item = next(i for i in gate.items if i.rule.code == "NA-2")
    assert item.is_met, item.detail


@pytest.mark.django_db
def test_a_closed_review_with_comments_to_answer_is_not_met():
    boss = commissioner_at()
    assessment = assessment_for(boss)
    review = closed_review(boss, assessment=assessment, comments=2)
    first = review.comments.order_by("pk").first()
    reviews.answer_save(actor=boss, review=review, you_said="A", we_did="B", comment_ids=[first.pk])
    item = next(i for i in evaluate(assessment, STEP_NEEDS_ASSESSMENT_COMPLETE).items if i.rule.code == "NA-2")
    assert not item.is_met
    assert "its answers are not published" in item.detail and "1 comment is not answered" in item.detail


@pytest.mark.django_db
def test_a_short_review_is_explained_and_then_stands_at_the_gate():
    boss = commissioner_at()
    body = body_of(boss)
    colleague = commissioner_at(body)
    assessment = assessment_for(boss)
    answered_review(boss, assessment=assessment, days=14, comments=1)
    item = next(i for i in evaluate(assessment, STEP_NEEDS_ASSESSMENT_COMPLETE).items if i.rule.code == "NA-2")
    assert item.outcome == "not_met" and "less than the 28 days" in item.detail
    explanation = rule_explain(
        actor=boss,
        rule_code="NA-2",
        obj=assessment,
        body=body,
        reason="The service ends in March: the forum agreed to a two-week review",
        confirmer=colleague,
    )
    explanation_confirm(actor=colleague, explanation=explanation)
    item = next(i for i in evaluate(assessment, STEP_NEEDS_ASSESSMENT_COMPLETE).items if i.rule.code == "NA-2")
    assert item.outcome == "explained"
