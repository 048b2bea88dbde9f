"""A return as its pages and the API read it: KPIs against targets, spend, people reached and breakdowns.

Counts are shown as they are to the provider and the agreement's own commissioners; to anyone else
(another funder of the provider, the public) each is suppressed below the set threshold.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from commissioning.core.charts import ChartRow, bar_chart
from commissioning.core.geography import leeds_wards
from commissioning.core.money import format_money

from .returns import CHARACTERISTIC_LABELS, categories, communities
from .suppression import suppressed, threshold


@dataclass
class BreakdownTable:
    heading: str
    rows: list[tuple[str, str]]
    total: str
    chart: str = ""


@dataclass
class ReturnReading:
    measures: list[dict] = field(default_factory=list)
    spend: dict = field(default_factory=dict)
    people_reached: str = ""
    tables: list[BreakdownTable] = field(default_factory=list)


def _shown(count: int, suppress: bool) -> str:
    return suppressed(count) if suppress else f"{count:,}"


def _table(heading: str, pairs: list[tuple[str, int]], suppress: bool, *, chart: bool = True) -> BreakdownTable:
    rows = [(label, _shown(count, suppress)) for label, count in pairs]
    drawn = ""
    if chart and pairs:
        shown = [
            ChartRow(label, 0 if suppress and 0 < count < threshold() else count, text)
            for (label, count), (_, text) in zip(pairs, rows, strict=True)
        ]
        drawn = bar_chart(
            shown, title=heading, description=f"{heading}: " + "; ".join(f"{label} {text}" for label, text in rows)
        )
    return BreakdownTable(heading, rows, _shown(sum(c for _, c in pairs), suppress), drawn)


def reading(monitoring_return, *, suppress: bool = False) -> ReturnReading:
    """What a submitted return says, table by table, with a chart beside each breakdown."""
    result = ReturnReading()
    for measure in monitoring_return.measures or []:
        target, actual = Decimal(measure["target"]), Decimal(measure["actual"] or 0)
        result.measures.append({**measure, "met": actual >= target})
    spend = monitoring_return.spend or {}
    if spend:
        result.spend = {
            "budget": format_money(spend.get("budget")),
            "actual": format_money(spend.get("actual")),
            "note": spend.get("note", ""),
        }
    if monitoring_return.people_reached is not None:
        result.people_reached = _shown(monitoring_return.people_reached, suppress)
    breakdowns = monitoring_return.breakdowns or {}
    if "ward" in breakdowns:
        names = {w.code: w.name for w in leeds_wards()}
        pairs = [
            (names.get(code, code), n)
            for code, n in sorted(breakdowns["ward"].items(), key=lambda i: names.get(i[0], i[0]))
            if n
        ]
        result.tables.append(_table("People reached by ward", pairs, suppress))
    for characteristic, counts in (breakdowns.get("characteristic") or {}).items():
        labels = {c.key: c.label for c in categories().get(characteristic, [])}
        pairs = [(labels.get(key, key), counts[key]) for key in labels if key in counts]
        heading = f"People reached by {CHARACTERISTIC_LABELS.get(characteristic, characteristic).lower()}"
        result.tables.append(_table(heading, pairs, suppress))
    if "community" in breakdowns:
        labels = {c.key: c.label for c in communities()}
        pairs = [(labels.get(key, key), n) for key, n in breakdowns["community"].items() if n]
        result.tables.append(_table("People reached in communities of interest (they may overlap)", pairs, suppress))
    return result
