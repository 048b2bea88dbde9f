"""A commissioning body's payments compliance figures for a six-month reporting period (Procurement Act s69).

What a payments compliance notice carries (Procurement Regulations 2024, reg 38): the period's dates; the
average number of days to pay the invoices paid in it; the shares paid within 30 days, in 31 to 60 days and
in 61 days or more; and the share of the sums that fell due in the period but were not paid in it. Days run
from a valid invoice's receipt: an invoice the body disputes (and has told the provider why) counts from
the valid one that replaces it, and not at all while it is disputed (s68 does not apply to it). The notice
is published within 30 days of the period's end. The bands, terms and days are settings.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from . import monitoring
from .models import Agreement, Payment
from .payments import Timeliness, reporting_period, timeliness
from .services import payment_terms_days


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def key(self) -> str:
        return self.start.isoformat()

    @property
    def publish_by(self) -> date:
        return self.end + timedelta(days=int(settings.CONTRACTS["compliance_publish_days"]))


@dataclass(frozen=True)
class PaymentLine:
    """One invoice counted in the period: paid in it, or due in it and not paid in it."""

    reference: str  # the agreement's
    provider: str
    number: int
    invoice_reference: str
    invoice_received_on: date
    due_by: date
    paid_on: date | None
    amount: Decimal  # what was paid, or what is due
    days: int | None
    band: str
    paid_in_period: bool


@dataclass(frozen=True)
class AgreementFigures:
    reference: str
    provider: str
    timeliness: Timeliness
    unpaid_due: int


@dataclass(frozen=True)
class Compliance:
    period: Period
    timeliness: Timeliness
    due_in_period: Decimal  # the sums whose invoices fell due in the period
    due_not_paid: Decimal  # of those, what was not paid in it
    disputed: int
    lines: list[PaymentLine]
    by_agreement: list[AgreementFigures]

    @property
    def not_paid_share(self) -> Decimal | None:
        if not self.due_in_period:
            return None
        return (self.due_not_paid * 100 / self.due_in_period).quantize(Decimal("0.1"))


def periods(today: date, count: int = 6) -> list[Period]:
    """The reporting period ``today`` falls in and the ``count - 1`` before it, newest first."""
    found = []
    day = today
    for _ in range(count):
        start, end = reporting_period(day)
        found.append(Period(start, end))
        day = start - timedelta(days=1)
    return found


def _band(days: int, bands: tuple[int, int]) -> str:
    first, second = bands
    if days <= first:
        return f"1 to {first} days"
    if days <= second:
        return f"{first + 1} to {second} days"
    return f"{second + 1} days or more"


def _worst_first(figures: AgreementFigures) -> tuple:
    """Agreements with sums due and not paid first, then the slowest to pay, then by reference."""
    average = figures.timeliness.average_days
    return (-figures.unpaid_due, -(average or 0), figures.reference)


COLUMNS = (
    "agreement__reference",
    "agreement__provider__name",
    "number",
    "invoice_reference",
    "invoice_received_on",
    "paid_on",
    "amount",
    "paid_amount",
    "disputed",
)


def compliance_for(agreements: QuerySet[Agreement], period: Period) -> Compliance:
    """The figures of ``agreements``' body (or bodies) for ``period``, read in one query of payments
    (as plain rows: a large body has thousands of invoices in a period)."""
    terms = payment_terms_days()
    bands = tuple(settings.CONTRACTS["compliance_bands"])
    earliest_received = period.start - timedelta(days=terms)
    rows = (
        Payment.objects.filter(agreement__in=agreements, invoice_received_on__isnull=False)
        .filter(
            Q(paid_on__gte=period.start, paid_on__lte=period.end)
            | Q(invoice_received_on__gte=earliest_received, invoice_received_on__lte=period.end)
        )
        .order_by("agreement__reference", "number")
        .values_list(*COLUMNS)
    )
    lines: list[PaymentLine] = []
    disputed = 0
    due_total = not_paid = Decimal(0)
    per_agreement: dict[str, tuple[str, list[int], int]] = {}
    for reference, provider, number, invoice, received, paid_on, amount, paid_amount, is_disputed in rows:
        if is_disputed and not paid_on:
            disputed += 1
            continue
        due_by = received + timedelta(days=terms)
        paid_in = bool(paid_on and period.start <= paid_on <= period.end)
        due_in = period.start <= due_by <= period.end
        if not (paid_in or due_in):
            continue
        _provider, days_list, unpaid = per_agreement.get(reference, (provider, [], 0))
        days = monitoring.days_to_pay(received, paid_on) if paid_in else None
        if days is not None:
            days_list.append(days)
        missed = due_in and not (paid_on and paid_on <= period.end)
        if due_in:
            due_total += amount
            if missed:
                not_paid += amount
        per_agreement[reference] = (provider, days_list, unpaid + (1 if missed else 0))
        band = _band(days, bands) if days is not None else ("Not paid in the period" if missed else "")
        paid = paid_amount if paid_amount is not None and paid_on else amount
        lines.append(
            PaymentLine(reference, provider, number, invoice, received, due_by, paid_on, paid, days, band, paid_in)
        )
    every_day = [line.days for line in lines if line.days is not None]
    return Compliance(
        period=period,
        timeliness=timeliness(every_day, bands),
        due_in_period=due_total,
        due_not_paid=not_paid,
        disputed=disputed,
        lines=lines,
        by_agreement=sorted(
            (
                AgreementFigures(reference, provider, timeliness(days_list, bands), unpaid)
                for reference, (provider, days_list, unpaid) in per_agreement.items()
            ),
            key=_worst_first,
        ),
    )
