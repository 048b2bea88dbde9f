"""The pipeline's timeline: plans by the quarter they are expected to be advertised, per body."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from markupsafe import Markup

from commissioning.core.charts import ChartRow, bar_chart, shown_with_unit

# The timeline shows this quarter and the next seven: two years of expected adverts.
QUARTERS_SHOWN = 8
QUARTER_MONTHS = {1: "January to March", 2: "April to June", 3: "July to September", 4: "October to December"}


@dataclass(frozen=True)
class QuarterRow:
    """One body's plans in one quarter."""

    quarter: str
    body: str
    plans: int
    value: Decimal


@dataclass(frozen=True)
class Timeline:
    rows: list[QuarterRow]
    count_chart: Markup
    value_chart: Markup
    totals: list[tuple[str, int, Decimal]]


def quarters_from(today: date) -> list[tuple[date, date]]:
    """The quarters the timeline shows, as (first day, last day): this calendar quarter and the next seven."""
    first_month = 3 * ((today.month - 1) // 3) + 1
    found = []
    for n in range(QUARTERS_SHOWN):
        months = first_month - 1 + 3 * n
        start = date(today.year + months // 12, months % 12 + 1, 1)
        months += 3
        found.append((start, date(today.year + months // 12, months % 12 + 1, 1) - timedelta(days=1)))
    return found


def quarter_label(year: int, quarter: int) -> str:
    """A calendar quarter in words: "January to March 2027"."""
    return f"{QUARTER_MONTHS[quarter]} {year}"


def _label(first_day: date) -> str:
    return quarter_label(first_day.year, (first_day.month - 1) // 3 + 1)


def timeline_of(grouped: list[dict], quarters: list[tuple[date, date]]) -> Timeline:
    """The timeline from ``selectors.timeline``'s rows for ``quarters``: a table row per quarter and body,
    and two charts (plans per quarter, expected value per quarter), each with every figure also in the table."""
    rows = [QuarterRow(_label(quarters[r["quarter"]][0]), r["body"], r["plans"], Decimal(r["value"])) for r in grouped]
    totals: dict[str, tuple[int, Decimal]] = {}
    for row in rows:
        plans, value = totals.get(row.quarter, (0, Decimal(0)))
        totals[row.quarter] = (plans + row.plans, value + row.value)
    listed = [(quarter, plans, value) for quarter, (plans, value) in totals.items()]
    count_chart = bar_chart(
        [ChartRow(q, n, f"{n} plan{'s' if n != 1 else ''}") for q, n, _v in listed],
        title="Plans expected to be advertised, by quarter",
    )
    value_chart = bar_chart(
        [ChartRow(q, v, shown_with_unit(v, "£")) for q, _n, v in listed],
        title="Expected value of the plans, by quarter of advert",
    )
    return Timeline(rows=rows, count_chart=count_chart, value_chart=value_chart, totals=listed)
