"""An agreement's value against the Consumer Prices Index, and the CPI figures administrators keep.

CPI 12-month rates (ONS series D7G7) are reference data: the hub ships with the published figures and
administrators add each new one, or correct one, with its source. A year's figure is its annual
average; for a year without one yet (the current year), the latest month's rate published stands in
for it, and the page says so.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from markupsafe import Markup

from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.charts import ChartRow, bar_chart
from commissioning.core.errors import RefusedError

from . import monitoring
from .models import Agreement, InflationRate

SERIES = "D7G7"
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class InflationError(RefusedError):
    """A CPI figure the rules refuse, with messages per field."""


@dataclass(frozen=True)
class YearRate:
    year: int
    rate: Decimal
    basis: str  # "annual average" or "12 months to July"


def rates_by_year(series: str = SERIES) -> dict[int, YearRate]:
    """Each year's CPI rate: its annual average, or for a year without one the latest month's rate."""
    annual: dict[int, YearRate] = {}
    monthly: dict[int, YearRate] = {}
    for row in InflationRate.objects.filter(series=series).order_by("year", "month"):
        if row.month is None:
            annual[row.year] = YearRate(row.year, row.rate, "annual average")
        else:
            monthly[row.year] = YearRate(row.year, row.rate, f"12 months to {MONTHS[row.month - 1]}")
    return {**monthly, **annual}


def _pounds(amount: Decimal) -> str:
    return f"£{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


@dataclass(frozen=True)
class ValueYear:
    year: int
    rate: YearRate | None
    cash: Decimal
    real: Decimal


@dataclass(frozen=True)
class AgainstInflation:
    """An agreement's yearly value in each year since it started, said in its first year's pounds."""

    start_year: int
    latest_year: int
    annual: Decimal
    rows: list[ValueYear]
    sentence: str
    uplift_percent: Decimal
    chart: Markup


def against_inflation(agreement: Agreement, original_value: Decimal, today: date | None = None) -> AgainstInflation:
    """The agreement's value a year since it started, in its start year's pounds, and the uplift to restore it.

    The years run from the start to this year or the end's, whichever is sooner (never past a year
    without a CPI figure: none is made up). The uplift is what would take the yearly value now back to
    what the original yearly value bought in the start year, in per cent (0 when it has kept its value).
    """
    today = today or clock.today()
    rates = rates_by_year()
    start_year = agreement.starts_on.year
    annual = monitoring.annual_value(agreement.value, agreement.starts_on, agreement.ends_on)
    original_annual = monitoring.annual_value(original_value, agreement.starts_on, agreement.ends_on)
    plain = {year: item.rate for year, item in rates.items()}
    rows = [ValueYear(start_year, rates.get(start_year), annual, annual)]
    for year in range(start_year + 1, min(today.year, agreement.ends_on.year) + 1):
        if year not in plain:
            break
        rows.append(ValueYear(year, rates[year], annual, monitoring.real_terms(annual, start_year, year, plain)))
    latest = rows[-1].year
    if latest == start_year:
        sentence = f"{_pounds(annual)} a year since {start_year}: there are no CPI figures for the years since yet"
        percent = Decimal(0)
    else:
        sentence = f"{_pounds(annual)} a year since {start_year} is {_pounds(rows[-1].real)} in {start_year} pounds"
        needed = monitoring.uplift_to_keep_value(original_annual, start_year, latest, plain)
        percent = max(Decimal(0), (needed / annual - 1) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    chart = bar_chart(
        [ChartRow(str(row.year), row.real, _pounds(row.real)) for row in rows],
        title=f"The value a year in {start_year} pounds",
        description=f"{sentence}. "
        + "; ".join(f"{row.year}: {_pounds(row.real)} in {start_year} pounds" for row in rows),
    )
    return AgainstInflation(start_year, latest, annual, rows, sentence, percent, chart)


def _checked(year, month, rate, source) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = clock.today()
    lowest, highest = (Decimal(str(n)) for n in settings.CONTRACTS["cpi_rate_range"])
    if year is None:
        errors["year"] = ["Enter the year"]
    elif year > today.year:
        errors["year"] = ["The year cannot be in the future"]
    elif year < int(settings.INPUT_EARLIEST_YEAR):
        errors["year"] = [f"The year must be {settings.INPUT_EARLIEST_YEAR} or later"]
    if month is not None and not 1 <= month <= 12:
        errors["month"] = ["The month must be from 1 to 12, or empty for the annual average"]
    elif month is not None and year == today.year and month > today.month:
        errors["month"] = ["The month cannot be in the future"]
    if rate is None:
        errors["rate"] = ["Enter the rate in per cent, like 2.9"]
    elif not lowest <= rate <= highest:
        errors["rate"] = [f"The rate must be between {lowest}% and {highest}%"]
    if not (source or "").strip():
        errors["source"] = ["Say where the figure was published"]
    return errors


def _require_administrator(actor) -> None:
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied("Only administrators keep the CPI figures")


def inflation_rate_add(*, actor, year: int | None, month: int | None, rate: Decimal | None, source: str):
    """An administrator adds a published CPI figure: a year's annual average (no month) or one month's.

    Guarantees: administrators only; the year not in the future, the month 1 to 12 or empty, the rate
    within the set range, its source given; one figure per year and month (a duplicate is refused on
    its field: correct the one there instead). Audited.
    """
    _require_administrator(actor)
    errors = _checked(year, month, rate, source)
    if errors:
        raise InflationError(errors)
    with transaction.atomic():
        if InflationRate.objects.select_for_update().filter(series=SERIES, year=year, month=month).exists():
            field = "month" if month is not None else "year"
            raise InflationError.on(field, "There is a figure for that period already: correct it instead")
        made = InflationRate.objects.create(
            series=SERIES, year=year, month=month, rate=rate, source=(source or "").strip()
        )
        audit_record(actor=actor, verb="inflation_rate.add", obj=made, after=_state(made))
    return made


def inflation_rate_correct(*, actor, figure: InflationRate, rate: Decimal | None, source: str) -> InflationRate:
    """An administrator corrects a CPI figure's rate and source; what it was is kept in the audit log."""
    _require_administrator(actor)
    errors = {k: v for k, v in _checked(figure.year, figure.month, rate, source).items() if k in ("rate", "source")}
    if errors:
        raise InflationError(errors)
    with transaction.atomic():
        locked = InflationRate.objects.select_for_update().get(pk=figure.pk)
        before = _state(locked)
        locked.rate = rate
        locked.source = (source or "").strip()
        locked.save()
        audit_record(actor=actor, verb="inflation_rate.correct", obj=locked, before=before, after=_state(locked))
    return locked


def _state(figure: InflationRate) -> dict:
    return {"year": figure.year, "month": figure.month, "rate": str(figure.rate), "source": figure.source}
