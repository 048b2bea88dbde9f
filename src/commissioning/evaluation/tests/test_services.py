"""Evaluation through the services: panel and conflicts, scoring, moderation, results, approval, award."""

from decimal import Decimal

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.audit.transitions import TransitionError, transition
from commissioning.core import clock
from commissioning.evaluation import selectors, services
from commissioning.evaluation.models import EvaluationStatus, Outcome, ScaleLevel
from commissioning.evaluation.services import EvaluationError
from commissioning.evaluation.workflow import EVALUATION_WORKFLOW
from commissioning.opportunities.tests.factories import commissioner_at

from .factories import moderate_everything, opened_tender, score_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    made = opened_tender()
    yield made


@pytest.fixture
def evaluation(opened):
    return services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)


def by_quality(scores: dict):
    """Score every answer of a bid the same, by the bid's organisation's position in ``scores``."""
    return lambda submission, question: scores[submission.pk]


def test_evaluation_starts_only_after_opening_and_only_for_its_commissioners(opened):
    with pytest.raises(EvaluationError):
        services.evaluation_start(actor=commissioner_at(), opportunity=opened.opportunity)
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    assert services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity).pk == evaluation.pk
    assert [level["score"] for level in evaluation.scale] == [0, 1, 2, 3, 4]


def test_a_conflicted_evaluator_never_sees_or_scores_that_bid(opened, evaluation):
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    user = panelist.user
    assert selectors.bids_visible_to_panelist(panelist) == []  # nothing before declaring
    a, b, c = (s for _, _, s in opened.bidders)
    question = opened.opportunity.questions.first()
    with pytest.raises(EvaluationError, match="Declare"):
        services.score_save(
            actor=user, panelist=panelist, submission=a, question=question, score=3, justification="Good"
        )
    with pytest.raises(EvaluationError, match="every bidder"):
        services.conflicts_declare(actor=user, panelist=panelist, declarations={a.pk: ""})
    services.conflicts_declare(
        actor=user, panelist=panelist, declarations={a.pk: "I am a trustee of this charity", b.pk: "", c.pk: ""}
    )
    panelist.refresh_from_db()
    assert {bid.submission.pk for bid in selectors.bids_visible_to_panelist(panelist)} == {b.pk, c.pk}
    with pytest.raises(EvaluationError, match="conflict of interest"):
        services.score_save(
            actor=user, panelist=panelist, submission=a, question=question, score=3, justification="Good"
        )
    with pytest.raises(Exception):  # noqa: B017 - a 404 from the selector
        selectors.bid_for_panelist(panelist, a.public_id)


@pytest.mark.parametrize("score", [-1, 5, None, "3", True])
def test_scores_off_the_scale_are_refused(opened, evaluation, score):
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    services.conflicts_declare(
        actor=panelist.user, panelist=panelist, declarations={s.pk: "" for _, _, s in opened.bidders}
    )
    with pytest.raises(EvaluationError, match="from 0 to 4"):
        services.score_save(
            actor=panelist.user,
            panelist=panelist,
            submission=opened.bidders[0][2],
            question=opened.opportunity.questions.first(),
            score=score,
            justification="Good",
        )


def test_a_score_needs_a_justification_and_only_the_evaluator_scores(opened, evaluation):
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    services.conflicts_declare(
        actor=panelist.user, panelist=panelist, declarations={s.pk: "" for _, _, s in opened.bidders}
    )
    target = {"submission": opened.bidders[0][2], "question": opened.opportunity.questions.first()}
    with pytest.raises(EvaluationError, match="justification"):
        services.score_save(actor=panelist.user, panelist=panelist, score=3, justification="  ", **target)
    with pytest.raises(EvaluationError, match="evaluator"):
        services.score_save(actor=opened.commissioner, panelist=panelist, score=3, justification="Mine", **target)


def test_evaluators_see_each_others_scores_only_after_submitting_their_own(opened, evaluation):
    first = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    second = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    score_everything(evaluation, first, lambda s, q: 3)
    second_fresh = type(second).objects.get(pk=second.pk)
    services.conflicts_declare(
        actor=second.user, panelist=second_fresh, declarations={s.pk: "" for _, _, s in opened.bidders}
    )
    second_fresh.refresh_from_db()
    assert selectors.others_scores_for_panelist(second_fresh) == []
    with pytest.raises(EvaluationError, match="Score every answer first"):
        services.scores_submit(actor=second.user, panelist=second_fresh)
    first.refresh_from_db()
    assert first.scores_submitted_at is not None
    assert selectors.others_scores_for_panelist(first) == []  # the second has scored nothing yet


def test_the_last_submission_of_scores_moves_to_moderation(opened, evaluation):
    panelists = [
        services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
        for _ in range(2)
    ]
    score_everything(evaluation, panelists[0], lambda s, q: 2)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING
    score_everything(evaluation, panelists[1], lambda s, q: 4)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.MODERATION
    # The move is the last evaluator's doing, and the audit log names them, not the commissioner.
    move = AuditEvent.objects.get(verb="evaluation.moderate", object_id=str(evaluation.pk))
    assert move.actor_id == panelists[1].user.pk


def test_only_an_evaluator_who_has_submitted_ends_the_scoring(opened, evaluation):
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    with pytest.raises(TransitionError, match="evaluator who has submitted"):
        transition(workflow=EVALUATION_WORKFLOW, obj=evaluation, name="moderate", actor=opened.commissioner)
    with pytest.raises(TransitionError, match="evaluator who has submitted"):
        transition(workflow=EVALUATION_WORKFLOW, obj=evaluation, name="moderate", actor=panelist.user)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SCORING
    side = selectors.scores_side_by_side(evaluation)
    assert all(sorted(s.score for s in scores) == [2, 4] for scores in side.values())


def _to_moderation(opened, evaluation, scores):
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    score_everything(evaluation, panelist, by_quality(scores))
    evaluation.refresh_from_db()
    moderate_everything(evaluation, opened.commissioner, by_quality(scores))
    return evaluation


def test_results_rank_each_lot_and_the_recommendation_needs_a_second_commissioner(opened, evaluation):
    a, b, c = (s for _, _, s in opened.bidders)  # prices 30,000, 32,000 and 29,000 a lot
    evaluation = _to_moderation(opened, evaluation, {a.pk: 4, b.pk: 3, c.pk: 2})
    lots = selectors.results_for(evaluation)
    assert [lr.missing for lr in lots] == [[], []]
    assert [r.key for r in lots[0].results] == [str(a.pk), str(b.pk), str(c.pk)]

    with pytest.raises(EvaluationError, match="Summarise"):
        services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="")
    evaluation = services.evaluation_recommend(
        actor=opened.commissioner, evaluation=evaluation, note="A wins both lots"
    )
    assert evaluation.status == EvaluationStatus.RECOMMENDED
    winners = evaluation.decisions.filter(outcome=Outcome.AWARDED)
    assert {(d.lot.number, d.submission_id, d.amount) for d in winners} == {
        (1, a.pk, Decimal("30000.00")),
        (2, a.pk, Decimal("30000.00")),
    }
    with pytest.raises(EvaluationError, match="different commissioner"):
        services.evaluation_approve(actor=opened.commissioner, evaluation=evaluation)
    with pytest.raises(EvaluationError):
        services.evaluation_award(actor=opened.commissioner, evaluation=evaluation)  # not approved yet
    evaluation = services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)
    assert evaluation.status == EvaluationStatus.APPROVED


def test_the_award_starts_the_standstill_once_its_notice_is_recorded(opened, evaluation):
    a, b, c = (s for _, _, s in opened.bidders)
    evaluation = _to_moderation(opened, evaluation, {a.pk: 4, b.pk: 3, c.pk: 2})
    evaluation = services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="A wins")
    evaluation = services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)
    evaluation = services.evaluation_award(actor=opened.commissioner, evaluation=evaluation)
    assert evaluation.status == EvaluationStatus.AWARDED
    assert evaluation.standstill_days == 8 and evaluation.standstill_ends is None  # until the notice is out
    assert not services.may_conclude_contract(evaluation)
    evaluation = services.award_notice_record(
        actor=opened.commissioner, evaluation=evaluation, published_at=clock.now()
    )
    assert evaluation.standstill_ends > evaluation.decided_at
    assert not services.may_conclude_contract(evaluation)
    assert services.may_conclude_contract(evaluation, evaluation.standstill_ends)
    assert AuditEvent.objects.filter(verb="evaluation.award").exists()
    with pytest.raises(EvaluationError):
        services.evaluation_award(actor=opened.commissioner, evaluation=evaluation)


def test_an_abnormally_low_price_must_be_clarified_and_cannot_win_if_not_accepted():
    opened = opened_tender(prices=(Decimal("39000.00"), Decimal("39500.00"), Decimal("28500.00")))
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    a, b, low = (s for _, _, s in opened.bidders)
    evaluation = _to_moderation(opened, evaluation, {a.pk: 3, b.pk: 3, low.pk: 3})
    with pytest.raises(EvaluationError, match="abnormally low"):
        services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="Cheapest wins")
    for lot in opened.opportunity.lots.all():
        services.price_clarify(
            actor=opened.commissioner,
            evaluation=evaluation,
            submission=low,
            lot=lot,
            note="Could not show how staff would be paid the Real Living Wage at this price",
            accepted=False,
        )
    evaluation = services.evaluation_recommend(
        actor=opened.commissioner, evaluation=evaluation, note="After clarification"
    )
    winners = {d.submission_id for d in evaluation.decisions.filter(outcome=Outcome.AWARDED)}
    assert low.pk not in winners
    assert "abnormally low" in evaluation.decisions.get(submission=low, lot__number=1).reason


def test_level_bids_need_a_choice_and_a_reason():
    opened = opened_tender(prices=(Decimal("30000.00"), Decimal("30000.00"), Decimal("29000.00")))
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    a, b, c = (s for _, _, s in opened.bidders)
    evaluation = _to_moderation(opened, evaluation, {a.pk: 3, b.pk: 3, c.pk: 1})
    lots = selectors.results_for(evaluation)
    assert [r.tied for r in lots[0].results] == [True, True, False]
    with pytest.raises(EvaluationError, match="level on every tie-break"):
        services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="Level")
    choices = {lot.pk: b.pk for lot in opened.opportunity.lots.all()}
    evaluation = services.evaluation_recommend(
        actor=opened.commissioner,
        evaluation=evaluation,
        note="Level on every criterion and price: the panel chose B for its local volunteers",
        tie_winners=choices,
    )
    assert evaluation.decisions.get(submission=b, lot__number=1).outcome == Outcome.AWARDED
    assert evaluation.decisions.get(submission=a, lot__number=1).outcome == Outcome.UNSUCCESSFUL


def test_sending_back_withdraws_the_decisions(opened, evaluation):
    a, b, c = (s for _, _, s in opened.bidders)
    evaluation = _to_moderation(opened, evaluation, {a.pk: 4, b.pk: 3, c.pk: 2})
    evaluation = services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="A wins")
    with pytest.raises(EvaluationError, match="why"):
        services.evaluation_send_back(actor=opened.second_commissioner, evaluation=evaluation, reason="")
    evaluation = services.evaluation_send_back(
        actor=opened.second_commissioner, evaluation=evaluation, reason="Check question 2 again"
    )
    assert evaluation.status == EvaluationStatus.MODERATION and not evaluation.decisions.exists()


def test_the_scale_refuses_missing_and_over_long_words_and_an_unknown_score_saving_nothing(administrator):
    levels = {level.score: (level.label, level.descriptor) for level in ScaleLevel.objects.all()}
    first, second = sorted(levels)[:2]
    bad = {**levels, first: ("x" * 61, ""), second: ("", "y" * 1001), 99: ("Unheard of", "Off the scale")}
    with pytest.raises(EvaluationError) as refused:
        services.scale_update(actor=administrator, levels=bad)
    errors = refused.value.errors
    assert errors[f"label-{first}"] == [f"The label for a score of {first} must be 60 characters or fewer"]
    assert errors[f"descriptor-{first}"] == [f"Say what a score of {first} means"]
    assert errors[f"label-{second}"] == [f"Enter a label for a score of {second}"]
    assert errors[f"descriptor-{second}"] == [f"What a score of {second} means must be 1000 characters or fewer"]
    assert errors[""] == ["The scale has no score of 99"]
    assert {level.score: (level.label, level.descriptor) for level in ScaleLevel.objects.all()} == levels
