"""Evaluation pages: the commissioner's, the evaluator's and the administrator's, with what others get."""

import re
from decimal import Decimal

import pytest
from markupsafe import escape  # the escaper the templates use (Python's html.escape writes an apostrophe differently)

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.evaluation import selectors, services
from commissioning.evaluation.models import (
    Evaluation,
    EvaluationStatus,
    ModeratedScore,
    Panelist,
    PriceClarification,
    ScaleLevel,
    Score,
)
from commissioning.opportunities.models import Opportunity
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.submissions.tests.factories import bidder, tender

from .factories import moderate_everything, opened_tender, score_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    made = opened_tender()
    yield made


@pytest.fixture
def evaluation(opened):
    return services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)


def base(opened) -> str:
    return f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/"


def links_from(reference: str) -> tuple[str, str]:
    """The opportunity's overview and its opened submissions: both link to the evaluation."""
    return f"/commissioning/opportunities/{reference}/", f"/commissioning/opportunities/{reference}/submissions/"


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's words without tags or repeated spaces, to read sentences that span elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def appoint(opened, evaluation, user=None) -> Panelist:
    return services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=user or opened.evaluator())


def declare_none(panelist) -> Panelist:
    services.conflicts_declare(
        actor=panelist.user,
        panelist=panelist,
        declarations={bid.submission.pk: "" for bid in selectors.bids_for(panelist.evaluation)},
    )
    panelist.refresh_from_db()
    return panelist


def to_moderation(opened, evaluation, first=lambda s, q: 3, second=lambda s, q: 3, conflict=None):
    """Two evaluators score everything (the second declaring ``conflict`` with one bid); moderation opens."""
    one = appoint(opened, evaluation)
    two = appoint(opened, evaluation)
    score_everything(evaluation, one, first)
    bids = selectors.bids_for(evaluation)
    services.conflicts_declare(
        actor=two.user,
        panelist=two,
        declarations={b.submission.pk: ("I chair its board" if b.submission == conflict else "") for b in bids},
    )
    two.refresh_from_db()
    for bid in bids:
        if bid.submission == conflict:
            continue
        for question in evaluation.opportunity.questions.all():
            services.score_save(
                actor=two.user,
                panelist=two,
                submission=bid.submission,
                question=question,
                score=second(bid.submission, question),
                justification="Second view of the answer",
            )
    services.scores_submit(actor=two.user, panelist=two)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.MODERATION
    return one, two


def moderated(opened, evaluation, scores=None):
    a, b, c = (s for _, _, s in opened.bidders)
    scores = scores or {a.pk: 4, b.pk: 3, c.pk: 2}
    to_moderation(opened, evaluation)
    moderate_everything(evaluation, opened.commissioner, lambda s, q: scores[s.pk])
    return evaluation


# Starting and the panel -----------------------------------------------------------------


def test_the_evaluation_starts_only_after_opening(client):
    commissioner = commissioner_at()
    sealed = tender(commissioner)
    client.force_login(commissioner)
    body = page(client, f"/commissioning/opportunities/{sealed.reference}/evaluation/start/")
    assert "Open the submissions before starting the evaluation" in body
    assert "Start the evaluation</button>" not in body
    response = client.post(f"/commissioning/opportunities/{sealed.reference}/evaluation/start/")
    assert response.status_code == 302 and not Evaluation.objects.exists()
    # The overview of an evaluation not started sends its commissioner to the start page.
    assert client.get(f"/commissioning/opportunities/{sealed.reference}/evaluation/")["Location"].endswith("/start/")


def test_starting_fixes_the_scale_and_leads_to_the_panel(client, opened):
    client.force_login(opened.commissioner)
    reference = opened.opportunity.reference
    for path in links_from(reference):
        assert f'href="{base(opened)}start/"' in page(client, path)
    body = page(client, base(opened) + "start/")
    assert "Start the evaluation" in body and "Excellent" in body
    response = client.post(base(opened) + "start/")
    assert response.status_code == 302 and response["Location"] == base(opened) + "panel/"
    evaluation = Evaluation.objects.get(opportunity=opened.opportunity)
    assert [level["score"] for level in evaluation.scale] == [0, 1, 2, 3, 4]
    assert client.get(base(opened) + "start/")["Location"] == base(opened)
    body = page(client, base(opened))
    assert "Appoint the panel" in body and "Scoring" in body
    for path in links_from(reference):
        assert f'href="{base(opened)}"' in page(client, path)


def test_the_panel_is_chosen_from_evaluators_commissioners_and_partners_and_shows_declarations(
    client, opened, evaluation
):
    evaluator = opened.evaluator()
    reviewer = person_with_role(Role.PARTNERSHIP_REVIEWER)  # at a partner organisation
    provider_person, _ = bidder()
    elsewhere = person_with_role(Role.EVALUATOR)  # another body's evaluator: not a candidate
    client.force_login(opened.commissioner)
    body = page(client, base(opened) + "panel/")
    assert escape(evaluator.full_name) in body and escape(reviewer.full_name) in body
    assert escape(provider_person.full_name) not in body and escape(elsewhere.full_name) not in body

    response = client.post(base(opened) + "panel/", {"action": "appoint", "user": str(elsewhere.pk)})
    assert response.status_code == 200 and "Choose someone from the list" in response.content.decode()
    response = client.post(base(opened) + "panel/", {"action": "appoint", "user": ""})
    assert "Choose who to appoint" in response.content.decode()

    response = client.post(base(opened) + "panel/", {"action": "appoint", "user": str(evaluator.pk)})
    assert response.status_code == 302
    panelist = Panelist.objects.get(user=evaluator)
    body = page(client, base(opened) + "panel/")
    assert "Not yet declared" in body and "Not submitted" in body

    a = opened.bidders[0][2]
    services.conflicts_declare(
        actor=evaluator,
        panelist=panelist,
        declarations={
            bid.submission.pk: ("My sister manages it" if bid.submission == a else "")
            for bid in selectors.bids_for(evaluation)
        },
    )
    body = page(client, base(opened) + "panel/")
    assert f"conflict with {a.organisation.name}: My sister manages it" in body

    response = client.post(base(opened) + "panel/", {"action": "remove", "panelist": str(panelist.pk)})
    assert response.status_code == 302 and not Panelist.objects.filter(pk=panelist.pk).exists()
    assert client.post(base(opened) + "panel/", {"action": "remove", "panelist": "999999"}).status_code == 404


# Who may see what --------------------------------------------------------------------------


def test_people_who_do_not_commission_it_get_404_on_every_commissioner_page(client, opened, evaluation):
    panelist = appoint(opened, evaluation)
    outsiders = [
        commissioner_at(),  # another body's commissioner
        opened.bidders[0][0],  # a provider that bid
        opened.evaluator(),  # an evaluator at the body, not on the panel
        panelist.user,  # an evaluator on the panel: not a commissioner
    ]
    pages = [
        "",
        "start/",
        "panel/",
        "moderation/",
        "prices/",
        "results/",
        "recommendation/",
        "approval/",
        "send-back/",
        "award/",
        "standstill/",
    ]
    for person in outsiders:
        client.force_login(person)
        for path in pages:
            assert client.get(base(opened) + path).status_code == 404, (person, path)
        assert client.post(base(opened) + "approval/").status_code == 404
    client.logout()
    assert client.get(base(opened) + "moderation/").status_code == 302  # sign in first


def test_evaluator_pages_answer_404_to_anyone_not_on_the_panel(client, opened, evaluation):
    panelist = declare_none(appoint(opened, evaluation))
    submission = opened.bidders[0][2]
    reference = opened.opportunity.reference
    paths = [f"/evaluation/{reference}/", f"/evaluation/{reference}/bids/{submission.public_id}/"]
    paths.append(f"/evaluation/{reference}/check/")
    for person in [opened.evaluator(), opened.commissioner, opened.bidders[0][0], commissioner_at()]:
        client.force_login(person)
        for path in paths:
            assert client.get(path).status_code == 404, (person, path)
    client.force_login(panelist.user)
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_your_panels_lists_the_places_and_is_for_people_who_can_sit_on_one(client, opened, evaluation):
    panelist = appoint(opened, evaluation)
    client.force_login(panelist.user)
    body = page(client, "/evaluation/")
    assert opened.opportunity.title in body and "Declare conflicts of interest" in body
    assert 'href="/evaluation/"' in body  # the navigation link
    client.force_login(opened.bidders[0][0])
    assert client.get("/evaluation/").status_code == 404
    assert 'href="/evaluation/"' not in page(client, "/opportunities/")
    client.force_login(person_with_role(Role.EVALUATOR))
    assert "You are not on any panel" in page(client, "/evaluation/")


# Declaring and scoring -----------------------------------------------------------------------


def test_bids_are_not_shown_before_declaring(client, opened, evaluation):
    panelist = appoint(opened, evaluation)
    submission = opened.bidders[0][2]
    reference = opened.opportunity.reference
    client.force_login(panelist.user)
    response = client.get(f"/evaluation/{reference}/bids/{submission.public_id}/")
    assert response.status_code == 302 and response["Location"] == f"/evaluation/{reference}/"
    assert client.get(f"/evaluation/{reference}/check/").status_code == 302
    body = page(client, f"/evaluation/{reference}/")
    assert "Declare any conflicts of interest" in body
    for _, organisation, _ in opened.bidders:
        assert organisation.name in body
    assert "Our answer to question" not in body
    assert "Declare any conflicts of interest with the bidders before you see the bids" in body


def test_declarations_cover_every_bidder_and_a_conflict_says_what_it_is(client, opened, evaluation):
    panelist = appoint(opened, evaluation)
    a, b, c = (s for _, _, s in opened.bidders)
    reference = opened.opportunity.reference
    client.force_login(panelist.user)
    response = client.post(
        f"/evaluation/{reference}/",
        {f"conflict-{a.pk}": "yes", f"details-{a.pk}": "", f"conflict-{b.pk}": "no"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert f"Say what your conflict of interest with {a.organisation.name} is" in body
    assert f"Say whether you have a conflict of interest with {c.organisation.name}" in body
    panelist.refresh_from_db()
    assert panelist.declared_at is None

    response = client.post(
        f"/evaluation/{reference}/",
        {
            f"conflict-{a.pk}": "yes",
            f"details-{a.pk}": "I volunteer there on Saturdays",
            f"conflict-{b.pk}": "no",
            f"conflict-{c.pk}": "no",
        },
    )
    assert response.status_code == 302
    panelist.refresh_from_db()
    assert panelist.declared_at is not None
    body = page(client, f"/evaluation/{reference}/")
    assert "I volunteer there on Saturdays" in body
    assert f"/bids/{b.public_id}/" in body and f"/bids/{a.public_id}/" not in body
    # A conflicted bid is not there at all.
    assert client.get(f"/evaluation/{reference}/bids/{a.public_id}/").status_code == 404
    assert client.post(f"/evaluation/{reference}/bids/{a.public_id}/", {"score-1": "4"}).status_code == 404


def test_a_bid_shows_its_answers_with_the_published_scale(client, opened, evaluation):
    panelist = declare_none(appoint(opened, evaluation))
    submission = opened.bidders[0][2]
    client.force_login(panelist.user)
    body = page(client, f"/evaluation/{opened.opportunity.reference}/bids/{submission.public_id}/")
    assert "Our answer to question 1." in body and "Our answer to question 3." in body
    assert "4: Excellent" in body and "adds value beyond what was asked" in body
    assert "Your score for question 1" in body
    assert "£30,000" not in body  # quality is scored without the price


@pytest.mark.parametrize(
    "posted, message",
    [
        ({"score-1": "7", "justification-1": "Strong local links, typed with care"}, "choose a score from 0 to 4"),
        ({"score-1": "-1", "justification-1": "Strong local links, typed with care"}, "choose a score from 0 to 4"),
        ({"score-1": "", "justification-1": "Strong local links, typed with care"}, "choose a score from 0 to 4"),
        ({"score-1": "3", "justification-1": "   "}, "give the justification for the score"),
    ],
)
def test_a_score_off_the_scale_or_without_a_justification_is_refused_and_the_text_kept(
    client, opened, evaluation, posted, message
):
    panelist = declare_none(appoint(opened, evaluation))
    submission = opened.bidders[0][2]
    client.force_login(panelist.user)
    path = f"/evaluation/{opened.opportunity.reference}/bids/{submission.public_id}/"
    response = client.post(
        path, {**posted, "score-2": "2", "justification-2": "Some gaps in involvement", "action": "save"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and f"Question 1: {message}" in body
    assert 'href="#id_score-1"' in body or 'href="#id_justification-1"' in body
    if posted["justification-1"].strip():
        assert posted["justification-1"] in body
    assert "Some gaps in involvement" in body
    question_1 = opened.opportunity.questions.get(number=1)
    assert not Score.objects.filter(panelist=panelist, question=question_1).exists()
    # What was right is saved: nothing is lost.
    assert Score.objects.get(panelist=panelist, question__number=2).score == 2


def test_scoring_saves_as_you_go_and_moves_to_the_next_bid(client, opened, evaluation):
    panelist = declare_none(appoint(opened, evaluation))
    reference = opened.opportunity.reference
    a, b, _ = (s for _, _, s in opened.bidders)
    client.force_login(panelist.user)
    data = {"action": "next"}
    for n in (1, 2, 3):
        data |= {f"score-{n}": "3", f"justification-{n}": f"Answer {n} is clear"}
    response = client.post(f"/evaluation/{reference}/bids/{a.public_id}/", data)
    assert response.status_code == 302 and response["Location"] == f"/evaluation/{reference}/bids/{b.public_id}/"
    assert Score.objects.filter(panelist=panelist, submission=a).count() == 3
    body = page(client, f"/evaluation/{reference}/bids/{a.public_id}/")
    assert "Answer 2 is clear" in body  # the saved justification is shown again
    assert "Scored" in page(client, f"/evaluation/{reference}/")


def test_check_your_scores_refuses_to_submit_with_answers_missing_then_submits(client, opened, evaluation):
    panelist = declare_none(appoint(opened, evaluation))
    other = appoint(opened, evaluation)
    reference = opened.opportunity.reference
    client.force_login(panelist.user)
    body = page(client, f"/evaluation/{reference}/check/")
    assert "9 answers are still to score" in text_of(body)
    response = client.post(f"/evaluation/{reference}/check/")
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body and "Score every answer first" in body
    for _, _, submission in opened.bidders:
        for question in opened.opportunity.questions.all():
            services.score_save(
                actor=panelist.user,
                panelist=panelist,
                submission=submission,
                question=question,
                score=4,
                justification="Excellent answer",
            )
    response = client.post(f"/evaluation/{reference}/check/")
    assert response.status_code == 302
    panelist.refresh_from_db()
    assert panelist.scores_submitted_at is not None
    # Scores cannot change now.
    a = opened.bidders[0][2]
    response = client.post(f"/evaluation/{reference}/bids/{a.public_id}/", {"score-1": "0", "justification-1": "x"})
    assert response.status_code == 302
    assert Score.objects.get(panelist=panelist, submission=a, question__number=1).score == 4

    # The other evaluator's scores appear beside yours once they have submitted theirs.
    score_everything(evaluation, other, lambda s, q: 1)
    body = page(client, f"/evaluation/{reference}/bids/{a.public_id}/")
    assert escape(other.user.full_name) in body and "1: Poor" in body and "4: Excellent" in body


def test_the_others_scores_stay_hidden_until_you_submit(client, opened, evaluation):
    first = appoint(opened, evaluation)
    second = declare_none(appoint(opened, evaluation))
    score_everything(evaluation, first, lambda s, q: 1)
    client.force_login(second.user)
    a = opened.bidders[0][2]
    body = page(client, f"/evaluation/{opened.opportunity.reference}/bids/{a.public_id}/")
    assert escape(first.user.full_name) not in body and "1: Poor" in body  # the radio, not a score
    assert "Clear, evidenced answer" not in body


# Moderation ------------------------------------------------------------------------------


def test_moderation_shows_the_scores_side_by_side_with_the_spread_and_the_conflicts(
    client, opened, evaluation, django_assert_max_num_queries
):
    a, b, c = (s for _, _, s in opened.bidders)
    one, two = to_moderation(
        opened, evaluation, first=lambda s, q: 4, second=lambda s, q: 1 if s == b else 4, conflict=c
    )
    client.force_login(opened.commissioner)
    with django_assert_max_num_queries(16):
        response = client.get(base(opened) + "moderation/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Spread of 3 points" in body and "The individual scores differ by 3 points" in body
    assert body.count("Spread of 3 points") == 3  # b's three answers only
    assert "Declared a conflict" in body and body.count("Declared a conflict") == 3  # c's answers, evaluator two
    assert "Second view of the answer" in body and "Clear, evidenced answer" in body
    assert "Our answer to question 2." in body
    assert body.count('name="sheet"') == 3  # one form per bid, for all its answers
    assert body.count("Save the consensus scores for") == 3 and "Save the consensus score<" not in body


def test_the_moderation_page_costs_the_same_queries_however_many_bids(client, django_assert_max_num_queries):
    counts = []
    for prices in [(Decimal("30000.00"), Decimal("31000.00")), tuple(Decimal(30000 + n * 500) for n in range(5))]:
        made = opened_tender(prices=prices)
        evaluation = services.evaluation_start(actor=made.commissioner, opportunity=made.opportunity)
        to_moderation(made, evaluation)
        client.force_login(made.commissioner)
        with django_assert_max_num_queries(16) as captured:
            assert client.get(base(made) + "moderation/").status_code == 200
        counts.append(len(captured))
        with django_assert_max_num_queries(16) as captured:
            assert client.get(base(made) + "results/").status_code == 200
        counts.append(len(captured))
    assert counts[:2] == counts[2:]


def _sheet(opened, submission, values: dict[int, tuple[str, str]]) -> dict:
    """A moderation sheet's POST for one bid: question number -> (score, rationale), as typed."""
    data = {"sheet": str(submission.pk)}
    for number, (score, rationale) in values.items():
        if score:
            data[f"m-{submission.pk}-score-{number}"] = score
        data[f"m-{submission.pk}-rationale-{number}"] = rationale
    return data


def test_a_bids_sheet_saves_every_answer_in_one_go_audited_once(client, opened, evaluation):
    to_moderation(opened, evaluation)
    a = opened.bidders[0][2]
    client.force_login(opened.commissioner)
    before = AuditEvent.objects.filter(verb="evaluation.moderate").count()
    response = client.post(
        base(opened) + "moderation/",
        _sheet(opened, a, {1: ("3", "Agreed: good evidence"), 2: ("4", "Strong plan"), 3: ("2", "Thin")}),
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#bid-{a.pk}")
    saved = {m.question.number: (m.score, m.rationale) for m in ModeratedScore.objects.filter(submission=a)}
    assert saved == {1: (3, "Agreed: good evidence"), 2: (4, "Strong plan"), 3: (2, "Thin")}
    events = AuditEvent.objects.filter(verb="evaluation.moderate")
    assert events.count() == before + 1 and events.latest("pk").after["scores"] == {"1": 3, "2": 4, "3": 2}
    assert "3 of 9" in page(client, base(opened) + "moderation/")
    # The same sheet posted again (a double click) changes nothing and records nothing more.
    again = client.post(
        base(opened) + "moderation/",
        _sheet(opened, a, {1: ("3", "Agreed: good evidence"), 2: ("4", "Strong plan"), 3: ("2", "Thin")}),
        follow=True,
    )
    assert "Nothing was changed for" in again.content.decode()
    assert AuditEvent.objects.filter(verb="evaluation.moderate").count() == before + 1
    assert ModeratedScore.objects.filter(submission=a).count() == 3


def test_one_bad_answer_saves_nothing_on_the_sheet_and_keeps_everything_typed(client, opened, evaluation):
    to_moderation(opened, evaluation)
    a = opened.bidders[0][2]
    prefix = f"m-{a.pk}"
    client.force_login(opened.commissioner)
    response = client.post(
        base(opened) + "moderation/",
        _sheet(opened, a, {1: ("9", "We agreed after discussion"), 2: ("3", ""), 3: ("2", "Kept as typed")}),
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Question 1: choose a score from 0 to 4" in body and f'href="#id_{prefix}-score-1"' in body
    assert "Question 2: give the rationale for the score" in body and f'href="#id_{prefix}-rationale-2"' in body
    assert "We agreed after discussion" in body and "Kept as typed" in body  # nothing typed is lost
    assert re.search(rf'name="{prefix}-score-3" type="radio" value="2" checked', body)
    assert not ModeratedScore.objects.exists()  # and nothing on the sheet is saved
    # A rationale without a score is refused on the score.
    body = client.post(base(opened) + "moderation/", _sheet(opened, a, {1: ("", "No score chosen")})).content.decode()
    assert "Question 1: choose the consensus score" in body and not ModeratedScore.objects.exists()


def test_answers_left_blank_stay_to_moderate_and_an_agreed_one_cannot_be_emptied(client, opened, evaluation):
    to_moderation(opened, evaluation)
    a = opened.bidders[0][2]
    client.force_login(opened.commissioner)
    response = client.post(base(opened) + "moderation/", _sheet(opened, a, {1: ("3", "Agreed"), 2: ("", "")}))
    assert response.status_code == 302
    assert list(ModeratedScore.objects.values_list("question__number", flat=True)) == [1]
    body = client.post(base(opened) + "moderation/", _sheet(opened, a, {1: ("", "")})).content.decode()
    assert "Question 1: choose the consensus score" in body
    assert ModeratedScore.objects.get().score == 3


def test_a_sheet_for_a_bid_not_in_the_evaluation_or_by_someone_else_is_refused(client, opened, evaluation):
    to_moderation(opened, evaluation)
    a = opened.bidders[0][2]
    client.force_login(opened.commissioner)
    assert client.post(base(opened) + "moderation/", {"sheet": "0"}).status_code == 404
    assert client.post(base(opened) + "moderation/", {"sheet": "x"}).status_code == 404
    client.force_login(opened.evaluator())
    assert client.post(base(opened) + "moderation/", _sheet(opened, a, {1: ("3", "Agreed")})).status_code == 404
    assert not ModeratedScore.objects.exists()


def test_the_sheet_service_is_all_or_nothing(opened, evaluation):
    to_moderation(opened, evaluation)
    a = opened.bidders[0][2]
    one, two = opened.opportunity.questions.all()[:2]
    with pytest.raises(services.EvaluationError) as refused:
        services.moderation_sheet_save(
            actor=opened.commissioner, evaluation=evaluation, submission=a, answers={one: (3, "Fine"), two: (7, "")}
        )
    assert set(refused.value.errors) == {f"{two.pk}-score"}
    assert not ModeratedScore.objects.exists()
    with pytest.raises(services.EvaluationError):
        services.moderation_sheet_save(
            actor=opened.evaluator(), evaluation=evaluation, submission=a, answers={one: (3, "Fine")}
        )


def test_moderation_is_closed_while_scoring_and_shows_no_score(client, opened, evaluation):
    first = appoint(opened, evaluation)
    second = declare_none(appoint(opened, evaluation))
    score_everything(evaluation, first, lambda s, q: 1)
    services.score_save(
        actor=second.user,
        panelist=second,
        submission=opened.bidders[0][2],
        question=opened.opportunity.questions.first(),
        score=2,
        justification="A draft only I should see",
    )
    client.force_login(opened.commissioner)
    body = page(client, base(opened) + "moderation/")
    assert "Moderation starts when every evaluator has submitted their scores" in body
    assert f"Waiting for scores from: {second.user.full_name}" in text_of(body)
    assert 'name="sheet"' not in body
    assert "A draft only I should see" not in body and "Clear, evidenced answer" not in body
    a = opened.bidders[0][2]
    response = client.post(base(opened) + "moderation/", {"sheet": str(a.pk)})
    assert response.status_code == 302 and not ModeratedScore.objects.exists()


# Prices and results ---------------------------------------------------------------------------


def test_an_abnormally_low_price_is_flagged_and_its_clarification_recorded(client):
    made = opened_tender(prices=(Decimal("39000.00"), Decimal("39500.00"), Decimal("28500.00")))
    evaluation = services.evaluation_start(actor=made.commissioner, opportunity=made.opportunity)
    low = made.bidders[2][2]
    client.force_login(made.commissioner)
    body = page(client, base(made) + "prices/")
    assert body.count('govuk-tag--red">\n  Abnormally low\n') == 2  # one tag for each lot
    assert "Clarifications are recorded at moderation" in body
    to_moderation(made, evaluation)
    body = page(client, base(made) + "prices/")
    lot = made.opportunity.lots.get(number=1)
    prefix = f"c-{low.pk}-{lot.pk}"
    assert f"Clarify {low.organisation.name}" in body and f'name="{prefix}-note"' in body
    response = client.post(base(made) + "prices/", {"row": f"{low.pk}-{lot.pk}", f"{prefix}-accepted": "no"})
    body = response.content.decode()
    assert "Record what the bidder said about its price" in body
    response = client.post(
        base(made) + "prices/",
        {
            "row": f"{low.pk}-{lot.pk}",
            f"{prefix}-note": "Volunteers cover the evenings",
            f"{prefix}-accepted": "yes",
        },
    )
    assert response.status_code == 302
    clarification = PriceClarification.objects.get()
    assert clarification.accepted and clarification.note == "Volunteers cover the evenings"
    assert "Price stands" in page(client, base(made) + "prices/")
    # A price that is not flagged cannot be "clarified".
    fair = made.bidders[0][2]
    assert client.post(base(made) + "prices/", {"row": f"{fair.pk}-{lot.pk}"}).status_code == 404


def test_results_show_every_component_and_the_ranking(client, opened, evaluation, django_assert_max_num_queries):
    client.force_login(opened.commissioner)
    to_moderation(opened, evaluation)
    body = page(client, base(opened) + "results/")
    assert "cannot be scored until every answer is moderated" in body
    a, b, c = (s for _, _, s in opened.bidders)
    moderate_everything(evaluation, opened.commissioner, lambda s, q: {a.pk: 4, b.pk: 3, c.pk: 2}[s.pk])
    with django_assert_max_num_queries(12):
        response = client.get(base(opened) + "results/")
    body = text_of(response.content.decode())
    assert "Lot 1: Lot 1, ranked" in body and "Lot 2: Lot 2, ranked" in body
    assert "Q1 (30%)" in body and "Q3 (10%)" in body and "Price points (30%)" in body
    # A: 30 + 30 + 10 quality and social value, and 29,000 / 30,000 of the price weight.
    assert f"1 {a.organisation.name} £30,000 30.00 30.00 10.00 60.00 10.00 29.00 99.00" in body
    assert f"3 {c.organisation.name} £29,000 15.00 15.00 5.00 30.00 5.00 30.00 65.00" in body


# Recommendation, approval, award and standstill ---------------------------------------------------


def test_the_recommender_cannot_approve_and_is_told_so_plainly(client, opened, evaluation):
    moderated(opened, evaluation)
    client.force_login(opened.commissioner)
    response = client.post(base(opened) + "recommendation/", {"note": ""})
    assert "Summarise the recommendation" in response.content.decode()
    response = client.post(base(opened) + "recommendation/", {"note": "The first-ranked bid wins each lot"})
    assert response.status_code == 302 and response["Location"] == base(opened) + "approval/"
    body = page(client, base(opened) + "approval/")
    assert "You made this recommendation, so you cannot approve it" in body
    assert "Approve the recommendation</button>" not in body
    assert opened.bidders[0][1].name in body and "Successful" in body
    response = client.post(base(opened) + "approval/")
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "must be approved by a different commissioner" in body
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.RECOMMENDED

    client.force_login(opened.second_commissioner)
    assert "Approve the recommendation" in page(client, base(opened) + "approval/")
    response = client.post(base(opened) + "approval/")
    assert response.status_code == 302 and response["Location"] == base(opened) + "award/"
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.APPROVED and evaluation.approved_by == opened.second_commissioner


def test_a_recommendation_can_be_sent_back_with_a_reason(client, opened, evaluation):
    moderated(opened, evaluation)
    services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="A wins")
    client.force_login(opened.second_commissioner)
    response = client.post(base(opened) + "send-back/", {"reason": ""})
    assert "Say why the recommendation goes back" in response.content.decode()
    response = client.post(base(opened) + "send-back/", {"reason": "Look at question 2 again"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.MODERATION and not evaluation.decisions.exists()
    assert "Look at question 2 again" in page(client, base(opened))
    assert "There is no recommendation to send back" in page(client, base(opened) + "send-back/")


def test_level_bids_need_a_choice_on_the_recommendation_page(client):
    made = opened_tender(prices=(Decimal("30000.00"), Decimal("30000.00"), Decimal("29000.00")))
    evaluation = services.evaluation_start(actor=made.commissioner, opportunity=made.opportunity)
    a, b, c = (s for _, _, s in made.bidders)
    to_moderation(made, evaluation)
    moderate_everything(evaluation, made.commissioner, lambda s, q: {a.pk: 3, b.pk: 3, c.pk: 1}[s.pk])
    client.force_login(made.commissioner)
    body = page(client, base(made) + "recommendation/")
    assert "bids level at the top" in body and "Tied" in body
    lots = list(made.opportunity.lots.all())
    response = client.post(base(made) + "recommendation/", {"note": "Level bids"})
    body = response.content.decode()
    assert "Lot 1: choose one of the level bids" in body and "Level bids" in body
    response = client.post(
        base(made) + "recommendation/",
        {"note": "B for its local volunteers", **{f"tie-{lot.pk}": str(b.pk) for lot in lots}},
    )
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.decisions.get(submission=b, lot=lots[0]).outcome == "awarded"


def test_a_grant_round_decides_each_application(client):
    made = opened_tender(prices=(Decimal("9000.00"), Decimal("8000.00")), kind="grant", lots=1)
    evaluation = services.evaluation_start(actor=made.commissioner, opportunity=made.opportunity)
    a, b = (s for _, _, s in made.bidders)
    to_moderation(made, evaluation)
    moderate_everything(evaluation, made.commissioner, lambda s, q: {a.pk: 4, b.pk: 2}[s.pk])
    lot = made.opportunity.lots.get()
    client.force_login(made.commissioner)
    body = page(client, base(made) + "recommendation/")
    assert "Approve" in body and "Decline" in body and "Asked for £9,000" in body
    response = client.post(
        base(made) + "recommendation/",
        {
            "note": "Fund the stronger application",
            f"decision-{a.pk}-{lot.pk}": "approve",
            f"amount-{a.pk}-{lot.pk}": "9500",
            f"reason-{a.pk}-{lot.pk}": "Strong plan",
            f"decision-{b.pk}-{lot.pk}": "decline",
            f"reason-{b.pk}-{lot.pk}": "",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert f"give the reason for {b.organisation.name}" in body
    assert 'value="9500"' in body and "Strong plan" in body
    response = client.post(
        base(made) + "recommendation/",
        {
            "note": "Fund the stronger application",
            f"decision-{a.pk}-{lot.pk}": "approve",
            f"amount-{a.pk}-{lot.pk}": "9500",
            f"reason-{a.pk}-{lot.pk}": "Strong plan",
            f"decision-{b.pk}-{lot.pk}": "decline",
            f"reason-{b.pk}-{lot.pk}": "Little evidence of need",
        },
    )
    assert "asked for less than that" in response.content.decode()
    response = client.post(
        base(made) + "recommendation/",
        {
            "note": "Fund the stronger application",
            f"decision-{a.pk}-{lot.pk}": "approve",
            f"amount-{a.pk}-{lot.pk}": "8500",
            f"reason-{a.pk}-{lot.pk}": "Strong plan",
            f"decision-{b.pk}-{lot.pk}": "decline",
            f"reason-{b.pk}-{lot.pk}": "Little evidence of need",
        },
    )
    assert response.status_code == 302
    decisions = {d.submission_id: d for d in evaluation.decisions.all()}
    assert decisions[a.pk].amount == Decimal("8500.00") and decisions[b.pk].outcome == "unsuccessful"


def test_the_award_below_threshold_takes_a_voluntary_standstill_and_counts_it_down(client, opened, evaluation):
    moderated(opened, evaluation)
    services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="A wins")
    client.force_login(opened.commissioner)
    assert "The award decision is made once a second commissioner has approved" in page(client, base(opened) + "award/")
    services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)
    body = page(client, base(opened) + "award/")
    assert "a standstill is voluntary" in body and 'name="standstill_days"' in body
    for wrong in ("31", "-1", "five"):
        response = client.post(base(opened) + "award/", {"standstill_days": wrong})
        body = response.content.decode()
        assert response.status_code == 200 and "There is a problem" in body and "0 to 30" in body
        assert f'value="{wrong}"' in body
    response = client.post(base(opened) + "award/", {"standstill_days": "5"})
    assert response.status_code == 302 and response["Location"] == base(opened) + "standstill/"
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.AWARDED and evaluation.standstill_days == 5
    body = text_of(page(client, base(opened) + "standstill/"))
    assert "The standstill has not started" in body and "5 working days beginning with the day" in body
    services.award_notice_record(actor=opened.commissioner, evaluation=evaluation, published_at=clock.now())
    body = text_of(page(client, base(opened) + "standstill/"))
    assert "The standstill is running" in body and "working days left after today" in body
    assert "The contract cannot be concluded until the standstill ends" in body
    assert "5 working days" in body


def test_the_award_under_another_regime_shows_the_fixed_standstill(client, opened, evaluation):
    Opportunity.objects.filter(pk=opened.opportunity.pk).update(regime="light_touch")
    moderated(opened, evaluation)
    services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="A wins")
    services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)
    client.force_login(opened.commissioner)
    body = text_of(page(client, base(opened) + "award/"))
    assert "the standstill is 8 working days" in body and 'name="standstill_days"' not in body
    response = client.post(base(opened) + "award/", {"standstill_days": "0"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.standstill_days == 8


def test_the_standstill_ends_and_the_contract_may_then_be_concluded(client, opened, evaluation):
    import time_machine

    moderated(opened, evaluation)
    services.evaluation_recommend(actor=opened.commissioner, evaluation=evaluation, note="A wins")
    services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)
    evaluation = services.evaluation_award(actor=opened.commissioner, evaluation=evaluation)
    evaluation = services.award_notice_record(
        actor=opened.commissioner, evaluation=evaluation, published_at=clock.now()
    )
    client.force_login(opened.commissioner)
    assert "Standstill" in page(client, base(opened) + "standstill/")
    with time_machine.travel(evaluation.standstill_ends, tick=False):
        client.force_login(opened.commissioner)
        body = page(client, base(opened) + "standstill/")
    assert "The standstill has ended" in body and "The contract may now be concluded" in body


# The scale --------------------------------------------------------------------------------------


def test_administrators_change_the_scale_and_the_change_is_audited(client, administrator):
    assert client.get("/administration/scoring-scale/").status_code == 302
    client.force_login(person_with_role(Role.COMMISSIONER))
    assert client.get("/administration/scoring-scale/").status_code == 404
    client.force_login(administrator)
    assert "/administration/scoring-scale/" in page(client, "/administration/")
    body = page(client, "/administration/scoring-scale/")
    assert "Label for a score of 4" in body and "Excellent" in body
    data = {}
    for level in ScaleLevel.objects.all():
        data[f"label-{level.score}"] = level.label
        data[f"descriptor-{level.score}"] = level.descriptor
    response = client.post("/administration/scoring-scale/", {**data, "label-2": "", "descriptor-2": "Kept as typed"})
    body = response.content.decode()
    assert response.status_code == 200 and "Enter a label for a score of 2" in body and "Kept as typed" in body
    assert ScaleLevel.objects.get(score=2).label == "Satisfactory"
    response = client.post("/administration/scoring-scale/", {**data, "label-2": "Adequate"})
    assert response.status_code == 302
    assert ScaleLevel.objects.get(score=2).label == "Adequate"
    event = AuditEvent.objects.get(verb="evaluation.scale_update")
    assert event.before["2"][0] == "Satisfactory" and event.after["2"][0] == "Adequate"
