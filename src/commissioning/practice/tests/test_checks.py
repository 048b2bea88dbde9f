from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from commissioning.practice import checks
from commissioning.practice.checks import CheckResult, evaluate, rule_setting, rule_status
from commissioning.practice.models import Rule

from .conftest import STAND_IN_MODEL, confirmed_explanation, write_explanation

pytestmark = pytest.mark.django_db


def test_a_check_for_an_unknown_rule_is_refused_at_registration():
    with pytest.raises(ImproperlyConfigured, match="no rule 'XX-9'"):
        checks.rule_check("XX-9", model=STAND_IN_MODEL)


def test_a_second_check_for_the_same_rule_and_model_is_refused(record):
    with pytest.raises(ImproperlyConfigured, match="already has a check"):

        @checks.rule_check("PR-5", model=STAND_IN_MODEL)
        def another(obj, settings):  # pragma: no cover - never called
            return CheckResult(True)


def test_rule_setting_is_typed():
    assert rule_setting("PR-5", "min_quality_weight") == 60
    assert rule_setting("PL-3", "lead_value_threshold") == Decimal("100000.00")
    assert isinstance(rule_setting("CM-5", "notice_months"), int)
    with pytest.raises(KeyError):
        rule_setting("PR-5", "max_quality_weight")


def test_rule_setting_reads_the_current_value():
    Rule.objects.filter(code="PR-5").update(settings={"min_quality_weight": 75})
    assert rule_setting("PR-5", "min_quality_weight") == 75


def test_a_missing_stored_key_reads_the_default():
    Rule.objects.filter(code="PR-5").update(settings={})
    assert rule_setting("PR-5", "min_quality_weight") == 60


def test_evaluate_runs_only_the_rules_that_guard_the_step_and_have_a_check(record, thing):
    record.quality[thing.pk] = 70
    record.social_value[thing.pk] = 10

    gate = evaluate(thing, "opportunity_publish")

    assert [item.rule.code for item in gate.items] == ["PR-4", "PR-5"]
    assert all(item.outcome == "met" for item in gate.items)
    assert gate.allowed
    assert gate.blocking == []
    assert evaluate(thing, "decommission").items == ()


def test_a_rule_that_is_not_met_blocks_the_gate(record, thing):
    record.quality[thing.pk] = 50
    record.social_value[thing.pk] = 10

    gate = evaluate(thing, "opportunity_publish")

    assert not gate.allowed
    assert [item.rule.code for item in gate.blocking] == ["PR-5"]
    assert "PR-5 Quality is given the greater weight: not met" in gate.message
    assert "below 60%" in gate.message


def test_the_check_reads_the_current_settings(record, thing):
    record.quality[thing.pk] = 50
    record.social_value[thing.pk] = 10
    Rule.objects.filter(code="PR-5").update(settings={"min_quality_weight": 50})

    assert evaluate(thing, "opportunity_publish").allowed


def test_a_confirmed_explanation_lets_an_unmet_rule_through(record, thing, commissioner, colleague):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 10
    outcome = confirmed_explanation(
        commissioner,
        thing,
        confirmer=colleague,
        reason="Specialist clinical service: price is fixed by the national tariff",
    )

    gate = evaluate(thing, "opportunity_publish")

    pr5 = next(item for item in gate.items if item.rule.code == "PR-5")
    assert pr5.outcome == "explained"
    assert pr5.explanation == outcome
    assert gate.allowed


def test_an_explanation_waiting_for_confirmation_does_not_let_the_rule_through(record, thing, commissioner, colleague):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 10
    write_explanation(commissioner, thing, confirmer=colleague)

    gate = evaluate(thing, "opportunity_publish")

    assert [item.rule.code for item in gate.blocking] == ["PR-5"]
    assert rule_status(thing, "PR-5").outcome == "not_met"


def test_an_explained_outcome_without_a_confirmed_explanation_does_not_count(record, thing, commissioner):
    from commissioning.core import clock
    from commissioning.practice.checks import model_key
    from commissioning.practice.models import RuleOutcome

    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 10
    # As recorded before confirmation was required: "agreed by" typed in, nobody confirmed it.
    RuleOutcome.objects.create(
        rule=Rule.objects.get(code="PR-5"),
        object_type=model_key(thing),
        object_id=str(thing.pk),
        outcome="explained",
        reason="Tariff",
        agreed_by="Head of commissioning",
        recorded_by=commissioner,
        recorded_at=clock.now(),
    )

    assert not evaluate(thing, "opportunity_publish").allowed


def test_an_explanation_for_another_object_does_not_count(record, thing, commissioner, colleague):
    from commissioning.accounts.tests.factories import CommissionerOrgFactory

    other = CommissionerOrgFactory()
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 10
    confirmed_explanation(commissioner, other, confirmer=colleague, reason="Tariff")

    assert not evaluate(thing, "opportunity_publish").allowed


def test_an_inactive_rule_is_not_checked(record, thing):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 10
    Rule.objects.filter(code="PR-5").update(active=False)

    gate = evaluate(thing, "opportunity_publish")

    assert [item.rule.code for item in gate.items] == ["PR-4"]
    assert gate.allowed


def test_an_unknown_step_is_refused(thing):
    with pytest.raises(ValueError, match="no step"):
        evaluate(thing, "opportunity_teleport")


def test_evaluate_makes_a_bounded_number_of_queries(record, thing, django_assert_max_num_queries):
    record.quality[thing.pk] = 70
    with django_assert_max_num_queries(2):
        evaluate(thing, "opportunity_publish")


def test_rule_status_checks_one_rule_without_a_step(record, thing):
    record.quality[thing.pk] = 65
    status = rule_status(thing, "PR-5")
    assert status.outcome == "met"
    assert status.detail == "quality is weighted 65%"
    assert rule_status(thing, "NA-1") is None


def test_a_stage_can_check_a_rule_at_another_step_than_the_one_it_guards(thing):
    # PR-11 guards issuing agreements; a tender's terms are checked for it when publishing.
    @checks.rule_check("PR-11", model=STAND_IN_MODEL, step="opportunity_publish")
    def compact_in_terms(obj, settings):
        return CheckResult(False, "The terms do not reference the Compact")

    try:
        assert [item.rule.code for item in evaluate(thing, "opportunity_publish").items] == ["PR-11"]
        assert evaluate(thing, "agreement_issue").items == ()
    finally:
        checks.rule_check_unregister("PR-11", model=STAND_IN_MODEL)


def test_a_check_at_an_unknown_step_is_refused():
    with pytest.raises(ImproperlyConfigured, match="no step"):
        checks.rule_check("PR-11", model=STAND_IN_MODEL, step="teleport")
