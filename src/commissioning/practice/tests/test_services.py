import pytest
from django.core.exceptions import PermissionDenied

from commissioning.audit.models import AuditEvent
from commissioning.practice.models import Rule, RuleOutcome
from commissioning.practice.selectors import (
    outcome_counts,
    rule_outcome_history_for,
    rule_outcomes_for,
)
from commissioning.practice.services import (
    ExplanationError,
    RuleGateClosed,
    SettingsError,
    gate_require,
    rule_active_set,
    rule_explain,
    rule_explanation_withdraw,
    rule_outcome_record,
    rule_settings_update,
)

pytestmark = pytest.mark.django_db

REASON = "Fixed national tariff: the price is not competed"


def _explain(actor, obj, code="PR-5", reason=REASON, agreed_by="Head of Commissioning"):
    return rule_explain(actor=actor, rule_code=code, obj=obj, reason=reason, agreed_by=agreed_by)


# Explaining


def test_a_commissioner_explains_a_rule_and_it_is_audited(thing, commissioner):
    outcome = _explain(commissioner, thing)

    assert outcome.outcome == "explained"
    assert outcome.object_type == "accounts.organisation"
    assert outcome.object_id == str(thing.pk)
    assert outcome.recorded_by == commissioner
    assert outcome.agreed_by == "Head of Commissioning"
    event = AuditEvent.objects.get(verb="rule.explain")
    assert event.object_id == str(thing.pk)
    assert event.reason == REASON
    assert event.after["rule"] == "PR-5"


def test_an_administrator_may_explain(thing, administrator):
    assert _explain(administrator, thing).outcome == "explained"


@pytest.mark.parametrize("who", ["provider_admin", "evaluator", "partnership_reviewer"])
def test_other_roles_may_not_explain(request, thing, who):
    with pytest.raises(PermissionDenied):
        _explain(request.getfixturevalue(who), thing)
    assert not RuleOutcome.objects.exists()


def test_an_anonymous_actor_may_not_explain(thing):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        _explain(AnonymousUser(), thing)


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_blank_reason_is_refused(thing, commissioner, reason):
    with pytest.raises(ExplanationError) as refused:
        _explain(commissioner, thing, reason=reason)
    assert refused.value.errors == {"reason": "Enter why this rule does not apply"}
    assert not RuleOutcome.objects.exists()
    assert not AuditEvent.objects.filter(verb="rule.explain").exists()


def test_who_agreed_is_required(thing, commissioner):
    with pytest.raises(ExplanationError) as refused:
        _explain(commissioner, thing, agreed_by=" ")
    assert "agreed_by" in refused.value.errors


def test_a_new_explanation_supersedes_the_previous_one(thing, commissioner):
    first = _explain(commissioner, thing, reason="First reason")
    second = _explain(commissioner, thing, reason="Second reason")

    first.refresh_from_db()
    assert first.superseded_at is not None
    assert first.reason == "First reason"
    assert rule_outcomes_for(obj=thing) == [second]
    assert len(rule_outcome_history_for(obj=thing, rule_code="PR-5")) == 2


def test_withdrawing_an_explanation_closes_the_gate_again(record, thing, commissioner):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 10
    explanation = _explain(commissioner, thing)

    withdrawn = rule_explanation_withdraw(actor=commissioner, rule_code="PR-5", obj=thing)

    assert withdrawn.pk == explanation.pk
    assert RuleOutcome.objects.get(pk=explanation.pk).superseded_at is not None
    assert rule_outcomes_for(obj=thing) == []
    assert AuditEvent.objects.filter(verb="rule.explanation_withdraw").count() == 1
    with pytest.raises(RuleGateClosed):
        gate_require(actor=commissioner, obj=thing, step="opportunity_publish")


def test_withdrawing_twice_is_harmless(thing, commissioner):
    _explain(commissioner, thing)
    rule_explanation_withdraw(actor=commissioner, rule_code="PR-5", obj=thing)
    assert rule_explanation_withdraw(actor=commissioner, rule_code="PR-5", obj=thing) is None
    assert AuditEvent.objects.filter(verb="rule.explanation_withdraw").count() == 1


def test_a_provider_may_not_withdraw_an_explanation(thing, commissioner, provider_admin):
    _explain(commissioner, thing)
    with pytest.raises(PermissionDenied):
        rule_explanation_withdraw(actor=provider_admin, rule_code="PR-5", obj=thing)


# The gate


def test_a_closed_gate_names_the_unmet_rules_and_records_nothing(record, thing, commissioner):
    record.quality[thing.pk] = 50
    record.social_value[thing.pk] = 5

    with pytest.raises(RuleGateClosed) as closed:
        gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    assert "PR-4 Social value is referenced and scored: not met" in str(closed.value)
    assert "PR-5 Quality is given the greater weight: not met" in str(closed.value)
    assert [item.rule.code for item in closed.value.gate.blocking] == ["PR-4", "PR-5"]
    assert not RuleOutcome.objects.exists()
    assert not AuditEvent.objects.filter(verb="rule.gate_pass").exists()


def test_an_open_gate_records_each_outcome_with_its_step(record, thing, commissioner):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    explanation = _explain(commissioner, thing)

    gate = gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    assert gate.allowed
    current = {o.rule.code: o for o in rule_outcomes_for(obj=thing)}
    assert set(current) == {"PR-4", "PR-5"}
    assert current["PR-4"].outcome == "met"
    assert current["PR-4"].detail == "social value 15%"
    assert current["PR-5"].outcome == "explained"
    assert current["PR-5"].reason == REASON
    assert current["PR-5"].agreed_by == "Head of Commissioning"
    assert {o.step for o in current.values()} == {"opportunity_publish"}
    assert all(o.recorded_by == commissioner for o in current.values())
    # The explanation given beforehand is kept as history.
    assert RuleOutcome.objects.get(pk=explanation.pk).superseded_at is not None
    event = AuditEvent.objects.get(verb="rule.gate_pass")
    assert event.after == {
        "step": "opportunity_publish",
        "outcomes": {"PR-4": "met", "PR-5": "explained"},
    }


def test_the_explanation_still_stands_after_the_gate_records_it(record, thing, commissioner):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    _explain(commissioner, thing)
    gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    again = gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    assert again.allowed


def test_the_review_counts_recorded_outcomes(record, thing, commissioner):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    _explain(commissioner, thing)
    gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    counts = outcome_counts()

    assert counts["PR-5"] == {"met": 0, "not_met": 0, "explained": 1}
    assert counts["PR-4"] == {"met": 1, "not_met": 0, "explained": 0}
    assert counts["RV-1"] == {"met": 0, "not_met": 0, "explained": 0}


def test_a_gate_with_no_checks_for_the_object_is_open_and_writes_nothing(thing, commissioner):
    gate = gate_require(actor=commissioner, obj=thing, step="decommission")
    assert gate.allowed and gate.items == ()
    assert not AuditEvent.objects.filter(verb="rule.gate_pass").exists()


def test_outcomes_of_rules_that_record_can_be_kept_by_the_system(thing):
    outcome = rule_outcome_record(actor=None, rule_code="PR-10", obj=thing, outcome="not_met", detail="late")
    assert outcome.recorded_by is None
    assert AuditEvent.objects.get(verb="rule.outcome_record").actor_label == "system"
    with pytest.raises(ValueError):
        rule_outcome_record(actor=None, rule_code="PR-10", obj=thing, outcome="explained")


# Settings


def test_an_administrator_changes_a_setting_and_it_is_audited(administrator):
    rule = rule_settings_update(actor=administrator, rule_code="PR-5", values={"min_quality_weight": "70"})

    assert rule.settings == {"min_quality_weight": 70}
    assert Rule.objects.get(code="PR-5").typed_settings == {"min_quality_weight": 70}
    event = AuditEvent.objects.get(verb="rule.settings_update")
    assert event.before == {"min_quality_weight": 60}
    assert event.after == {"min_quality_weight": 70}
    assert event.actor == administrator


def test_a_partial_update_keeps_the_other_values(administrator):
    rule_settings_update(actor=administrator, rule_code="PL-3", values={"lead_value_threshold": "£150,000"})
    assert Rule.objects.get(code="PL-3").settings == {
        "lead_days_below_threshold": 15,
        "lead_days_above_threshold": 25,
        "lead_value_threshold": "150000.00",
        "mobilisation_days": 20,
    }


def test_saving_the_same_values_writes_nothing(administrator):
    rule_settings_update(actor=administrator, rule_code="PR-5", values={"min_quality_weight": 60})
    assert not AuditEvent.objects.filter(verb="rule.settings_update").exists()


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        (
            {"min_quality_weight": "lots"},
            {"min_quality_weight": "Least weight given to quality must be a whole number"},
        ),
        (
            {"min_quality_weight": -5},
            {"min_quality_weight": "Least weight given to quality must be 0% or more"},
        ),
        (
            {"min_quality_weight": 120},
            {"min_quality_weight": "Least weight given to quality must be 100% or less"},
        ),
        (
            {"max_quality_weight": 10},
            {"max_quality_weight": "This rule has no setting with that name"},
        ),
    ],
)
def test_bad_settings_are_refused_per_key_and_nothing_changes(administrator, values, errors):
    with pytest.raises(SettingsError) as refused:
        rule_settings_update(actor=administrator, rule_code="PR-5", values=values)
    assert refused.value.errors == errors
    assert Rule.objects.get(code="PR-5").settings == {"min_quality_weight": 60}
    assert not AuditEvent.objects.filter(verb="rule.settings_update").exists()


def test_a_higher_band_may_not_have_a_lower_cap(administrator):
    with pytest.raises(SettingsError) as refused:
        rule_settings_update(actor=administrator, rule_code="PR-7", values={"max_questions_25k_100k": 4})
    assert set(refused.value.errors) == {"max_questions_25k_100k"}
    assert "at least 5 questions" in refused.value.errors["max_questions_25k_100k"]


def test_monitoring_tiers_stay_in_order(administrator):
    with pytest.raises(SettingsError) as refused:
        rule_settings_update(actor=administrator, rule_code="CM-1", values={"light_tier_up_to": "300000"})
    assert "standard_tier_up_to" in refused.value.errors


@pytest.mark.parametrize("who", ["commissioner", "provider_admin"])
def test_only_administrators_change_settings(request, who):
    with pytest.raises(PermissionDenied):
        rule_settings_update(actor=request.getfixturevalue(who), rule_code="PR-5", values={"min_quality_weight": 70})


def test_switching_a_rule_off_is_audited(administrator):
    rule_active_set(actor=administrator, rule_code="PR-2", active=False)
    assert Rule.objects.get(code="PR-2").active is False
    assert AuditEvent.objects.get(verb="rule.active_set").after == {"active": False}
