"""A check that cannot judge its object says what to correct, and blocks like a rule not met."""

import pytest

from commissioning.practice import checks
from commissioning.practice.checks import CANNOT_JUDGE, CheckResult, evaluate, rule_status
from commissioning.practice.models import RuleOutcome
from commissioning.practice.services import RuleGateClosed, gate_require

from .conftest import STAND_IN_MODEL, confirmed_explanation

pytestmark = pytest.mark.django_db


@pytest.fixture
def weights():
    """Register a PR-5 check for the stand-in object that reads weights from a dict, cannot judge without 100%."""
    given: dict[int, tuple[int, int]] = {}

    @checks.rule_check("PR-5", model=STAND_IN_MODEL)
    def quality_weight(obj, settings):
        quality, price = given.get(obj.pk, (0, 0))
        if quality + price != 100:
            return CheckResult.cannot_judge(f"The weights add up to {quality + price}%; they must add up to 100%")
        return CheckResult(quality >= settings["min_quality_weight"], f"Quality is weighted {quality}%")

    yield given
    checks.rule_check_unregister("PR-5", model=STAND_IN_MODEL)


def test_a_result_that_cannot_judge_is_never_met():
    assert CheckResult.cannot_judge("Set the deadline") == CheckResult(False, "Set the deadline", judged=False)
    with pytest.raises(ValueError):
        CheckResult(True, "Quality is weighted 120%", judged=False)


def test_weights_that_cannot_be_judged_block_the_gate_and_say_what_to_correct(weights, thing, commissioner):
    weights[thing.pk] = (120, 40)
    gate = evaluate(thing, "opportunity_publish")
    (item,) = gate.items
    assert item.outcome == CANNOT_JUDGE and item.outcome_label == "Cannot judge"
    assert not item.is_judged and item.is_blocking and not item.is_met
    assert not gate.allowed and gate.unjudged == [item]
    assert gate.message == (
        "Before publishing an opportunity, correct what the Code's checks cannot judge: PR-5 Quality is given the "
        "greater weight: cannot judge (The weights add up to 160%; they must add up to 100%)"
    )
    with pytest.raises(RuleGateClosed):
        gate_require(actor=commissioner, obj=thing, step="opportunity_publish")
    assert not RuleOutcome.objects.exists()


def test_an_explanation_does_not_let_an_unjudged_rule_through(weights, thing, commissioner, colleague):
    weights[thing.pk] = (0, 0)
    # Even one confirmed by a second person.
    confirmed_explanation(commissioner, thing, confirmer=colleague, reason="Price is fixed")
    status = rule_status(thing, "PR-5")
    assert status.outcome == CANNOT_JUDGE and status.explanation is None
    assert not evaluate(thing, "opportunity_publish").allowed


def test_once_corrected_the_rule_is_judged_again(weights, thing, commissioner):
    weights[thing.pk] = (70, 30)
    assert rule_status(thing, "PR-5").outcome == "met"
    weights[thing.pk] = (50, 50)
    gate = evaluate(thing, "opportunity_publish")
    assert gate.items[0].outcome == "not_met" and gate.unjudged == []
    assert gate.message.startswith("Before publishing an opportunity, meet or explain: PR-5")
