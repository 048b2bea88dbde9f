"""The demo opportunities: every state and kind, made through the services, loaded once however often it runs."""

import html
from decimal import Decimal

import pytest
from django.core.management import call_command
from markupsafe import escape  # the escaper the templates use

from commissioning.accounts.models import User
from commissioning.core import clock
from commissioning.opportunities.demo import COUNCIL, ICB, OPPORTUNITIES
from commissioning.opportunities.models import (
    AlertSubscription,
    Amendment,
    Clarification,
    EngagementEvent,
    EventRegistration,
    Interest,
    Lot,
    Opportunity,
    Question,
)
from commissioning.opportunities.workflow import publication_problems
from commissioning.practice.checks import evaluate
from commissioning.practice.models import Explanation, RuleOutcome

pytestmark = pytest.mark.django_db

MODELS = (
    Opportunity,
    Lot,
    Question,
    EngagementEvent,
    EventRegistration,
    Interest,
    Clarification,
    Amendment,
    AlertSubscription,
    RuleOutcome,
)


@pytest.fixture
def demo():
    call_command("load_demo_data", quiet=True)
    return {o.title: o for o in Opportunity.objects.all()}


def by_state(demo, state):
    return [o for o in demo.values() if o.display_status == state]


def test_loading_twice_makes_nothing_twice(demo):
    counts = {model.__name__: model.objects.count() for model in MODELS}
    call_command("load_demo_data", quiet=True)
    assert {model.__name__: model.objects.count() for model in MODELS} == counts
    # Later stages add opportunities of their own (awarded ones); these are this stage's.
    titles = {spec["title"] for spec in OPPORTUNITIES}
    assert Opportunity.objects.filter(title__in=titles).count() == len(OPPORTUNITIES) >= 10


def test_every_state_and_both_kinds_are_there(demo):
    assert {o.display_status for o in demo.values()} == {"draft", "open", "closed", "withdrawn", "cancelled"}
    assert len(by_state(demo, "draft")) == 2
    assert len(by_state(demo, "open")) >= 5
    assert {o.kind for o in demo.values()} == {"tender", "grant"}
    assert all(o.status_reason for o in demo.values() if o.status in ("withdrawn", "cancelled"))
    closed = by_state(demo, "closed")[0]
    assert closed.question_deadline < closed.submission_deadline <= clock.now()
    assert all(e.starts_at < closed.submission_deadline for e in closed.events.all())
    assert closed.published_at < closed.question_deadline


def test_lots_are_priced_as_their_kind_requires(demo):
    for opportunity in demo.values():
        if opportunity.status == "cancelled":
            continue
        lots = list(opportunity.lots.all())
        assert 1 <= len(lots) <= 3
        if opportunity.kind == "grant":
            assert opportunity.price_weight == 0
            assert all(lot.pricing == "max_award" and lot.max_award for lot in lots)
        else:
            assert all(lot.floor_price or lot.fixed_price for lot in lots)
    values = [o.total_value for o in demo.values()]
    assert min(values) == Decimal(8_000) and max(values) == Decimal(1_200_000)


def test_the_regimes_that_need_a_notice_have_one(demo):
    psr = demo["Crisis alternatives and peer support for adult mental health"]
    assert psr.regime == "psr" and psr.find_a_tender_reference
    assert psr.lead_commissioner.name == ICB
    light_touch = demo["Day opportunities for adults with learning disabilities"]
    assert light_touch.regime == "light_touch" and light_touch.find_a_tender_reference
    assert light_touch.total_value > Decimal("663540")
    assert {o.regime for o in demo.values() if o.kind == "grant"} == {"grant"}


def test_a_joint_commissioning_is_answered_by_either_body(demo):
    joint = [o for o in demo.values() if o.joint_commissioners.exists()]
    assert len(joint) == 1
    assert joint[0].lead_commissioner.name == COUNCIL
    assert [o.name for o in joint[0].joint_commissioners.all()] == [ICB]
    assert joint[0].clarifications.get().answered_by.email == "commissioner@wy-icb.example"


def test_providers_take_part_in_open_opportunities(demo):
    assert Clarification.objects.filter(published_at__isnull=False).count() >= 5
    waiting = Clarification.objects.get(published_at__isnull=True)
    assert waiting.answer == "" and waiting.opportunity.is_open
    # One was published in other words, because it said who asked.
    [reworded] = [c for c in Clarification.objects.filter(published_at__isnull=False) if c.wording_edited]
    assert "Armley Young Carers Project" in reworded.question
    assert "Armley" not in reworded.published_question
    assert EventRegistration.objects.filter(organisation__name="Armley Young Carers Project").exists()
    assert Interest.objects.filter(organisation__name="Leeds Mental Wellbeing Partnership").count() >= 4
    amendment = Amendment.objects.get()
    assert amendment.material and amendment.new_deadline == amendment.opportunity.submission_deadline
    subscriptions = AlertSubscription.objects.filter(active=True)
    assert {s.user.email for s in subscriptions} == {
        "admin@armley-carers.example",
        "admin@leeds-mental-wellbeing.example",
    }
    assert all(s.service_areas.exists() for s in subscriptions)


def test_explained_rules_show_how_the_opportunity_applies_the_code(client, demo):
    explained = RuleOutcome.objects.filter(outcome="explained", superseded_at__isnull=True, step="opportunity_publish")
    assert {o.rule.code for o in explained} == {"PR-3", "PL-3", "PL-2"}
    # The two with an options appraisal behind them meet PL-2; the council's others explain it.
    appraised = {
        "Crisis alternatives and peer support for adult mental health",
        "Young carers breaks and activities in west Leeds",
    }
    pl2 = RuleOutcome.objects.filter(rule__code="PL-2", superseded_at__isnull=True, step="opportunity_publish")
    assert {demo[title].pk for title in appraised} <= {int(o.object_id) for o in pl2 if o.outcome == "met"}
    assert all(o.outcome in ("met", "explained") for o in pl2)
    head = User.objects.get(email="head-of-commissioning@leeds-council.example")
    # Each was written by one commissioner and confirmed in the hub by a second, with their words.
    for outcome in explained:
        assert outcome.reason and outcome.counts_as_explained
        assert outcome.explanation.decided_by == head and outcome.explanation.written_by != head
        assert outcome.explanation.decision_note
    recovery = demo["Peer-led recovery community for drug and alcohol use"]
    page = html.unescape(client.get(f"/opportunities/{recovery.reference}/").content.decode())
    assert "How this opportunity applies the Code" in page
    assert f"confirmed by {head.full_name}, commissioner, {COUNCIL}" in page


def test_a_draft_shows_an_explanation_waiting_for_confirmation(client, demo):
    weighted_to_price = demo["Welfare rights and debt advice in community hubs"]
    [waiting] = Explanation.objects.filter(status="pending")
    assert waiting.object_id == str(weighted_to_price.pk) and waiting.rule.code == "PR-5"
    head = User.objects.get(email="head-of-commissioning@leeds-council.example")
    assert waiting.confirmer == head
    client.force_login(head)
    assert weighted_to_price.title in html.unescape(client.get("/explanations/").content.decode())


def test_published_ones_passed_the_gate_and_the_drafts_show_where_they_stand(demo):
    for opportunity in demo.values():
        if opportunity.published_at:
            assert RuleOutcome.objects.filter(
                object_id=str(opportunity.pk), step="opportunity_publish", superseded_at__isnull=True
            ).exists()
    for opportunity in by_state(demo, "open"):
        assert publication_problems(opportunity) == []
    complete = demo["Memory cafés and carers' groups in north-west Leeds"]
    assert publication_problems(complete) == [] and evaluate(complete, "opportunity_publish").allowed
    weighted_to_price = demo["Welfare rights and debt advice in community hubs"]
    assert publication_problems(weighted_to_price) == []
    assert [s.rule.code for s in evaluate(weighted_to_price, "opportunity_publish").blocking] == ["PR-5"]


def test_the_finder_lists_the_open_ones_and_no_draft(client, demo):
    page = client.get("/opportunities/").content.decode()
    for opportunity in demo.values():
        listed = escape(opportunity.title) in page
        assert listed == (opportunity.display_status == "open"), opportunity.title


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}


def test_what_the_demo_says_in_words_is_what_its_data_says(demo):
    import re

    counted = re.compile(r"\bhas (\w+) (?:short )?questions?\b")
    checked = 0
    for opportunity in Opportunity.objects.prefetch_related("questions"):
        texts = [opportunity.summary, opportunity.description]
        texts += [o.reason for o in RuleOutcome.objects.filter(object_id=str(opportunity.pk)) if o.reason]
        for text in texts:
            assert "{" not in text, (opportunity.title, text)
            for said in counted.findall(text):
                number = NUMBER_WORDS.get(said) or int(said)
                assert number == opportunity.questions.count(), (opportunity.title, text)
                checked += 1
    assert checked, "the demo states a number of questions somewhere"


def test_the_young_carers_round_was_started_from_its_approved_plan_which_it_advertised(demo):
    from commissioning.planning.models import Plan

    young_carers = demo["Young carers breaks and activities in west Leeds"]
    plan = Plan.objects.get(record=young_carers.record)
    assert plan.status == "advertised" and plan.published_at is not None
    assert plan.record.appraisal.chosen.kind == "grant" and plan.partners.count() == 3
