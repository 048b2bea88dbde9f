"""Accessible SVG charts drawn on the server: no script, a title and description, and always a table beside.

:func:`bar_chart` draws horizontal bars for labelled values; the page puts the same figures in a table
next to it, so nothing is only in the picture. Values are drawn to scale against the largest.
"""

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
BAR_WIDTH = 300
VALUE_WIDTH = 110


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: Decimal | int
    shown: str  # the value as the table and the bar's end say it ("fewer than 5", "£32,240")


def shown_with_unit(value: Decimal | int, unit: str = "") -> str:
    """A value as a chart and its table say it: "£1,250.00", "6.7%", "12 people", "1,204"."""
    if unit == "£":
        sign = "-" if value < 0 else ""
        return f"{sign}£{abs(Decimal(value)):,.2f}"
    if unit == "%":
        return f"{value:,}%"
    return f"{value:,} {unit}" if unit else f"{value:,}"


def _rows(rows: list, unit: str) -> list[ChartRow]:
    return [
        row if isinstance(row, ChartRow) else ChartRow(str(row[0]), row[1], shown_with_unit(row[1], unit))
        for row in rows
    ]


def bar_chart(
    rows: list[ChartRow] | list[tuple[str, Decimal | int]],
    *,
    title: str,
    unit: str = "",
    description: str | None = None,
) -> Markup:
    """Horizontal bars for ``rows`` (``ChartRow`` or ``(label, value)`` pairs, shown with ``unit``), with
    ``title`` and ``description`` read by screen readers (the description lists every value unless given).

    A negative value is drawn to the same scale in red, its figure saying the minus sign.
    """
    rows = _rows(rows, unit)
    if description is None:
        description = f"{title}: " + "; ".join(f"{row.label} {row.shown}" for row in rows)
    largest = max((abs(Decimal(row.value)) for row in rows), default=Decimal(0)) or Decimal(1)
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg class="app-chart" role="img" aria-labelledby="{_id(title)}-t {_id(title)}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_id(title)}-t">{escape(title)}</title>',
        f'<desc id="{_id(title)}-d">{escape(description)}</desc>',
    ]
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        length = int(Decimal(BAR_WIDTH) * abs(Decimal(row.value)) / largest) if row.value else 0
        fill = "#d4351c" if row.value < 0 else "#1d70b8"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" font-size="14" fill="#0b0c0c">'
            f"{escape(_short(row.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(length, 1 if row.value else 0)}" height="{BAR_HEIGHT}" '
            f'fill="{fill}"/>'
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}" font-size="14" fill="#0b0c0c">'
            f"{escape(row.shown)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(label: str, limit: int = 32) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _id(title: str) -> str:
    return "chart-" + "".join(ch if ch.isalnum() else "-" for ch in title.lower())[:60]
