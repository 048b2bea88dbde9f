"""The pure calculations of contract management: no database, property-tested.

- :func:`tier_for`: the monitoring tier from the annual value and the risk rating (CM-1's settings).
- :func:`periods`: the reporting periods over a term, and :func:`return_due_on` the day each return is due.
- :func:`payment_schedule`: the instalments of a value over a term, in advance or in arrears.
- :func:`days_to_pay` and :func:`paid_within`: how long an invoice took to pay, against the terms.
- :func:`real_terms`: what an amount paid now is worth in the pounds of an earlier year, by CPI.
- :func:`change_notice_needed`: whether a variation needs a contract change notice (Procurement Act s75).

Every figure comes in as an argument (the rule's settings, the reference
data, the Django settings): none is written here.
"""

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from commissioning.core.workdays import add_working_days

from .models import PaymentBasis, Risk, Tier

TIERS = (Tier.LIGHT, Tier.STANDARD, Tier.ENHANCED)
PENNY = Decimal("0.01")


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept within the month it lands in (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_years(starts_on: date, ends_on: date) -> Decimal:
    """The term in years (at least one month's worth), counting the last day: 1 April to 31 March is 1."""
    days = (ends_on - starts_on).days + 1
    return max(Decimal(days) / Decimal("365.25"), Decimal(1) / 12)


def annual_value(value: Decimal, starts_on: date, ends_on: date) -> Decimal:
    """The value a year: the whole value spread over the term, never more than the whole value."""
    years = term_years(starts_on, ends_on)
    return min(value, (value / years).quantize(PENNY, rounding=ROUND_HALF_UP)) if years > 1 else value


def tier_for(annual: Decimal, risk: str, settings: Mapping) -> Tier:
    """The monitoring tier for an annual value and a risk rating, by CM-1's settings.

    The value sets the tier (up to ``light_tier_up_to`` light, up to
    ``standard_tier_up_to`` standard, above that enhanced); a high risk raises
    it by ``high_risk_raises_tiers``, never above enhanced. A low or medium
    risk leaves it where the value put it.
    """
    if annual <= Decimal(settings["light_tier_up_to"]):
        index = 0
    elif annual <= Decimal(settings["standard_tier_up_to"]):
        index = 1
    else:
        index = 2
    if risk == Risk.HIGH:
        index += int(settings["high_risk_raises_tiers"])
    return TIERS[min(index, len(TIERS) - 1)]


@dataclass(frozen=True)
class TierAllowance:
    """What a tier allows: returns a year and measures; and what the value asks (spend, evidence for claims)."""

    tier: Tier
    returns_per_year: int
    measures: int
    spend_reported: bool
    claims_need_evidence: bool


def allowance_for(tier: str, value: Decimal, settings: Mapping) -> TierAllowance:
    """The returns a year and the measures a tier allows, and whether spend and evidence for claims are asked."""
    tier = Tier(tier)
    return TierAllowance(
        tier=tier,
        returns_per_year=int(settings[f"returns_per_year_{tier.value}"]),
        measures=int(settings[f"measures_{tier.value}"]),
        spend_reported=value > Decimal(settings["spend_reported_over"]),
        claims_need_evidence=value > Decimal(settings["claims_evidence_over"]),
    )


@dataclass(frozen=True)
class Period:
    number: int
    start: date
    end: date


def periods(starts_on: date, ends_on: date, per_year: int) -> list[Period]:
    """The reporting periods of a term, ``per_year`` a year (12 divided by it, in whole months)."""
    if per_year < 1:
        raise ValueError("At least one return a year")
    return periods_of_months(starts_on, ends_on, max(12 // per_year, 1))


def periods_of_months(starts_on: date, ends_on: date, months: int) -> list[Period]:
    """The periods of ``months`` months that cover a term, the last cut short at the term's end.

    Each period starts a whole number of months after the term's start,
    counted from the start (not from the period before, so 31 January's
    periods do not drift to the 28th), and ends the day before the next.
    Together they cover every day of the term once. ``months`` of 0 is one
    period: the whole term.
    """
    if ends_on < starts_on:
        raise ValueError("The term ends before it starts")
    if months <= 0:
        return [Period(1, starts_on, ends_on)]
    result: list[Period] = []
    start = starts_on
    number = 1
    while start <= ends_on:
        following = add_months(starts_on, months * number)
        result.append(Period(number, start, min(following - timedelta(days=1), ends_on)))
        start = following
        number += 1
    return result


def return_due_on(period_end: date, working_days: int, closures: Iterable[date] = ()) -> date:
    """The day a period's return is due: the set number of working days after the period ends."""
    return add_working_days(period_end, working_days, closures)


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: date
    amount: Decimal
    period_start: date
    period_end: date


def payment_schedule(
    value: Decimal, starts_on: date, ends_on: date, interval_months: int, basis: str
) -> list[Instalment]:
    """The instalments that pay ``value`` over the term, every ``interval_months`` (0: one payment).

    In advance, each is due on its period's first day; in arrears, on the day
    after its period ends (the claim for it can then be made). The value is
    split evenly in pence; what is left over goes on the last instalment, so
    the instalments add up to the value exactly.
    """
    if value <= 0:
        raise ValueError("A schedule pays a positive value")
    spans = periods_of_months(starts_on, ends_on, interval_months)
    share = (value / len(spans)).quantize(PENNY, rounding=ROUND_HALF_UP)
    amounts = [share] * (len(spans) - 1)
    amounts.append(value - sum(amounts, Decimal(0)))
    if share <= 0 or amounts[-1] <= 0:  # so many instalments of so little that rounding ate some: pay it in one
        return [Instalment(1, _due(starts_on, ends_on, basis), value, starts_on, ends_on)]
    return [
        Instalment(span.number, _due(span.start, span.end, basis), amount, span.start, span.end)
        for span, amount in zip(spans, amounts, strict=True)
    ]


def _due(start: date, end: date, basis: str) -> date:
    return start if basis == PaymentBasis.ADVANCE else end + timedelta(days=1)


def days_to_pay(invoice_received_on: date, paid_on: date) -> int:
    """Calendar days from the invoice or claim reaching the commissioner to the payment."""
    if paid_on < invoice_received_on:
        raise ValueError("A payment cannot be made before its invoice was received")
    return (paid_on - invoice_received_on).days


def paid_within(invoice_received_on: date, paid_on: date, terms_days: int) -> bool:
    """Paid within ``terms_days`` of the invoice (Procurement Act s68 implies 30)."""
    return days_to_pay(invoice_received_on, paid_on) <= terms_days


def price_factor(from_year: int, to_year: int, rates: Mapping[int, Decimal]) -> Decimal:
    """How much prices rose from ``from_year`` to ``to_year``: the product of (1 + rate) over the years after the first.

    ``rates`` maps each year to its CPI 12-month rate in per cent. A year
    missing from ``rates`` raises KeyError: no figure is made up.
    """
    factor = Decimal(1)
    for year in range(from_year + 1, to_year + 1):
        factor *= 1 + Decimal(rates[year]) / 100
    return factor


def real_terms(amount: Decimal, from_year: int, to_year: int, rates: Mapping[int, Decimal]) -> Decimal:
    """``amount`` in ``to_year``'s pounds, said in ``from_year``'s pounds (to the nearest pound)."""
    return (Decimal(amount) / price_factor(from_year, to_year, rates)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def uplift_to_keep_value(amount: Decimal, from_year: int, to_year: int, rates: Mapping[int, Decimal]) -> Decimal:
    """The yearly amount that would buy in ``to_year`` what ``amount`` bought in ``from_year``."""
    return (Decimal(amount) * price_factor(from_year, to_year, rates)).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ChangeNotice:
    required: bool
    reason: str


def change_notice_needed(
    *,
    original_value: Decimal,
    value_changes: Decimal,
    original_days: int,
    term_change_days: int,
    light_touch: bool,
    above_threshold: bool,
    material_scope_change: bool,
    settings: Mapping,
) -> ChangeNotice:
    """Whether a contract change notice must be published before a variation (Procurement Act 2023 s74-75).

    ``value_changes`` is the cumulative change of value (this variation's and
    every earlier approved one's), since changes that should have been
    combined are counted together. ``settings`` holds ``value_percent`` and
    ``term_percent`` (10 and 10 for goods and services). A light-touch
    contract, a contract below the threshold and a grant never need one.
    """
    if light_touch:
        return ChangeNotice(False, "Light-touch contracts do not need a change notice")
    if not above_threshold:
        return ChangeNotice(False, "Below the threshold: the agreement may be modified without a change notice")
    reasons = []
    if original_value > 0:
        share = abs(Decimal(value_changes)) * 100 / Decimal(original_value)
        if share > Decimal(settings["value_percent"]):
            reasons.append(f"the value changes by {share:.1f}% of the original, over {settings['value_percent']}%")
    if original_days > 0:
        share = Decimal(abs(term_change_days)) * 100 / Decimal(original_days)
        if share > Decimal(settings["term_percent"]):
            reasons.append(f"the term changes by {share:.1f}% of the original, over {settings['term_percent']}%")
    if material_scope_change:
        reasons.append("the scope changes materially")
    if reasons:
        return ChangeNotice(True, "A change notice is needed before the change: " + "; ".join(reasons))
    return ChangeNotice(False, "Within the limits: no change notice is needed")
