import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.practice import checks
from commissioning.practice.checks import CheckResult
from commissioning.practice.models import Explanation, Rule, RuleOutcome
from commissioning.practice.permissions import confirmers_for
from commissioning.practice.selectors import (
    explanations_pending_for,
    outcome_counts,
    rule_outcomes_for,
)
from commissioning.practice.services import (
    ExplanationError,
    RuleGateClosed,
    SettingsError,
    explanation_confirm,
    explanation_decline,
    gate_require,
    rule_active_set,
    rule_explain,
    rule_explanation_withdraw,
    rule_outcome_record,
    rule_outcome_refresh,
    rule_settings_update,
)

from .conftest import STAND_IN_MODEL, body_of, confirmed_explanation, write_explanation

pytestmark = pytest.mark.django_db

REASON = "Fixed national tariff: the price is not competed"


def _explain(actor, obj, *, confirmer, code="PR-5", reason=REASON):
    return write_explanation(actor, obj, confirmer=confirmer, code=code, reason=reason)


def _explained(actor, obj, *, confirmer, code="PR-5", reason=REASON):
    return confirmed_explanation(actor, obj, confirmer=confirmer, code=code, reason=reason)


# Explaining


def test_a_commissioner_explains_a_rule_and_it_waits_for_the_confirmer(
    thing, commissioner, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        explanation = _explain(commissioner, thing, confirmer=colleague)

    assert explanation.status == "pending"
    assert explanation.object_type == "accounts.organisation"
    assert explanation.object_id == str(thing.pk)
    assert explanation.written_by == commissioner and explanation.confirmer == colleague
    assert explanation.body == body_of(commissioner)
    # Not an outcome yet: the rule does not count as explained.
    assert not RuleOutcome.objects.exists()
    event = AuditEvent.objects.get(verb="rule.explain")
    assert event.object_id == str(thing.pk)
    assert event.reason == REASON
    assert event.after["rule"] == "PR-5" and event.after["confirmer"] == colleague.pk
    [task] = mail.outbox
    assert task.to == [colleague.email]
    assert f"/explanations/{explanation.pk}/" in task.body and REASON in task.body


def test_an_administrator_may_explain_and_an_administrator_may_confirm(thing, administrator, commissioner):
    another = person_with_role(Role.ADMINISTRATOR)
    assert _explain(administrator, thing, confirmer=another).status == "pending"


@pytest.mark.parametrize("who", ["provider_admin", "evaluator", "partnership_reviewer"])
def test_other_roles_may_not_explain(request, thing, who, colleague):
    with pytest.raises(PermissionDenied):
        _explain(request.getfixturevalue(who), thing, confirmer=colleague)
    assert not Explanation.objects.exists()


def test_an_anonymous_actor_may_not_explain(thing, colleague):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        rule_explain(actor=AnonymousUser(), rule_code="PR-5", obj=thing, body=thing, reason=REASON, confirmer=colleague)


def test_a_commissioner_may_not_explain_for_another_body(thing, commissioner, colleague):
    with pytest.raises(PermissionDenied):
        rule_explain(
            actor=commissioner,
            rule_code="PR-5",
            obj=thing,
            body=CommissionerOrgFactory(),
            reason=REASON,
            confirmer=colleague,
        )
    assert not Explanation.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_blank_reason_is_refused(thing, commissioner, colleague, reason):
    with pytest.raises(ExplanationError) as refused:
        _explain(commissioner, thing, confirmer=colleague, reason=reason)
    assert refused.value.errors == {"reason": "Enter why this rule does not apply"}
    assert not Explanation.objects.exists()
    assert not AuditEvent.objects.filter(verb="rule.explain").exists()


def test_a_confirmer_is_required(thing, commissioner):
    with pytest.raises(ExplanationError) as refused:
        _explain(commissioner, thing, confirmer=None)
    assert refused.value.errors == {"confirmer": "Choose who will confirm the explanation"}


def test_the_writer_cannot_name_themselves_to_confirm(thing, commissioner):
    with pytest.raises(ExplanationError) as refused:
        _explain(commissioner, thing, confirmer=commissioner)
    assert "you cannot confirm your own" in refused.value.errors["confirmer"]
    assert not Explanation.objects.exists()


@pytest.mark.parametrize("who", ["other_body", "evaluator_here", "provider_admin"])
def test_the_confirmer_must_be_a_commissioner_of_the_same_body_or_an_administrator(request, thing, commissioner, who):
    confirmer = {
        "other_body": lambda: person_with_role(Role.COMMISSIONER),
        "evaluator_here": lambda: person_with_role(Role.EVALUATOR, body_of(commissioner)),
        "provider_admin": lambda: request.getfixturevalue("provider_admin"),
    }[who]()
    with pytest.raises(ExplanationError) as refused:
        _explain(commissioner, thing, confirmer=confirmer)
    assert "another commissioner of the same commissioning body" in refused.value.errors["confirmer"]
    assert not Explanation.objects.exists()


def test_a_new_explanation_replaces_the_one_waiting(thing, commissioner, colleague):
    first = _explain(commissioner, thing, confirmer=colleague, reason="First reason")
    second = _explain(commissioner, thing, confirmer=colleague, reason="Second reason")

    first.refresh_from_db()
    assert first.status == "withdrawn" and first.reason == "First reason"
    assert list(explanations_pending_for(obj=thing)) == [second]
    with pytest.raises(ExplanationError):
        explanation_confirm(actor=colleague, explanation=first)


# Confirming and declining


def test_the_confirmer_confirms_and_the_rule_counts_as_explained(
    record, thing, commissioner, colleague, django_capture_on_commit_callbacks
):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    explanation = _explain(commissioner, thing, confirmer=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = explanation_confirm(actor=colleague, explanation=explanation, words="  I checked the tariff  ")

    explanation.refresh_from_db()
    assert explanation.status == "confirmed"
    assert explanation.decided_by == colleague and explanation.decided_at is not None
    assert explanation.decision_note == "I checked the tariff"
    assert outcome.outcome == "explained" and outcome.explanation == explanation and outcome.reason == REASON
    assert outcome.agreed_by == f"{colleague.full_name}, commissioner, {body_of(commissioner).name}"
    assert rule_outcomes_for(obj=thing) == [outcome]
    event = AuditEvent.objects.get(verb="rule.explanation_confirm")
    assert event.actor == colleague and event.after["decided_by"] == colleague.pk
    assert [m.to for m in mail.outbox] == [[commissioner.email]]
    assert gate_require(actor=commissioner, obj=thing, step="opportunity_publish").allowed


def test_the_writer_cannot_confirm_their_own_explanation(thing, commissioner, administrator):
    explanation = _explain(commissioner, thing, confirmer=administrator)
    with pytest.raises(PermissionDenied):
        explanation_confirm(actor=commissioner, explanation=explanation)
    explanation.refresh_from_db()
    assert explanation.status == "pending" and not RuleOutcome.objects.exists()


@pytest.mark.parametrize("who", ["another_colleague", "administrator", "commissioner_elsewhere", "provider_admin"])
def test_only_the_named_confirmer_may_confirm(request, thing, commissioner, colleague, who):
    explanation = _explain(commissioner, thing, confirmer=colleague)
    someone = {
        "another_colleague": lambda: person_with_role(Role.COMMISSIONER, body_of(commissioner)),
        "administrator": lambda: request.getfixturevalue("administrator"),
        "commissioner_elsewhere": lambda: person_with_role(Role.COMMISSIONER),
        "provider_admin": lambda: request.getfixturevalue("provider_admin"),
    }[who]()
    with pytest.raises(PermissionDenied):
        explanation_confirm(actor=someone, explanation=explanation)
    with pytest.raises(PermissionDenied):
        explanation_decline(actor=someone, explanation=explanation, reason="No")
    explanation.refresh_from_db()
    assert explanation.status == "pending"
    assert not AuditEvent.objects.filter(verb__in=["rule.explanation_confirm", "rule.explanation_decline"]).exists()


def test_a_confirmer_who_has_left_the_body_may_not_confirm(thing, commissioner, colleague):
    explanation = _explain(commissioner, thing, confirmer=colleague)
    colleague.memberships.all().delete()
    colleague = type(colleague).objects.get(pk=colleague.pk)
    with pytest.raises(PermissionDenied):
        explanation_confirm(actor=colleague, explanation=explanation)


def test_confirming_twice_changes_nothing(thing, commissioner, colleague):
    explanation = _explain(commissioner, thing, confirmer=colleague)
    first = explanation_confirm(actor=colleague, explanation=explanation)

    with pytest.raises(ExplanationError) as refused:
        explanation_confirm(actor=colleague, explanation=explanation)

    assert refused.value.errors == {"": "This explanation has already been confirmed"}
    assert rule_outcomes_for(obj=thing) == [first]
    assert AuditEvent.objects.filter(verb="rule.explanation_confirm").count() == 1


def test_the_confirmer_declines_with_a_reason_and_the_rule_stays_not_met(
    record, thing, commissioner, colleague, django_capture_on_commit_callbacks
):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    explanation = _explain(commissioner, thing, confirmer=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        declined = explanation_decline(actor=colleague, explanation=explanation, reason="The tariff does not apply")

    assert declined.status == "declined" and declined.decision_note == "The tariff does not apply"
    assert not RuleOutcome.objects.exists()
    assert AuditEvent.objects.get(verb="rule.explanation_decline").reason == "The tariff does not apply"
    [told] = mail.outbox
    assert told.to == [commissioner.email] and "The tariff does not apply" in told.body
    with pytest.raises(RuleGateClosed):
        gate_require(actor=commissioner, obj=thing, step="opportunity_publish")
    with pytest.raises(ExplanationError):
        explanation_confirm(actor=colleague, explanation=explanation)


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_declining_needs_a_reason(thing, commissioner, colleague, reason):
    explanation = _explain(commissioner, thing, confirmer=colleague)
    with pytest.raises(ExplanationError) as refused:
        explanation_decline(actor=colleague, explanation=explanation, reason=reason)
    assert refused.value.errors == {"reason": "Enter why you are declining the explanation"}
    explanation.refresh_from_db()
    assert explanation.status == "pending"


def test_the_confirmers_offered_are_the_people_who_may_confirm(commissioner, colleague, administrator):
    person_with_role(Role.EVALUATOR, body_of(commissioner))
    person_with_role(Role.COMMISSIONER)
    inactive = person_with_role(Role.COMMISSIONER, body_of(commissioner))
    inactive.is_active = False
    inactive.save()

    offered = set(confirmers_for(body=body_of(commissioner), author=commissioner))

    assert offered == {colleague, administrator}


# Withdrawing


def test_withdrawing_an_explanation_closes_the_gate_again(record, thing, commissioner, colleague):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 10
    explained = _explained(commissioner, thing, confirmer=colleague)

    withdrawn = rule_explanation_withdraw(actor=commissioner, rule_code="PR-5", obj=thing)

    assert withdrawn.pk == explained.pk
    assert RuleOutcome.objects.get(pk=explained.pk).superseded_at is not None
    assert rule_outcomes_for(obj=thing) == []
    assert AuditEvent.objects.filter(verb="rule.explanation_withdraw").count() == 1
    with pytest.raises(RuleGateClosed):
        gate_require(actor=commissioner, obj=thing, step="opportunity_publish")


def test_withdrawing_a_waiting_explanation_means_it_can_no_longer_be_confirmed(thing, commissioner, colleague):
    explanation = _explain(commissioner, thing, confirmer=colleague)

    assert rule_explanation_withdraw(actor=commissioner, rule_code="PR-5", obj=thing).pk == explanation.pk

    with pytest.raises(ExplanationError):
        explanation_confirm(actor=colleague, explanation=explanation)


def test_withdrawing_twice_is_harmless(thing, commissioner, colleague):
    _explained(commissioner, thing, confirmer=colleague)
    rule_explanation_withdraw(actor=commissioner, rule_code="PR-5", obj=thing)
    assert rule_explanation_withdraw(actor=commissioner, rule_code="PR-5", obj=thing) is None
    assert AuditEvent.objects.filter(verb="rule.explanation_withdraw").count() == 1


def test_a_provider_may_not_withdraw_an_explanation(thing, commissioner, colleague, provider_admin):
    _explained(commissioner, thing, confirmer=colleague)
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


def test_an_open_gate_records_each_outcome_with_its_step(record, thing, commissioner, colleague):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    explanation = _explained(commissioner, thing, confirmer=colleague)

    gate = gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    assert gate.allowed
    current = {o.rule.code: o for o in rule_outcomes_for(obj=thing)}
    assert set(current) == {"PR-4", "PR-5"}
    assert current["PR-4"].outcome == "met"
    assert current["PR-4"].detail == "social value 15%"
    assert current["PR-5"].outcome == "explained"
    assert current["PR-5"].reason == REASON
    assert current["PR-5"].agreed_by == explanation.agreed_by
    assert current["PR-5"].explanation == explanation.explanation
    assert {o.step for o in current.values()} == {"opportunity_publish"}
    assert all(o.recorded_by == commissioner for o in current.values())
    # The explanation given beforehand is kept as history.
    assert RuleOutcome.objects.get(pk=explanation.pk).superseded_at is not None
    event = AuditEvent.objects.get(verb="rule.gate_pass")
    assert event.after == {
        "step": "opportunity_publish",
        "outcomes": {"PR-4": "met", "PR-5": "explained"},
    }


def test_the_explanation_still_stands_after_the_gate_records_it(record, thing, commissioner, colleague):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    _explained(commissioner, thing, confirmer=colleague)
    gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    again = gate_require(actor=commissioner, obj=thing, step="opportunity_publish")

    assert again.allowed


def test_the_review_counts_recorded_outcomes(record, thing, commissioner, colleague):
    record.quality[thing.pk] = 40
    record.social_value[thing.pk] = 15
    _explained(commissioner, thing, confirmer=colleague)
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


def test_a_refresh_records_the_check_s_standing_only_when_it_changes(record, thing):
    record.quality[thing.pk] = 10  # below the minimum: not met
    first = rule_outcome_refresh(actor=None, rule_code="PR-5", obj=thing)
    assert first.outcome == "not_met" and "below" in first.detail
    assert rule_outcome_refresh(actor=None, rule_code="PR-5", obj=thing) is None  # unchanged: nothing written
    record.quality[thing.pk] = 90
    second = rule_outcome_refresh(actor=None, rule_code="PR-5", obj=thing)
    assert second.outcome == "met"
    assert RuleOutcome.objects.get(pk=first.pk).superseded_at is not None
    assert AuditEvent.objects.filter(verb="rule.outcome_record").count() == 2


def test_a_refresh_never_writes_over_a_confirmed_explanation(record, thing, commissioner, colleague):
    confirmed_explanation(commissioner, thing, confirmer=colleague)
    explained = RuleOutcome.objects.get(superseded_at__isnull=True, outcome="explained")
    assert rule_outcome_refresh(actor=None, rule_code="PR-5", obj=thing) is None
    assert RuleOutcome.objects.get(superseded_at__isnull=True).pk == explained.pk


def test_a_refresh_writes_nothing_for_a_rule_without_a_check_or_one_that_cannot_judge(thing):
    assert rule_outcome_refresh(actor=None, rule_code="PR-5", obj=thing) is None  # no check registered
    checks.rule_check("PR-5", model=STAND_IN_MODEL)(lambda obj, settings: CheckResult.cannot_judge("Set the weights"))
    try:
        assert rule_outcome_refresh(actor=None, rule_code="PR-5", obj=thing) is None
    finally:
        checks.rule_check_unregister("PR-5", model=STAND_IN_MODEL)
    assert not RuleOutcome.objects.exists()


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
