"""The reads behind the evaluation pages: who gets them, and what each evaluator may see of the others."""

from decimal import Decimal

import pytest
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.evaluation import page_selectors, selectors, services
from commissioning.evaluation.models import EvaluationStatus
from commissioning.opportunities.tests.factories import commissioner_at

from .factories import opened_tender, score_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    return opened_tender()


@pytest.fixture
def evaluation(opened):
    return services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)


def appoint(opened, evaluation, user=None):
    return services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=user or opened.evaluator())


def declare(panelist, conflict=None):
    services.conflicts_declare(
        actor=panelist.user,
        panelist=panelist,
        declarations={
            b.submission.pk: ("I chair its board" if b.submission == conflict else "")
            for b in selectors.bids_for(panelist.evaluation)
        },
    )
    panelist.refresh_from_db()
    return panelist


def score_one(panelist, bid, score=3):
    for question in panelist.evaluation.opportunity.questions.all():
        services.score_save(
            actor=panelist.user,
            panelist=panelist,
            submission=bid.submission,
            question=question,
            score=score,
            justification="A clear answer",
        )


# Who gets the pages ----------------------------------------------------------------


def test_another_commissioners_evaluation_is_404(opened, evaluation):
    reference = opened.opportunity.reference
    assert selectors.evaluation_get_for_commissioner(user=opened.commissioner, reference=reference) == evaluation
    with pytest.raises(Http404):
        selectors.evaluation_get_for_commissioner(user=commissioner_at(), reference=reference)


def test_the_start_page_is_the_commissioners_only_and_says_whether_the_evaluation_started(opened):
    reference = opened.opportunity.reference
    before = page_selectors.start_page_for(user=opened.commissioner, reference=reference)
    assert not before.started
    assert before.opening is not None and before.opening.opened_by == opened.commissioner
    assert [level.score for level in before.scale] == sorted(level.score for level in before.scale)
    with pytest.raises(Http404):
        page_selectors.start_page_for(user=commissioner_at(), reference=reference)
    services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    assert page_selectors.start_page_for(user=opened.commissioner, reference=reference).started


def test_an_evaluator_not_on_the_panel_has_no_place(opened, evaluation):
    reference = opened.opportunity.reference
    on = appoint(opened, evaluation)
    assert selectors.panelist_get_for(user=on.user, reference=reference) == on
    with pytest.raises(Http404):
        selectors.panelist_get_for(user=opened.evaluator(), reference=reference)
    with pytest.raises(Http404):
        selectors.panelist_get_for(user=person_with_role(Role.EVALUATOR), reference=reference)


def test_only_an_evaluator_on_this_panel_can_be_named_for_removal(opened, evaluation):
    on = appoint(opened, evaluation)
    other_opened = opened_tender()
    other = services.evaluation_start(actor=other_opened.commissioner, opportunity=other_opened.opportunity)
    elsewhere = appoint(other_opened, other)
    assert page_selectors.panelist_on_panel(evaluation, str(on.pk)) == on
    for wrong in (elsewhere.pk, "", None, "not-a-number"):
        with pytest.raises(Http404):
            page_selectors.panelist_on_panel(evaluation, wrong)


# The overview -------------------------------------------------------------------------


def test_the_task_list_names_the_viewers_place_and_reads_the_workflow(opened, evaluation):
    tasks = page_selectors.task_list_for(evaluation=evaluation, user=opened.commissioner)
    assert tasks.on_panel is None
    assert tasks.bids == 3
    assert [s.status for s in tasks.steps[:3]] == ["now", "cannot", "cannot"]
    mine = appoint(opened, evaluation, user=opened.second_commissioner)
    tasks = page_selectors.task_list_for(evaluation=evaluation, user=opened.second_commissioner)
    assert tasks.on_panel == mine
    assert [s.status for s in tasks.steps[:2]] == ["done", "now"]
    assert tasks.steps[1].status_text == "0 of 1 submitted"


# Prices -------------------------------------------------------------------------------


def test_only_an_abnormally_low_price_can_be_named_for_clarification():
    opened = opened_tender(prices=(Decimal("39000.00"), Decimal("39500.00"), Decimal("28500.00")))
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    lots = selectors.prices_for(evaluation)
    low = opened.bidders[2][2]
    fair = opened.bidders[0][2]
    lot = lots[0].lot
    found_lot, row = page_selectors.abnormally_low_row(lots, f"{low.pk}-{lot.pk}")
    assert (found_lot, row.bid.submission) == (lot, low)
    for wrong in (f"{fair.pk}-{lot.pk}", f"{low.pk}-0", "", None):
        with pytest.raises(Http404):
            page_selectors.abnormally_low_row(lots, wrong)


# What an evaluator sees ---------------------------------------------------------------


def test_the_others_scores_are_hidden_until_you_have_submitted_yours(opened, evaluation):
    one = appoint(opened, evaluation)
    two = declare(appoint(opened, evaluation))
    score_everything(evaluation, one, lambda s, q: 4)
    shown = selectors.bids_visible_to_panelist(two)[0]
    assert selectors.others_scores_on_bid(two, shown) == {}
    assert page_selectors.bid_sheet_for(two, shown).others == {}
    for bid in selectors.bids_visible_to_panelist(two):
        score_one(two, bid)
    services.scores_submit(actor=two.user, panelist=two)
    two.refresh_from_db()
    others = selectors.others_scores_on_bid(two, shown)
    questions = list(evaluation.opportunity.questions.all())
    assert set(others) == {q.pk for q in questions}
    assert all([s.panelist for s in scores] == [one] for scores in others.values())
    assert all(s.submission_id == shown.submission.pk for scores in others.values() for s in scores)
    sheet = page_selectors.bid_sheet_for(two, shown)
    assert sheet.others == others
    assert set(sheet.mine) == {q.pk for q in questions}


def test_the_others_scores_on_a_conflicted_bid_are_never_shown(opened, evaluation):
    one = appoint(opened, evaluation)
    conflict = opened.bidders[0][2]
    two = declare(appoint(opened, evaluation), conflict=conflict)
    score_everything(evaluation, one, lambda s, q: 4)
    for bid in selectors.bids_visible_to_panelist(two):
        score_one(two, bid)
    services.scores_submit(actor=two.user, panelist=two)
    two.refresh_from_db()
    conflicted = next(b for b in selectors.bids_for(evaluation) if b.submission == conflict)
    assert selectors.others_scores_on_bid(two, conflicted) == {}
    with pytest.raises(Http404):
        selectors.bid_for_panelist(two, conflict.public_id)


def test_the_place_counts_your_scores_and_leaves_out_a_conflicted_bid(opened, evaluation):
    conflict = opened.bidders[0][2]
    panelist = declare(appoint(opened, evaluation), conflict=conflict)
    place = page_selectors.panel_place_for(panelist)
    assert [bid.submission for bid, _ in place.bids] == [s for _, _, s in opened.bidders[1:]]
    assert [d.submission for d in place.conflicted] == [conflict]
    assert not place.all_scored
    for bid, _ in place.bids:
        score_one(panelist, bid)
    place = page_selectors.panel_place_for(panelist)
    assert all(scored == place.questions for _, scored in place.bids)
    assert place.all_scored


def test_next_bid_is_the_next_one_unscored_then_none(opened, evaluation):
    panelist = declare(appoint(opened, evaluation))
    first, second, third = selectors.bids_visible_to_panelist(panelist)
    assert page_selectors.next_bid_to_score(panelist, first) == second
    assert page_selectors.next_bid_to_score(panelist, third) == first  # wraps round
    score_one(panelist, second)
    assert page_selectors.next_bid_to_score(panelist, first) == third
    score_one(panelist, first)
    score_one(panelist, third)
    assert page_selectors.next_bid_to_score(panelist, first) is None


def test_the_check_sheet_shows_only_your_own_scores(opened, evaluation):
    one = appoint(opened, evaluation)
    two = declare(appoint(opened, evaluation))
    score_everything(evaluation, one, lambda s, q: 4)
    first = selectors.bids_visible_to_panelist(two)[0]
    score_one(two, first, score=2)
    sections = page_selectors.check_sheet_for(two)
    assert [s["missing"] for s in sections] == [0, len(sections[0]["rows"]), len(sections[0]["rows"])]
    assert {r["score"].panelist for r in sections[0]["rows"]} == {two}
    assert all(r["score"].score == 2 for r in sections[0]["rows"])


def test_the_check_sheet_is_empty_before_declaring(opened, evaluation):
    panelist = appoint(opened, evaluation)
    assert page_selectors.check_sheet_for(panelist) == []
    assert page_selectors.panel_place_for(panelist).bids == []
    assert evaluation.status == EvaluationStatus.SCORING


def test_an_answer_reads_as_its_paragraphs():
    assert selectors.answer_paragraphs("We run it.\n\nWe train staff.\n\n\n") == ["We run it.", "We train staff."]
    assert selectors.answer_paragraphs("") == []


def test_moderation_and_scoring_show_an_answer_in_the_same_paragraphs(opened, evaluation):
    one = appoint(opened, evaluation)
    score_everything(evaluation, one, lambda s, q: 3)
    evaluation.refresh_from_db()
    one.refresh_from_db()
    sheet = selectors.moderation_sheet_for(evaluation)[0]
    scoring_sheet = page_selectors.bid_sheet_for(one, sheet.bid)
    assert [a.paragraphs for a in sheet.answers] == [scoring_sheet.paragraphs[a.question.pk] for a in sheet.answers]
    assert all(a.paragraphs for a in sheet.answers)
