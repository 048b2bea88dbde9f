"""Payments: each instalment's invoice or claim received and its payment recorded; days to pay, on time or not.

The Procurement Act 2023 (s68) implies payment of a valid, undisputed invoice within 30 days of its
receipt (the ``CONTRACTS["payment_terms_days"]`` setting). Each payment keeps the day its invoice or
claim was received and the day it was paid, so both sides see the days it took, and a commissioning
body's record of paying on time (the figures of a payments compliance notice) is read from them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.money import MoneyError, parse_money

from . import monitoring, notifications
from .models import AgreementStatus, Payment
from .permissions import is_agreement_commissioner
from .services import payment_terms_days


class PaymentError(RefusedError):
    """A payment record the rules refuse, with messages per field."""


def _dates_checked(invoice_received_on, paid_on, errors) -> None:
    today = clock.today()
    if invoice_received_on is None:
        errors["invoice_received_on"] = ["Enter the date the invoice or claim was received"]
    elif invoice_received_on > today:
        errors["invoice_received_on"] = ["The date the invoice was received cannot be in the future"]
    if paid_on is None:
        return
    if paid_on > today:
        errors["paid_on"] = ["The date it was paid cannot be in the future"]
    elif invoice_received_on is not None and paid_on < invoice_received_on:
        errors["paid_on"] = ["The payment cannot be dated before its invoice was received"]


def _checked(payment, invoice_received_on, paid_on, paid_amount, invoice_reference):
    """The messages per field for a payment record, and the amount paid (None while unpaid)."""
    errors: dict[str, list[str]] = {}
    _dates_checked(invoice_received_on, paid_on, errors)
    amount = None
    if paid_on is not None:
        try:
            amount = parse_money(paid_amount) if paid_amount not in (None, "") else payment.amount
        except MoneyError:
            errors["paid_amount"] = ["Enter the amount paid in pounds, like 7,500.00"]
        else:
            if amount <= 0:
                errors["paid_amount"] = ["The amount paid must be more than £0"]
    if len(invoice_reference or "") > 100:
        errors["invoice_reference"] = ["The invoice reference must be 100 characters or fewer"]
    return errors, amount


def payment_record(
    *,
    actor,
    payment: Payment,
    invoice_received_on: date | None,
    paid_on: date | None = None,
    paid_amount=None,
    invoice_reference: str = "",
) -> Payment:
    """The agreement's commissioner records an instalment's invoice (or claim) received and its payment.

    Guarantees: only the agreement's commissioners, only on an accepted
    agreement; no date in the future; never a payment before its invoice was
    received; the amount paid is more than £0 and no more than is left to pay
    under the agreement; a payment already recorded is changed only by
    recording it again, audited with what it was before.
    """
    agreement = payment.agreement
    if not is_agreement_commissioner(actor, agreement):
        raise PermissionDenied("Only the agreement's commissioners record its payments")
    errors, amount = _checked(payment, invoice_received_on, paid_on, paid_amount, invoice_reference)
    if errors:
        raise PaymentError(errors)
    with transaction.atomic():
        locked = (
            Payment.objects.select_for_update(of=("self", "agreement")).select_related("agreement").get(pk=payment.pk)
        )
        if locked.agreement.status != AgreementStatus.ACCEPTED:
            raise PaymentError.on("", "Payments are recorded once the agreement is accepted")
        if amount is not None:
            others = sum(
                (p.paid_amount or p.amount for p in locked.agreement.payments.exclude(pk=locked.pk) if p.paid_on),
                Decimal(0),
            )
            if others + amount > locked.agreement.value:
                raise PaymentError.on("paid_amount", "That would pay more than the agreement's value: check the amount")
        before = _state(locked)
        locked.invoice_received_on = invoice_received_on
        locked.invoice_reference = (invoice_reference or "").strip()
        locked.paid_on = paid_on
        locked.paid_amount = amount
        locked.recorded_by = actor
        locked.recorded_at = clock.now()
        locked.save()
        audit_record(actor=actor, verb="payment.record", obj=locked.agreement, before=before, after=_state(locked))
    return locked


def payment_dispute(*, actor, payment: Payment, reason: str) -> Payment:
    """The commissioner disputes an instalment's invoice or claim, and the provider is told why.

    Guarantees: only the agreement's commissioners; only an invoice received and not yet paid, not
    already disputed; a reason, which the provider's administrators are e-mailed (s68 asks that the
    supplier is told without undue delay). While disputed the invoice is not late and is left out of the
    body's payment figures.
    """
    if not is_agreement_commissioner(actor, payment.agreement):
        raise PermissionDenied("Only the agreement's commissioners dispute its invoices")
    reason = (reason or "").strip()
    if not reason:
        raise PaymentError.on("reason", "Say why the invoice or claim is disputed: the provider is told")
    with transaction.atomic():
        locked = (
            Payment.objects.select_for_update(of=("self", "agreement", "agreement__provider"))
            .select_related("agreement__provider")
            .get(pk=payment.pk)
        )
        if locked.invoice_received_on is None:
            raise PaymentError.on("reason", "Record the invoice or claim received before disputing it")
        if locked.paid_on is not None:
            raise PaymentError.on("reason", "This instalment is paid: an invoice paid cannot be disputed")
        if locked.disputed:
            raise PaymentError.on("reason", "This invoice is already disputed")
        before = _state(locked)
        locked.disputed, locked.dispute_reason = True, reason
        locked.save(update_fields=["disputed", "dispute_reason"])
        audit_record(actor=actor, verb="payment.dispute", obj=locked.agreement, before=before, after=_state(locked))
        agreement = locked.agreement
        transaction.on_commit(lambda: notifications.invoice_disputed(agreement, locked.number, reason))
    return locked


def payment_dispute_settle(*, actor, payment: Payment, valid_invoice_received_on: date | None) -> Payment:
    """The dispute is settled: the day the valid (corrected) invoice or claim was received, from which the
    days to pay now run. Never in the future, nor before the disputed invoice was received."""
    if not is_agreement_commissioner(actor, payment.agreement):
        raise PermissionDenied("Only the agreement's commissioners settle disputes over its invoices")
    with transaction.atomic():
        locked = (
            Payment.objects.select_for_update(of=("self", "agreement")).select_related("agreement").get(pk=payment.pk)
        )
        if not locked.disputed:
            raise PaymentError.on("valid_invoice_received_on", "This invoice is not disputed")
        if valid_invoice_received_on is None:
            raise PaymentError.on("valid_invoice_received_on", "Enter the date the valid invoice or claim was received")
        if valid_invoice_received_on > clock.today():
            raise PaymentError.on("valid_invoice_received_on", "The date cannot be in the future")
        if valid_invoice_received_on < locked.invoice_received_on:
            raise PaymentError.on(
                "valid_invoice_received_on", "The valid invoice cannot be dated before the disputed one was received"
            )
        before = _state(locked)
        locked.disputed = False
        locked.invoice_received_on = valid_invoice_received_on
        locked.save(update_fields=["disputed", "invoice_received_on"])
        audit_record(actor=actor, verb="payment.settle", obj=locked.agreement, before=before, after=_state(locked))
    return locked


def _state(payment: Payment) -> dict:
    return {
        "payment": payment.number,
        "invoice_received_on": payment.invoice_received_on.isoformat() if payment.invoice_received_on else None,
        "paid_on": payment.paid_on.isoformat() if payment.paid_on else None,
        "paid_amount": str(payment.paid_amount) if payment.paid_amount is not None else None,
        "disputed": payment.disputed,
        "dispute_reason": payment.dispute_reason,
    }


@dataclass(frozen=True)
class PaymentStanding:
    """How one instalment stands, as both sides see it."""

    payment: Payment
    days: int | None
    on_time: bool | None
    late_now: bool
    due_by: date | None


def standing(payment: Payment, today: date, terms: int | None = None) -> PaymentStanding:
    """Days to pay and whether within the terms; whether an unpaid invoice is already past them."""
    terms = payment_terms_days() if terms is None else terms
    received = payment.invoice_received_on
    due_by = received + timedelta(days=terms) if received else None
    if payment.disputed and not payment.paid_on:
        return PaymentStanding(payment, None, None, False, None)
    if payment.paid_on and received:
        days = monitoring.days_to_pay(received, payment.paid_on)
        return PaymentStanding(payment, days, days <= terms, False, due_by)
    return PaymentStanding(payment, None, None, bool(due_by and today > due_by), due_by)


@dataclass(frozen=True)
class Timeliness:
    """A body's record of paying on time over a period: the figures of a payments compliance notice."""

    paid: int
    average_days: Decimal | None
    within_30: Decimal | None
    within_31_60: Decimal | None
    over_60: Decimal | None


def timeliness(days_taken: list[int], bands: tuple[int, int] = (30, 60)) -> Timeliness:
    """Average days to pay and the shares (%) paid within the first band, up to the second, and beyond.

    The bands are the payments compliance notice's (1-30, 31-60, 61 or more days; Procurement
    Regulations 2024, reg 38), from the ``CONTRACTS["compliance_bands"]`` setting. One decimal place.
    """
    first, second = bands
    if not days_taken:
        return Timeliness(0, None, None, None, None)
    count = Decimal(len(days_taken))

    def share(n: int) -> Decimal:
        return (Decimal(n) * 100 / count).quantize(Decimal("0.1"))

    return Timeliness(
        paid=len(days_taken),
        average_days=(Decimal(sum(days_taken)) / count).quantize(Decimal("0.1")),
        within_30=share(sum(1 for d in days_taken if d <= first)),
        within_31_60=share(sum(1 for d in days_taken if first < d <= second)),
        over_60=share(sum(1 for d in days_taken if d > second)),
    )


def reporting_period(day: date) -> tuple[date, date]:
    """The six-month payments reporting period ``day`` falls in: 1 April to 30 September, or 1 October to 31 March."""
    if 4 <= day.month <= 9:
        return date(day.year, 4, 1), date(day.year, 9, 30)
    start_year = day.year if day.month >= 10 else day.year - 1
    return date(start_year, 10, 1), date(start_year + 1, 3, 31)


def body_timeliness(agreements, start: date, end: date) -> Timeliness:
    """How promptly the payments made in ``start``..``end`` under ``agreements`` were paid, from their invoices."""
    rows = Payment.objects.filter(
        agreement__in=agreements, paid_on__gte=start, paid_on__lte=end, invoice_received_on__isnull=False
    ).values_list("invoice_received_on", "paid_on")
    bands = tuple(settings.CONTRACTS["compliance_bands"])
    return timeliness([monitoring.days_to_pay(received, paid) for received, paid in rows], bands)
