"""Variations: a change to an issued or accepted agreement's value, term or scope, or an inflation uplift.

- A commissioner of the agreement proposes one with its reason; it is numbered per agreement and sized
  against the ORIGINAL value and term (as issued, before any variation), and whether a contract change
  notice must be published first is worked out (Procurement Act 2023 s74-75, by the
  ``CONTRACTS["change_notice"]`` settings; light-touch contracts, contracts below the threshold and grants
  need none). A draft is edited instead.
- Never a value below what has been paid, never an end before the start, before today or before what
  has already been paid or reported for.
- Another commissioner of the same body, or an administrator, approves or rejects it with a note; never
  the person who proposed it, and only once. Approving applies it: the value and end date change, the
  unpaid instalments take an increase or a decrease (a paid one never changes), and an extension adds
  the returns (and, with more money, the instalments) for its months. The provider is e-mailed.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from commissioning.audit.models import AuditEvent
from commissioning.audit.services import audit_record, object_type_of
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.money import format_money
from commissioning.core.workdays import closure_days
from commissioning.opportunities.services import thresholds_on
from commissioning.practice.permissions import may_confirm_for

from . import monitoring, notifications
from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    MonitoringReturn,
    Payment,
    ReturnStatus,
    Variation,
    VariationKind,
    VariationStatus,
)
from .permissions import commissioner_body_for, is_agreement_commissioner
from .services import monitoring_settings

PENNY = Decimal("0.01")
VARIABLE_STATUSES = (AgreementStatus.ISSUED, AgreementStatus.ACCEPTED)
ABOVE_THRESHOLD_KEY = "goods_services_sub_central"
REPORTED = (ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.ACCEPTED, ReturnStatus.SHARED)


class VariationError(RefusedError):
    """A variation the rules refuse, with messages per field."""


@dataclass(frozen=True)
class OriginalTerms:
    """The agreement's value and end date as issued, before any variation was approved."""

    value: Decimal
    ends_on: date

    def days(self, starts_on: date) -> int:
        return (self.ends_on - starts_on).days + 1


def original_terms(agreement: Agreement) -> OriginalTerms:
    """The value and end as they stood before the first approved variation (read from its audit event)."""
    first = (
        AuditEvent.objects.filter(
            verb="variation.approve", object_type=object_type_of(agreement), object_id=str(agreement.pk)
        )
        .order_by("occurred_at", "id")
        .first()
    )
    if first is None or "value" not in first.before:
        return OriginalTerms(agreement.value, agreement.ends_on)
    return OriginalTerms(Decimal(first.before["value"]), date.fromisoformat(first.before["ends_on"]))


def paid_total(agreement: Agreement) -> Decimal:
    """What has been paid under the agreement so far (each paid instalment's amount paid)."""
    return sum(
        (p.paid_amount if p.paid_amount is not None else p.amount for p in agreement.payments.all() if p.paid_on),
        Decimal(0),
    )


def unpaid_total(agreement: Agreement) -> Decimal:
    """What is still to pay: the unpaid instalments, or the whole value before acceptance writes them."""
    if agreement.status != AgreementStatus.ACCEPTED:
        return agreement.value
    return sum((p.amount for p in agreement.payments.all() if not p.paid_on), Decimal(0))


def above_threshold(agreement: Agreement) -> bool:
    """A contract at or above the goods and services threshold in force when it started."""
    threshold = thresholds_on(agreement.starts_on).get(ABOVE_THRESHOLD_KEY)
    return threshold is not None and agreement.value >= threshold


@dataclass(frozen=True)
class Sizing:
    percent_of_original: Decimal
    notice: monitoring.ChangeNotice


def sizing(
    agreement: Agreement, *, value_change: Decimal, new_ends_on: date | None, material_scope_change: bool
) -> Sizing:
    """The variation's size against the original value (or term), and whether a change notice is needed.

    Value changes are counted together with every earlier approved one (s75(4)-(5)); a term change is
    the new end against the original end.
    """
    original = original_terms(agreement)
    approved = sum((v.value_change for v in agreement.variations.filter(status=VariationStatus.APPROVED)), Decimal(0))
    days = original.days(agreement.starts_on)
    term_change = (new_ends_on - original.ends_on).days if new_ends_on else 0
    if value_change:
        percent = Decimal(value_change) * 100 / original.value
    elif new_ends_on:
        percent = Decimal(term_change) * 100 / Decimal(days)
    else:
        percent = Decimal(0)
    if agreement.kind == AgreementKind.GRANT:
        notice = monitoring.ChangeNotice(False, "A grant agreement is not a public contract: no change notice")
    else:
        notice = monitoring.change_notice_needed(
            original_value=original.value,
            value_changes=approved + Decimal(value_change),
            original_days=days,
            term_change_days=term_change,
            light_touch=agreement.light_touch,
            above_threshold=above_threshold(agreement),
            material_scope_change=material_scope_change,
            settings=settings.CONTRACTS["change_notice"],
        )
    return Sizing(percent.quantize(PENNY, rounding=ROUND_HALF_UP), notice)


def _latest_paid_due(agreement: Agreement) -> date | None:
    return max((p.due_on for p in agreement.payments.all() if p.paid_on), default=None)


def _latest_reported_end(agreement: Agreement) -> date | None:
    return max((r.period_end for r in agreement.returns.all() if r.status in REPORTED), default=None)


def _value_problems(agreement: Agreement, new_value: Decimal, errors: dict, name: str) -> None:
    paid = paid_total(agreement)
    if new_value <= 0:
        errors[name] = ["The new value must be more than £0"]
    elif new_value < paid:
        errors[name] = [f"The new value cannot be less than the {format_money(paid)} already paid: nothing was changed"]
    elif new_value < agreement.value and agreement.status == AgreementStatus.ACCEPTED:
        unpaid = [p.amount for p in agreement.payments.all() if not p.paid_on]
        shares = shares_of(unpaid, new_value - agreement.value) if unpaid else []
        if any(amount + share <= 0 for amount, share in zip(unpaid, shares, strict=True)):
            errors[name] = ["That would leave an instalment still to pay at £0 or less: reduce the value by less"]


def _term_problems(agreement: Agreement, new_ends_on: date, errors: dict) -> None:
    if new_ends_on <= agreement.starts_on:
        errors["new_ends_on"] = ["The new end date must be after the agreement's start date"]
    elif new_ends_on == agreement.ends_on:
        errors["new_ends_on"] = ["The new end date is the agreement's end date now: choose another"]
    elif new_ends_on < clock.today():
        errors["new_ends_on"] = ["The new end date cannot be in the past"]
    else:
        paid_due, reported = _latest_paid_due(agreement), _latest_reported_end(agreement)
        if paid_due and new_ends_on < paid_due:
            errors["new_ends_on"] = ["The new end date cannot be before an instalment that has been paid"]
        elif reported and new_ends_on < reported:
            errors["new_ends_on"] = ["The new end date cannot be before a period that has been reported on"]


def _most_uplift() -> Decimal:
    return Decimal(str(settings.CONTRACTS["uplift_most_percent"]))


def _value_checked(agreement, new_value, errors) -> Decimal:
    if new_value is None:
        errors["new_value"] = ["Enter the new value over the whole term"]
    elif new_value == agreement.value:
        errors["new_value"] = ["The new value is the agreement's value now: enter a different one"]
    else:
        _value_problems(agreement, new_value, errors, "new_value")
        return new_value - agreement.value
    return Decimal(0)


def _term_checked(agreement, new_value, new_ends_on, errors) -> Decimal:
    if new_ends_on is None:
        errors["new_ends_on"] = ["Enter the new end date"]
    else:
        _term_problems(agreement, new_ends_on, errors)
    if new_value is None or new_value == agreement.value:
        return Decimal(0)
    _value_problems(agreement, new_value, errors, "new_value")
    return new_value - agreement.value


def _scope_checked(scope_change, errors) -> Decimal:
    if not scope_change:
        errors["scope_change"] = ["Say how the scope changes"]
    elif len(scope_change) > 3000:
        errors["scope_change"] = ["The change of scope must be 3,000 characters or fewer"]
    return Decimal(0)


def _uplift_checked(agreement, uplift_percent, errors) -> Decimal:
    if uplift_percent is None:
        errors["uplift_percent"] = ["Enter the uplift as a percentage, like 3.4"]
        return Decimal(0)
    if not Decimal(0) < uplift_percent <= _most_uplift():
        errors["uplift_percent"] = [f"The uplift must be more than 0% and at most {_most_uplift()}%"]
        return Decimal(0)
    change = (unpaid_total(agreement) * uplift_percent / 100).quantize(PENNY, rounding=ROUND_HALF_UP)
    if change <= 0:
        errors["uplift_percent"] = ["Nothing is left to pay under the agreement, so there is nothing to uplift"]
    return change


def _checked(agreement, kind, reason, new_value, new_ends_on, scope_change, uplift_percent) -> tuple[dict, Decimal]:
    """The messages per field for a proposal, and the change to the value it makes."""
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Say why the agreement is varied"]
    elif len(reason) > 3000:
        errors["reason"] = ["The reason must be 3,000 characters or fewer"]
    if kind == VariationKind.VALUE:
        change = _value_checked(agreement, new_value, errors)
    elif kind == VariationKind.TERM:
        change = _term_checked(agreement, new_value, new_ends_on, errors)
    elif kind == VariationKind.SCOPE:
        change = _scope_checked(scope_change, errors)
    elif kind == VariationKind.UPLIFT:
        change = _uplift_checked(agreement, uplift_percent, errors)
    else:
        errors["kind"] = ["Choose what the variation changes"]
        change = Decimal(0)
    return errors, change


def variation_propose(
    *,
    actor,
    agreement: Agreement,
    kind: str,
    reason: str,
    new_value: Decimal | None = None,
    new_ends_on: date | None = None,
    scope_change: str = "",
    material_scope_change: bool = False,
    uplift_percent: Decimal | None = None,
) -> Variation:
    """One of the agreement's commissioners proposes a variation, with its reason, for a second person to decide.

    Guarantees: only the agreement's commissioners (``PermissionDenied``); only an issued or accepted
    agreement (a draft is edited); never a value below what has been paid, nor an end date before the
    start, in the past or before a paid instalment or a reported period; an uplift between 0% and the set
    most, of what is still to pay. It is numbered after the agreement's others, sized against the original
    value and term, with whether a change notice is needed and why. The same proposal while one is waiting
    is refused (a double click makes one).
    """
    if not is_agreement_commissioner(actor, agreement):
        raise PermissionDenied("Only the agreement's commissioners propose its variations")
    reason, scope_change = (reason or "").strip(), (scope_change or "").strip()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status not in VARIABLE_STATUSES:
            raise VariationError.on("", "A draft agreement is changed by editing it, not by a variation")
        errors, change = _checked(locked, kind, reason, new_value, new_ends_on, scope_change, uplift_percent)
        if errors:
            raise VariationError(errors)
        waiting = locked.variations.filter(
            status=VariationStatus.PROPOSED,
            kind=kind,
            value_change=change,
            new_ends_on=new_ends_on if kind == VariationKind.TERM else None,
            scope_change=scope_change if kind == VariationKind.SCOPE else "",
        ).first()
        if waiting is not None:
            raise VariationError.on("", f"This change is already waiting for approval as variation {waiting.number}")
        sized = sizing(
            locked,
            value_change=change,
            new_ends_on=new_ends_on if kind == VariationKind.TERM else None,
            material_scope_change=kind == VariationKind.SCOPE and bool(material_scope_change),
        )
        number = (locked.variations.aggregate(top=Max("number"))["top"] or 0) + 1
        variation = Variation.objects.create(
            agreement=locked,
            number=number,
            kind=kind,
            reason=reason,
            value_change=change,
            new_ends_on=new_ends_on if kind == VariationKind.TERM else None,
            scope_change=scope_change if kind == VariationKind.SCOPE else "",
            uplift_percent=uplift_percent if kind == VariationKind.UPLIFT else None,
            percent_of_original=sized.percent_of_original,
            change_notice_required=sized.notice.required,
            change_notice_reason=sized.notice.reason[:500],
            proposed_by=actor,
            proposed_at=clock.now(),
        )
        audit_record(actor=actor, verb="variation.propose", obj=locked, after=_state(variation), reason=reason)
    return variation


def _state(variation: Variation) -> dict:
    return {
        "variation": variation.number,
        "kind": variation.kind,
        "value_change": str(variation.value_change),
        "new_ends_on": variation.new_ends_on.isoformat() if variation.new_ends_on else None,
        "uplift_percent": str(variation.uplift_percent) if variation.uplift_percent is not None else None,
        "percent_of_original": str(variation.percent_of_original),
        "change_notice_required": variation.change_notice_required,
        "status": variation.status,
    }


def may_decide(user, variation: Variation) -> bool:
    """A second person may decide: an administrator, or another commissioner of the body it was proposed for.

    Never the person who proposed it. The same rule as the confirmation of an explanation.
    """
    if getattr(user, "pk", None) is None or user.pk == variation.proposed_by_id:
        return False
    agreement = variation.agreement
    body = commissioner_body_for(variation.proposed_by, agreement) or agreement.commissioner
    return may_confirm_for(user, body)


def variation_decide(*, actor, variation: Variation, approve: bool, note: str = "") -> Variation:
    """A second person approves or rejects a proposed variation, with a note; approving applies it.

    Guarantees: only an eligible second person (:func:`may_decide`, else ``PermissionDenied``); once (a
    second decision is refused); a rejection says why. Approval is checked again against what has been
    paid and reported since it was proposed, changes the agreement's value and end, spreads a change of
    value over the unpaid instalments (never a paid one), adds an extension's returns and instalments,
    and e-mails the provider's administrators after the commit. Refused: nothing changes.
    """
    if not may_decide(actor, variation):
        raise PermissionDenied("The variation is decided by a second commissioner of the body or an administrator")
    note = (note or "").strip()
    if not approve and not note:
        raise VariationError.on("note", "Say why the variation is not approved")
    if len(note) > 2000:
        raise VariationError.on("note", "The note must be 2,000 characters or fewer")
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=variation.agreement_id)
        locked = Variation.objects.select_for_update().get(pk=variation.pk)
        if locked.status != VariationStatus.PROPOSED:
            raise VariationError.on("", f"Variation {locked.number} has already been decided")
        if approve:
            before = {"value": str(agreement.value), "ends_on": agreement.ends_on.isoformat()}
            _apply(agreement, locked)
            after = {"value": str(agreement.value), "ends_on": agreement.ends_on.isoformat()}
        else:
            before = after = {}
        locked.agreement = agreement
        locked.status = VariationStatus.APPROVED if approve else VariationStatus.REJECTED
        locked.decided_by = actor
        locked.decided_at = clock.now()
        locked.decision_note = note
        locked.save()
        audit_record(
            actor=actor,
            verb="variation.approve" if approve else "variation.reject",
            obj=agreement,
            before=before,
            after={**after, **_state(locked)},
            reason=note,
        )
        if approve:
            transaction.on_commit(lambda: notifications.variation_approved(locked))
    return locked


def _apply(agreement: Agreement, variation: Variation) -> None:
    """Apply an approved variation to the agreement and its schedule, checked again as things stand now."""
    errors: dict[str, list[str]] = {}
    change = variation.value_change
    if change:
        _value_problems(agreement, agreement.value + change, errors, "")
    if variation.new_ends_on:
        problems: dict[str, list[str]] = {}
        _term_problems(agreement, variation.new_ends_on, problems)
        if problems:
            errors[""] = ["The new end date no longer fits what has been paid or reported: propose it again"]
    if errors:
        raise VariationError(errors)
    old_end = agreement.ends_on
    extended = variation.new_ends_on is not None and variation.new_ends_on > old_end
    accepted = agreement.status == AgreementStatus.ACCEPTED
    if accepted:
        if extended:
            _extend_returns(agreement, old_end, variation.new_ends_on)
        if extended and change > 0:
            _add_instalments(agreement, change, old_end + timedelta(days=1), variation.new_ends_on)
        elif change:
            _spread(agreement, change)
    agreement.value += change
    if variation.new_ends_on:
        agreement.ends_on = variation.new_ends_on
    agreement.save(update_fields=["value", "ends_on", "updated_at"])


def shares_of(amounts: list[Decimal], change: Decimal) -> list[Decimal]:
    """``change`` split over ``amounts`` in proportion to them, in pence; the last takes what rounding leaves.

    The shares add up to ``change`` exactly, so the schedule still adds up to the value.
    """
    total = sum(amounts, Decimal(0))
    shares = [(change * amount / total).quantize(PENNY, rounding=ROUND_HALF_UP) for amount in amounts[:-1]]
    shares.append(change - sum(shares, Decimal(0)))
    return shares


def _spread(agreement: Agreement, change: Decimal) -> None:
    """Spread a change of value over the unpaid instalments in proportion to them; a paid one never changes.

    With nothing left unpaid, an increase is one more instalment, due now. Refused when a decrease would
    leave an unpaid instalment at £0 or less.
    """
    unpaid = list(agreement.payments.select_for_update().filter(paid_on__isnull=True).order_by("number"))
    if not unpaid:
        if change > 0:
            _add_instalments(agreement, change, clock.today(), clock.today())
            return
        raise VariationError.on("", "Every instalment has been paid, so the value cannot be reduced")
    shares = shares_of([p.amount for p in unpaid], change)
    for payment, share in zip(unpaid, shares, strict=True):
        if payment.amount + share <= 0:
            raise VariationError.on("", "That would leave an unpaid instalment at £0 or less: reduce the value by less")
        payment.amount += share
    Payment.objects.bulk_update(unpaid, ["amount"])


def _add_instalments(agreement: Agreement, amount: Decimal, starts_on: date, ends_on: date) -> None:
    """Instalments paying ``amount`` over a new stretch of the term, on the agreement's interval and basis."""
    after = agreement.payments.aggregate(top=Max("number"))["top"] or 0
    Payment.objects.bulk_create(
        Payment(agreement=agreement, number=after + item.number, due_on=item.due_on, amount=item.amount)
        for item in monitoring.payment_schedule(
            amount, starts_on, ends_on, agreement.payment_interval_months, agreement.payment_basis
        )
    )


def _extend_returns(agreement: Agreement, old_end: date, new_end: date) -> None:
    """The returns for an extension's months, at the plan's frequency, numbered after the others."""
    values = monitoring_settings()
    closures = closure_days()
    after = agreement.returns.aggregate(top=Max("number"))["top"] or 0
    MonitoringReturn.objects.bulk_create(
        MonitoringReturn(
            agreement=agreement,
            number=after + period.number,
            period_start=period.start,
            period_end=period.end,
            due_on=monitoring.return_due_on(period.end, int(values["return_due_working_days"]), closures),
        )
        for period in monitoring.periods(old_end + timedelta(days=1), new_end, agreement.returns_per_year)
    )
