"""The only way to write the Code's outcomes and settings.

Every function here runs in one transaction and writes its audit event in it,
so an outcome or a setting exists if and only if its audit event does.
"""

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.accounts.models import Organisation, Role
from commissioning.audit.services import audit_record
from commissioning.core import clock

from . import notifications
from .catalogue import STEPS, SettingValueError, rule_definition
from .checks import CANNOT_JUDGE, Gate, evaluate, model_key, rule_status
from .models import Explanation, ExplanationStatus, Outcome, Rule, RuleOutcome
from .permissions import confirmer_label, may_confirm_for, may_explain

REASON_MAX_LENGTH = 5000
AGREED_BY_MAX_LENGTH = 200


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
    explanation: Explanation | None = None,
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
        explanation=explanation,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_at=moment,
        step=step,
    )
    return row, previous


def _check_step(step: str) -> None:
    if step and step not in STEPS:
        raise ValueError(f"There is no step called {step!r}")


def _reason_problem(reason: str) -> str | None:
    if not reason:
        return "Enter why this rule does not apply"
    if len(reason) > REASON_MAX_LENGTH:
        return f"The reason must be {REASON_MAX_LENGTH} characters or fewer"
    return None


def _confirmer_problem(actor, confirmer, body: Organisation | None) -> str | None:
    if confirmer is None or getattr(confirmer, "pk", None) is None:
        return "Choose who will confirm the explanation"
    if confirmer.pk == actor.pk:
        return "Choose someone else to confirm the explanation: you cannot confirm your own"
    if not may_confirm_for(confirmer, body):
        return "Choose another commissioner of the same commissioning body, or an administrator, to confirm it"
    return None


def rule_explain(
    *,
    actor: Any,
    rule_code: str,
    obj: Any,
    body: Organisation | None,
    reason: str,
    confirmer: Any,
    step: str = "",
) -> Explanation:
    """Write why rule ``rule_code`` does not apply to ``obj``, for ``confirmer`` to confirm.

    Guarantees: only an active commissioner or administrator may explain
    (``PermissionDenied`` otherwise), and a commissioner only for a body they
    commission at; a blank or over-long reason, or a confirmer who is missing,
    is the writer, or may not confirm for ``body`` (see
    :func:`.permissions.may_confirm_for`) is refused with
    :class:`ExplanationError`. The explanation is saved pending: the rule's
    outcome does not change, so a gate it guards stays shut until the
    confirmer confirms it. A pending explanation of the same rule for the same
    object is withdrawn (kept as history). Audited in the same transaction;
    the confirmer is e-mailed a link once it commits. Whether the actor may act
    on ``obj`` at all is the caller's check, made when it loaded the object.
    """
    if not may_explain(actor):
        raise PermissionDenied("Only commissioners and administrators can explain a rule")
    if not actor.is_administrator and (body is None or Role.COMMISSIONER not in actor.roles_for(body)):
        raise PermissionDenied("Only a commissioner of the body can explain a rule for it")
    reason = (reason or "").strip()
    errors = {
        field: problem
        for field, problem in (
            ("reason", _reason_problem(reason)),
            ("confirmer", _confirmer_problem(actor, confirmer, body)),
        )
        if problem
    }
    if errors:
        raise ExplanationError(errors)
    _check_step(step)
    with transaction.atomic():
        rule = _rule_for_update(rule_code)
        if obj.pk is None:
            raise ValueError("Save the object before explaining a rule for it")
        moment = clock.now()
        replaced = _pending_for_update(rule, obj)
        if replaced is not None:
            replaced.status = ExplanationStatus.WITHDRAWN
            replaced.save(update_fields=["status"])
        explanation = Explanation.objects.create(
            rule=rule,
            object_type=model_key(obj),
            object_id=str(obj.pk),
            step=step,
            body=body,
            reason=reason,
            written_by=actor,
            written_at=moment,
            confirmer=confirmer,
        )
        audit_record(
            actor=actor,
            verb="rule.explain",
            obj=obj,
            before=_explanation_summary(replaced),
            after=_explanation_summary(explanation),
            reason=reason,
        )
        notifications.explanation_to_confirm(explanation, obj)
    return explanation


def _pending_for_update(rule: Rule, obj: Any) -> Explanation | None:
    return (
        Explanation.objects.select_for_update()
        .filter(rule=rule, object_type=model_key(obj), object_id=str(obj.pk), status=ExplanationStatus.PENDING)
        .first()
    )


def _explanation_for_decision(actor: Any, explanation: Explanation) -> Explanation:
    # Loaded again under lock: two confirmers, or a double click, decide once.
    # Only the explanation's row is locked: its body may be empty, an outer join PostgreSQL cannot lock.
    locked = Explanation.objects.select_for_update(of=("self",)).select_related("rule", "body").get(pk=explanation.pk)
    if locked.written_by_id is not None and locked.written_by_id == getattr(actor, "pk", None):
        raise PermissionDenied("The person who wrote an explanation cannot confirm or decline it")
    named = locked.confirmer_id is None or locked.confirmer_id == getattr(actor, "pk", None)
    if not (named and may_confirm_for(actor, locked.body)):
        raise PermissionDenied("Only the person named to confirm this explanation can confirm or decline it")
    if not locked.is_pending:
        raise ExplanationError({"": f"This explanation has already been {locked.get_status_display().lower()}"})
    return locked


def _explained_object(explanation: Explanation) -> Any:
    model = apps.get_model(explanation.object_type)
    return model.objects.get(pk=explanation.object_id)


def explanation_confirm(*, actor: Any, explanation: Explanation, words: str = "") -> RuleOutcome:
    """Confirm ``explanation``: from now on the rule counts as explained for its object.

    Guarantees: only the person the explanation names (an administrator, for
    one recorded before confirmation was required), while they may still
    confirm for its body, and never its writer (``PermissionDenied``
    otherwise); only a pending explanation (:class:`ExplanationError`
    otherwise, so confirming twice changes nothing); ``words`` are optional
    and kept with who confirmed and when. The rule's current outcome becomes
    "explained", resting on this explanation, and the previous one is marked
    superseded. Audited; the writer is e-mailed once it commits.
    """
    words = (words or "").strip()
    if len(words) > REASON_MAX_LENGTH:
        raise ExplanationError({"words": f"Your words must be {REASON_MAX_LENGTH} characters or fewer"})
    with transaction.atomic():
        rule = _rule_for_update(Explanation.objects.values_list("rule__code", flat=True).get(pk=explanation.pk))
        locked = _explanation_for_decision(actor, explanation)
        obj = _explained_object(locked)
        locked.status = ExplanationStatus.CONFIRMED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, clock.now(), words
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        row, previous = _outcome_add(
            actor=actor,
            rule=rule,
            obj=obj,
            outcome=Outcome.EXPLAINED,
            reason=locked.reason,
            agreed_by=confirmer_label(actor, locked.body)[:AGREED_BY_MAX_LENGTH],
            explanation=locked,
            step=locked.step,
        )
        audit_record(
            actor=actor,
            verb="rule.explanation_confirm",
            obj=obj,
            before=_outcome_summary(previous),
            after={**_outcome_summary(row), **_explanation_summary(locked)},
            reason=words,
        )
        notifications.explanation_decided(locked, obj)
    return row


def explanation_decline(*, actor: Any, explanation: Explanation, reason: str) -> Explanation:
    """Decline ``explanation``, saying why: the rule stays not met until someone explains it again.

    Guarantees: the same people and state as :func:`explanation_confirm`; a
    blank or over-long reason is refused with :class:`ExplanationError`; the
    rule's outcome does not change. Audited; the writer is e-mailed the reason
    once it commits.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ExplanationError({"reason": "Enter why you are declining the explanation"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ExplanationError({"reason": f"The reason must be {REASON_MAX_LENGTH} characters or fewer"})
    with transaction.atomic():
        locked = _explanation_for_decision(actor, explanation)
        obj = _explained_object(locked)
        locked.status = ExplanationStatus.DECLINED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, clock.now(), reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit_record(
            actor=actor,
            verb="rule.explanation_decline",
            obj=obj,
            after=_explanation_summary(locked),
            reason=reason,
        )
        notifications.explanation_decided(locked, obj)
    return locked


def rule_explanation_withdraw(*, actor: Any, rule_code: str, obj: Any) -> RuleOutcome | Explanation | None:
    """Withdraw the explanation of rule ``rule_code`` for ``obj``, confirmed or waiting.

    Guarantees: same permission as :func:`rule_explain`; a confirmed
    explanation's outcome is marked superseded (kept as history) and the rule
    has no current outcome for the object until it is next recorded, so a gate
    that relied on it closes again; a pending explanation is marked withdrawn,
    so it can no longer be confirmed. Returns what was withdrawn, or None (and
    writes nothing) when there was nothing, so repeating it is harmless.
    """
    if not may_explain(actor):
        raise PermissionDenied("Only commissioners and administrators can withdraw an explanation")
    with transaction.atomic():
        rule = _rule_for_update(rule_code)
        pending = _pending_for_update(rule, obj)
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
        if current is None and pending is None:
            return None
        if pending is not None:
            pending.status = ExplanationStatus.WITHDRAWN
            pending.save(update_fields=["status"])
        if current is not None:
            moment = clock.now()
            RuleOutcome.objects.filter(pk=current.pk).update(superseded_at=moment)
            current.superseded_at = moment
        audit_record(
            actor=actor,
            verb="rule.explanation_withdraw",
            obj=obj,
            before={**_outcome_summary(current), **_explanation_summary(pending)},
            after={},
        )
    return current or pending


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


def rule_outcome_refresh(*, actor: Any, rule_code: str, obj: Any) -> RuleOutcome | None:
    """Record how rule ``rule_code`` stands for ``obj`` now, when that differs from its current outcome.

    The one way a stage keeps a rule's recorded outcome in step with its check
    as the work happens (letters sent, surveys answered, the clock). Guarantees:
    the rule's check is run now; nothing is written when the rule is inactive
    or has no check for ``obj``, when the check cannot judge ``obj`` yet, when
    an explanation stands for it (a confirmed explanation is never overwritten
    by the system), or when the current outcome already says the same; else a
    new current outcome is recorded and audited as by :func:`rule_outcome_record`.
    Safe to repeat. Returns the new outcome, or None when nothing changed.
    """
    status = rule_status(obj, rule_code)
    if status is None or status.outcome in (Outcome.EXPLAINED, CANNOT_JUDGE):
        return None
    current = RuleOutcome.objects.filter(
        rule=status.rule, object_type=model_key(obj), object_id=str(obj.pk), superseded_at__isnull=True
    ).first()
    if current is not None and current.outcome == status.outcome:
        return None
    return rule_outcome_record(
        actor=actor, rule_code=rule_code, obj=obj, outcome=status.outcome, detail=status.detail[:2000]
    )


def gate_require(*, actor: Any, obj: Any, step: str) -> Gate:
    """Let ``obj`` through ``step`` only if every rule that guards it is met or explained.

    "Explained" means explained and confirmed by a second person (see
    :func:`.checks.evaluate`): an explanation still waiting for confirmation
    keeps the gate shut.

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
                explanation=explanation.explanation if explanation else None,
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


def _check_bands_rise(definition, typed: dict[str, int | Decimal], errors: dict[str, str]) -> None:
    """Banded settings must not go down from one band to the next: add a message for each that does."""
    for group in definition.ordered:
        for lower_key, higher_key in zip(group, group[1:], strict=False):
            if lower_key in errors or higher_key in errors or typed[higher_key] >= typed[lower_key]:
                continue
            lower, higher = definition.setting(lower_key), definition.setting(higher_key)
            errors[higher_key] = (
                f"{higher.label} must be at least {lower.describe(typed[lower_key])}, "
                f"the {lower.label[0].lower()}{lower.label[1:]}"
            )


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
    _check_bands_rise(definition, typed, errors)
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


def _explanation_summary(row: Explanation | None) -> dict:
    if row is None:
        return {}
    return {
        "rule": row.rule.code,
        "explanation_id": row.pk,
        "status": row.status,
        "reason": row.reason,
        "written_by": row.written_by_id,
        "confirmer": row.confirmer_id,
        "body": row.body_id,
        "decided_by": row.decided_by_id,
        "decided_at": row.decided_at,
        "decision_note": row.decision_note,
        "step": row.step,
    }
