"""The pipeline as a CSV download: every column of the filtered plans, safe to open in a spreadsheet."""

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from .models import Plan
from .selectors import current_overlaps

COLUMNS = [
    "Reference",
    "Title",
    "What is bought or funded",
    "For whom",
    "Lead body",
    "Joint bodies",
    "Outcome area",
    "Wards",
    "Expected value (£)",
    "Funding type",
    "Expected advert",
    "Expected start",
    "Expected end",
    "Status",
    "Contact name",
    "Contact e-mail",
    "On the pipeline since",
    "Overlaps with",
]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as typed: one that would start a formula gets a leading quote."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return neutralised(str(value))


def plan_line(plan: Plan) -> list[str]:
    """One plan as a line of the CSV: ISO dates, pounds to the penny, text neutralised."""
    record = plan.record
    cells = [
        record.reference,
        record.title,
        record.summary,
        record.client_groups,
        record.lead_body.name,
        "; ".join(b.name for b in record.bodies[1:]),
        plan.service_area.name,
        "City-wide" if record.city_wide else "; ".join(w.name for w in record.wards.all()),
        record.estimated_value,
        plan.get_funding_type_display(),
        plan.expected_advert,
        record.expected_start,
        record.expected_end,
        plan.get_status_display(),
        plan.contact_name,
        plan.contact_email,
        plan.published_at.date() if plan.published_at else None,
        "; ".join(other.record.reference for _overlap, other in current_overlaps(plan)),
    ]
    return [_text(cell) for cell in cells]


def lines(plans: Iterable[Plan]) -> Iterator[list[str]]:
    """The header, then a line per plan."""
    yield COLUMNS
    for plan in plans:
        yield plan_line(plan)
