"""The only way to write the Code's outcomes and settings.

Every function here runs in one transaction and writes its audit event in it,
so an outcome or a setting exists if and only if its audit event does.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.accounts.models import Role
from commissioning.audit.services import audit_record
from commissioning.core import clock

from .catalogue import STEPS, SettingValueError, rule_definition
from .checks import Gate, evaluate, model_key
from .models import Outcome, Rule, RuleOutcome

REASON_MAX_LENGTH = 5000
AGREED_BY_MAX_LENGTH = 200
EXPLAINING_ROLES = (Role.COMMISSIONER, Role.ADMINISTRATOR)


class ExplanationError(ValueError):
    """An explanation that cannot be recorded; ``errors`` maps each field to what to fix."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        self.message = " ".join(self.errors.values())
        super().__init__(self.message)


class SettingsError(ValueError):
    """Settings that cannot be saved; ``errors`` maps each setting key to what to fix."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{key}: {message}" for key, message in self.errors.items()))


class RuleGateClosed(Exception):
    """A step refused because rules that guard it are neither met nor explained."""

    def __init__(self, gate: Gate):
        self.gate = gate
        super().__init__(gate.message)


def _may_explain(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False) and actor.is_active and actor.has_role(*EXPLAINING_ROLES))


def _may_administer(actor: Any) -> bool:
    # The hub's administrators, or an operator's superuser on the technical admin site.
    return bool(
        getattr(actor, "is_authenticated", False) and actor.is_active and (actor.is_administrator or actor.is_superuser)
    )


def _rule_for_update(code: str) -> Rule:
    # Locking the rule queues writers of the same rule, so two people recording
    # an outcome at once cannot both leave a "current" row.
    return Rule.objects.select_for_update().get(code=code)


def _supersede_current(rule: Rule, obj: Any, moment) -> RuleOutcome | None:
    current = (
        RuleOutcome.objects.select_for_update()
        .filter(rule=rule, object_type=model_key(obj), object_id=str(obj.pk), superseded_at__isnull=True)
        .first()
    )
    if current is not None:
        RuleOutcome.objects.filter(pk=current.pk).update(superseded_at=moment)
        current.superseded_at = moment
    return current


def _outcome_add(
    *,
    actor: Any,
    rule: Rule,
    obj: Any,
    outcome: str,
    detail: str = "",
    reason: str = "",
    agreed_by: str = "",
    step: str = "",
) -> tuple[RuleOutcome, RuleOutcome | None]:
    if obj.pk is None:
        raise ValueError("Save the object before recording an outcome for it")
    moment = clock.now()
    previous = _supersede_current(rule, obj, moment)
    row = RuleOutcome.objects.create(
        rule=rule,
        object_type=model_key(obj),
        object_id=str(obj.pk),
        outcome=outcome,
        detail=detail,
        reason=reason,
        agreed_by=agreed_by,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_at=moment,
        step=step,
    )
    return row, previous


def _check_step(step: str) -> None:
    if step and step not in STEPS:
        raise ValueError(f"There is no step called {step!r}")


def rule_explain(*, actor: Any, rule_code: str, obj: Any, reason: str, agreed_by: str, step: str = "") -> RuleOutcome:
    """Record why rule ``rule_code`` does not apply to ``obj``, and who agreed it.

    Guarantees: only an active commissioner or administrator may explain
    (``PermissionDenied`` otherwise); a blank or over-long reason or "agreed by"
    is refused with :class:`ExplanationError`; the new explanation becomes the
    rule's one current outcome for the object and whatever was current before
    is marked superseded, not changed; the audit event is written in the same
    transaction. Whether the actor may act on ``obj`` at all is the caller's
    check, made when it loaded the object.
    """
    if not _may_explain(actor):
        raise PermissionDenied("Only commissioners and administrators can explain a rule")
    reason = (reason or "").strip()
    agreed_by = (agreed_by or "").strip()
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = "Enter why this rule does not apply"
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
    if not agreed_by:
        errors["agreed_by"] = "Enter who agreed the explanation"
    elif len(agreed_by) > AGREED_BY_MAX_LENGTH:
        errors["agreed_by"] = f"Who agreed it must be {AGREED_BY_MAX_LENGTH} characters or fewer"
    if errors:
        raise ExplanationError(errors)
    _check_step(step)
    with transaction.atomic():
        rule = _rule_for_update(rule_code)
        row, previous = _outcome_add(
            actor=actor,
            rule=rule,
            obj=obj,
            outcome=Outcome.EXPLAINED,
            reason=reason,
            agreed_by=agreed_by,
            step=step,
        )
        audit_record(
            actor=actor,
            verb="rule.explain",
            obj=obj,
            before=_outcome_summary(previous),
            after=_outcome_summary(row),
            reason=reason,
        )
    return row


def rule_explanation_withdraw(*, actor: Any, rule_code: str, obj: Any) -> RuleOutcome | None:
    """Withdraw the current explanation of rule ``rule_code`` for ``obj``.

    Guarantees: same permission as :func:`rule_explain`; the explanation is
    marked superseded (kept as history) and the rule has no current outcome
    for the object until it is next recorded, so a gate that relied on it
    closes again. Returns the withdrawn explanation, or None (and writes
    nothing) when there was none, so repeating a withdrawal is harmless.
    """
    if not _may_explain(actor):
        raise PermissionDenied("Only commissioners and administrators can withdraw an explanation")
    with transaction.atomic():
        rule = _rule_for_update(rule_code)
        current = (
            RuleOutcome.objects.select_for_update()
            .filter(
                rule=rule,
                object_type=model_key(obj),
                object_id=str(obj.pk),
                superseded_at__isnull=True,
                outcome=Outcome.EXPLAINED,
            )
            .first()
        )
        if current is None:
            return None
        moment = clock.now()
        RuleOutcome.objects.filter(pk=current.pk).update(superseded_at=moment)
        current.superseded_at = moment
        audit_record(
            actor=actor,
            verb="rule.explanation_withdraw",
            obj=obj,
            before=_outcome_summary(current),
            after={},
        )
    return current


def rule_outcome_record(
    *, actor: Any, rule_code: str, obj: Any, outcome: str, detail: str = "", step: str = ""
) -> RuleOutcome:
    """Record that rule ``rule_code`` was met or not met for ``obj``, for rules that record.

    Guarantees: ``outcome`` is "met" or "not_met" (an explanation goes through
    :func:`rule_explain`, which checks who may give one); the new row becomes
    the current outcome and the previous one is marked superseded; audited.
    ``actor`` may be None when the system records (the clock command).
    """
    if outcome not in (Outcome.MET, Outcome.NOT_MET):
        raise ValueError("Record 'met' or 'not_met'; explanations go through rule_explain")
    _check_step(step)
    with transaction.atomic():
        rule = _rule_for_update(rule_code)
        row, previous = _outcome_add(actor=actor, rule=rule, obj=obj, outcome=outcome, detail=detail, step=step)
        audit_record(
            actor=actor,
            verb="rule.outcome_record",
            obj=obj,
            before=_outcome_summary(previous),
            after=_outcome_summary(row),
        )
    return row


def gate_require(*, actor: Any, obj: Any, step: str) -> Gate:
    """Let ``obj`` through ``step`` only if every rule that guards it is met or explained.

    Guarantees: when any rule is not met and not explained, raises
    :class:`RuleGateClosed` (its message names each unmet rule) and writes
    nothing. Otherwise records, for every rule checked, a current outcome with
    ``step`` (met, or explained carrying the explanation's reason and who
    agreed it), superseding the previous current outcome, and writes one audit
    event; returns the gate. Call it inside the service that performs the step,
    after locking ``obj``, so the step and its outcomes commit together.
    """
    with transaction.atomic():
        gate = evaluate(obj, step)
        if not gate.allowed:
            raise RuleGateClosed(gate)
        if not gate.items:
            return gate
        # Lock in one order so two gates never wait on each other.
        locked = {
            rule.pk: rule
            for rule in Rule.objects.select_for_update()
            .filter(pk__in=[item.rule.pk for item in gate.items])
            .order_by("pk")
        }
        outcomes: dict[str, str] = {}
        for item in gate.items:
            explanation = item.explanation
            _outcome_add(
                actor=actor,
                rule=locked[item.rule.pk],
                obj=obj,
                outcome=item.outcome,
                detail=item.detail,
                reason=explanation.reason if explanation else "",
                agreed_by=explanation.agreed_by if explanation else "",
                step=step,
            )
            outcomes[item.rule.code] = item.outcome
        audit_record(
            actor=actor,
            verb="rule.gate_pass",
            obj=obj,
            after={"step": step, "outcomes": outcomes},
        )
    return gate


def settings_validate(rule_code: str, values: dict[str, Any]) -> dict[str, int | str]:
    """Check new values for rule ``rule_code``'s settings and return the whole set as stored.

    Guarantees: every key is one of the rule's settings; every value is a
    number of the setting's kind within its range; banded values do not go
    down from one band to the next; keys not given keep their current value.
    Raises :class:`SettingsError` listing a message per key otherwise. Reads,
    never writes.
    """
    definition = rule_definition(rule_code)
    rule = Rule.objects.get(code=rule_code)
    known = {d.key for d in definition.settings}
    errors: dict[str, str] = {}
    for key in values:
        if key not in known:
            errors[key] = "This rule has no setting with that name"
    typed: dict[str, int | Decimal] = dict(rule.typed_settings)
    for key, raw in values.items():
        if key not in known:
            continue
        try:
            typed[key] = definition.setting(key).parse(raw)
        except SettingValueError as exc:
            errors[key] = str(exc)
    for group in definition.ordered:
        for lower_key, higher_key in zip(group, group[1:], strict=False):
            if lower_key in errors or higher_key in errors:
                continue
            if typed[higher_key] < typed[lower_key]:
                lower, higher = definition.setting(lower_key), definition.setting(higher_key)
                errors[higher_key] = (
                    f"{higher.label} must be at least {lower.describe(typed[lower_key])}, "
                    f"the {lower.label[0].lower()}{lower.label[1:]}"
                )
    if errors:
        raise SettingsError(errors)
    return {d.key: d.stored(typed[d.key]) for d in definition.settings}


def rule_settings_update(*, actor: Any, rule_code: str, values: dict[str, Any]) -> Rule:
    """Change rule ``rule_code``'s settings to ``values`` (a partial set is fine).

    Guarantees: only an administrator may change settings
    (``PermissionDenied`` otherwise); the values are checked by
    :func:`settings_validate` and nothing is saved if any is wrong
    (:class:`SettingsError`); a change is saved with one audit event holding
    the settings before and after; saving the same values again writes
    nothing.
    """
    if not _may_administer(actor):
        raise PermissionDenied("Only administrators can change the Code's settings")
    with transaction.atomic():
        rule = _rule_for_update(rule_code)
        new = settings_validate(rule_code, values)
        before = dict(rule.settings or {})
        if new == before:
            return rule
        rule.settings = new
        rule.save(update_fields=["settings"])
        audit_record(actor=actor, verb="rule.settings_update", obj=rule, before=before, after=new)
    return rule


def rule_active_set(*, actor: Any, rule_code: str, active: bool) -> Rule:
    """Switch rule ``rule_code`` on or off for this deployment.

    Guarantees: administrators only; an inactive rule guards no step and is
    not checked, but its outcomes are kept; audited; setting the same value
    again writes nothing.
    """
    if not _may_administer(actor):
        raise PermissionDenied("Only administrators can switch rules on or off")
    with transaction.atomic():
        rule = _rule_for_update(rule_code)
        if rule.active == active:
            return rule
        rule.active = active
        rule.save(update_fields=["active"])
        audit_record(
            actor=actor,
            verb="rule.active_set",
            obj=rule,
            before={"active": not active},
            after={"active": active},
        )
    return rule


def _outcome_summary(row: RuleOutcome | None) -> dict:
    if row is None:
        return {}
    return {
        "rule": row.rule.code,
        "outcome": row.outcome,
        "detail": row.detail,
        "reason": row.reason,
        "agreed_by": row.agreed_by,
        "step": row.step,
        "outcome_id": row.pk,
    }
