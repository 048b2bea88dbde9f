"""The Code check of a draft it cannot judge, and the rule that lots fit within the total value."""

import itertools
import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine

from commissioning.accounts import services as account_services
from commissioning.audit.transitions import TransitionError
from commissioning.core import clock
from commissioning.opportunities import services
from commissioning.opportunities.models import Lot, Opportunity
from commissioning.practice.checks import CANNOT_JUDGE, evaluate
from commissioning.practice.services import RuleGateClosed, gate_require

from .factories import commissioner_at, draft, explain, published

pytestmark = pytest.mark.django_db

STEP = "opportunity_publish"
LIST = "/api/v1/opportunities"
_tokens = itertools.count()


def bearer(user) -> dict:
    _, secret = account_services.api_token_create(actor=user, name=f"checks{next(_tokens)}")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method: str, path: str, body, **headers):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json", **headers)


def field_errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def standing(opportunity) -> dict[str, tuple[str, str]]:
    return {item.rule.code: (item.outcome, item.detail) for item in evaluate(opportunity, STEP).items}


def unjudged(opportunity) -> dict[str, str]:
    return {code: detail for code, (outcome, detail) in standing(opportunity).items() if outcome == CANNOT_JUDGE}


def set_fields(opportunity, **fields) -> Opportunity:
    # Stands in for a draft saved before these rules existed, or edited field by field.
    Opportunity.objects.filter(pk=opportunity.pk).update(**fields)
    return Opportunity.objects.get(pk=opportunity.pk)


# ---------------------------------------------------------------------------
# A check that cannot judge its input says what is wrong, never "met"


def test_a_complete_draft_is_judged_on_every_rule():
    assert unjudged(draft()) == {}


def test_weights_adding_up_to_160_percent_are_not_judged_met():
    commissioner = commissioner_at()
    opportunity = draft(
        commissioner,
        price_weight=Decimal(30),
        questions=[
            {"kind": "quality", "text": "Approach", "word_limit": 500, "weight": Decimal(60)},
            {"kind": "quality", "text": "Staffing", "word_limit": 500, "weight": Decimal(60)},
            {"kind": "social_value", "text": "Social value", "word_limit": 300, "weight": Decimal(10)},
        ],
    )
    problems = unjudged(opportunity)
    assert set(problems) == {"PR-4", "PR-5"}
    assert "The weights add up to 160%; they must add up to 100%" in problems["PR-5"]
    assert "120%" not in problems["PR-5"]
    gate = evaluate(opportunity, STEP)
    assert not gate.allowed
    assert "PR-5 Quality is given the greater weight: cannot judge (The weights add up to 160%" in gate.message
    assert "correct what the Code's checks cannot judge" in gate.message


def test_a_deadline_in_the_past_is_not_counted_as_negative_working_days():
    opportunity = set_fields(draft(), submission_deadline=clock.now() - timedelta(days=2000))
    problems = unjudged(opportunity)
    assert "has passed: set a deadline after publishing" in problems["PL-3"]
    assert "working days" not in problems["PL-3"]


def test_missing_dates_cannot_be_judged():
    no_deadline = set_fields(draft(), submission_deadline=None)
    problems = unjudged(no_deadline)
    assert problems["PL-3"] == "Set the submission deadline"
    assert problems["PR-2"].startswith("Set the submission deadline")

    # Award and start dates are optional: the time to bid is judged, and the detail says what was not counted.
    no_award = set_fields(draft(), expected_award=None)
    outcome, detail = standing(no_award)["PL-3"]
    assert outcome == "met" and "the time to mobilise is counted once the expected award" in detail


def test_dates_out_of_order_cannot_be_judged():
    opportunity = draft()
    deadline_day = clock.london(opportunity.submission_deadline).date()
    early_award = set_fields(opportunity, expected_award=deadline_day - timedelta(days=1))
    assert "is before the submission deadline" in unjudged(early_award)["PL-3"]
    early_start = set_fields(
        opportunity, expected_award=deadline_day + timedelta(days=30), service_start=deadline_day + timedelta(days=5)
    )
    assert "is before the expected award date" in unjudged(early_start)["PL-3"]


def test_a_tender_without_lots_or_questions_cannot_be_judged():
    commissioner = commissioner_at()
    opportunity = draft(commissioner, lots=0)
    problems = unjudged(opportunity)
    assert problems["PR-3"] == "Add at least one lot" and problems["PR-6"] == "Add at least one lot"

    for question in list(opportunity.questions.all()):
        services.question_delete(actor=commissioner, question=question)
    problems = unjudged(opportunity)
    assert problems["PR-7"] == "Add at least one question"
    assert "The weights add up to 30%" in problems["PR-5"]


def test_lots_worth_more_than_the_total_leave_the_value_bands_unjudged():
    opportunity = draft(value=Decimal(80_000), lots=2)
    Lot.objects.filter(opportunity=opportunity).update(value=Decimal(60_000))
    problems = unjudged(opportunity)
    expected = "The lots add up to £120,000, more than the opportunity's total value of £80,000"
    for code in ("PL-3", "PR-3", "PR-7"):
        assert problems[code].startswith(expected)


def test_an_explanation_does_not_stand_in_for_a_check_that_cannot_judge():
    commissioner = commissioner_at()
    opportunity = set_fields(draft(commissioner), submission_deadline=clock.now() - timedelta(hours=1))
    explain(commissioner, opportunity, "PL-3", reason="The deadline was agreed with the market")
    pl3 = next(item for item in evaluate(opportunity, STEP).items if item.rule.code == "PL-3")
    assert pl3.outcome == CANNOT_JUDGE and pl3.explanation is None and pl3.is_blocking
    with pytest.raises((RuleGateClosed, TransitionError)):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    with pytest.raises(RuleGateClosed, match="PL-3 .*: cannot judge"):
        gate_require(actor=commissioner, obj=opportunity, step=STEP)
    opportunity.refresh_from_db()
    assert opportunity.status == "draft"


def test_a_published_opportunity_counts_its_lead_time_from_publishing_not_from_today():
    opportunity = published()
    with time_machine.travel(opportunity.submission_deadline + timedelta(days=60)):
        pl3 = standing(Opportunity.objects.get(pk=opportunity.pk))["PL-3"]
    assert pl3[0] == "met" and pl3[1].startswith("30 working days to bid")


def test_the_check_page_says_what_to_correct_and_offers_no_explanation(client):
    commissioner = commissioner_at()
    opportunity = set_fields(draft(commissioner), submission_deadline=clock.now() - timedelta(days=1))
    client.force_login(commissioner)
    page = client.get(f"/commissioning/opportunities/{opportunity.reference}/check/").content.decode()
    assert "Cannot judge" in page and "Correct this first: The submission deadline" in page
    assert "?explain=PL-3" not in page
    assert "working days from publishing" not in page


def test_the_api_check_answers_cannot_judge(client):
    commissioner = commissioner_at()
    opportunity = set_fields(draft(commissioner), submission_deadline=None)
    body = client.get(f"{LIST}/{opportunity.reference}/check", **bearer(commissioner)).json()
    rules = {rule["code"]: rule for rule in body["rules"]}
    assert rules["PL-3"]["outcome"] == "cannot_judge" and rules["PL-3"]["detail"] == "Set the submission deadline"
    assert body["ready"] is False


# ---------------------------------------------------------------------------
# The lots cannot be worth more than the opportunity's total value


def test_lots_up_to_the_total_value_are_accepted():
    commissioner = commissioner_at()
    opportunity = draft(commissioner, value=Decimal(80_000), lots=1)  # one lot of £80,000
    lot = opportunity.lots.get()
    services.lot_save(
        actor=commissioner, opportunity=opportunity, lot=lot, data={"value": Decimal(80_000)}, ward_codes=[]
    )
    assert opportunity.lots.get().value == Decimal(80_000)


def test_a_lot_taking_the_lots_over_the_total_is_refused_with_the_figures():
    commissioner = commissioner_at()
    opportunity = draft(commissioner, value=Decimal(80_000), lots=1)
    services.lot_save(
        actor=commissioner,
        opportunity=opportunity,
        lot=opportunity.lots.get(),
        data={"value": Decimal(50_000)},
        ward_codes=[],
    )
    lot = {"title": "Lot 2", "value": Decimal(40_000), "pricing": "floor", "floor_price": Decimal(1000)}
    with pytest.raises(services.OpportunityError) as refused:
        services.lot_save(actor=commissioner, opportunity=opportunity, data=lot, ward_codes=[])
    assert refused.value.errors == {
        "value": [
            "Enter a value of £30,000 or less: the lots cannot add up to more than the opportunity's total value "
            "of £80,000, and the other lots are worth £50,000"
        ]
    }
    assert opportunity.lots.count() == 1


def test_one_lot_worth_more_than_the_total_is_refused_and_the_lot_keeps_its_value():
    commissioner = commissioner_at()
    opportunity = draft(commissioner, value=Decimal(80_000), lots=1)
    lot = opportunity.lots.get()
    with pytest.raises(services.OpportunityError, match="Enter a value of £80,000 or less"):
        services.lot_save(
            actor=commissioner, opportunity=opportunity, lot=lot, data={"value": Decimal(90_000)}, ward_codes=[]
        )
    assert opportunity.lots.get().value == Decimal(80_000)


def test_the_total_value_cannot_fall_below_what_the_lots_add_up_to():
    commissioner = commissioner_at()
    opportunity = draft(commissioner, value=Decimal(80_000), lots=2)  # two lots of £40,000
    with pytest.raises(services.OpportunityError) as refused:
        services.opportunity_update(
            actor=commissioner, opportunity=opportunity, data={"total_value": Decimal(50_000)}, ward_codes=[]
        )
    assert refused.value.errors == {
        "total_value": ["Enter a total value of at least £80,000: that is what the lots add up to"]
    }
    opportunity.refresh_from_db()
    assert opportunity.total_value == Decimal(80_000)
    services.opportunity_update(
        actor=commissioner, opportunity=opportunity, data={"total_value": Decimal(80_000.01)}, ward_codes=[]
    )


def test_the_lot_page_refuses_a_lot_worth_more_than_the_total(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, value=Decimal(80_000), lots=2)
    client.force_login(commissioner)
    response = client.post(
        f"/commissioning/opportunities/{opportunity.reference}/lots/new/",
        {"title": "Lot 3", "value": "5000", "pricing": "floor", "floor_price": "1000", "city_wide": "on"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "The other lots already add up to £80,000" in page and "whole total value of £80,000" in page
    assert 'href="#id_value"' in page
    assert opportunity.lots.count() == 2


def test_the_api_refuses_a_lot_or_a_total_that_do_not_fit(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, value=Decimal(80_000), lots=1)
    path = f"{LIST}/{opportunity.reference}"
    headers = bearer(commissioner)
    lot = {"title": "Lot 2", "value": "1", "pricing": "floor", "floor_price": "1"}
    errors = field_errors(send(client, "post", f"{path}/lots", lot, **headers))
    assert errors["value"].startswith("The other lots already add up to £80,000")
    errors = field_errors(send(client, "patch", path, {"total_value": "79999.99"}, **headers))
    assert errors["total_value"] == "Enter a total value of at least £80,000: that is what the lots add up to"
    assert opportunity.lots.count() == 1
