"""The public contracts register: every issued or accepted agreement, never a draft.

The fields are those the Local Government Transparency Code 2015 asks a council to publish for each
contract (reference, title, department, description, supplier and its registration number, value,
irrecoverable VAT, start, end and review dates, whether it followed a published invitation to tender,
and whether the supplier is a VCSE or small organisation), with the commissioning body and the kind of
agreement. The page, the CSV download and the API read the same rows.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO

from django.db.models import Q, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from commissioning.accounts.models import THIRD_SECTOR_FORMS, Organisation, Side
from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.sizebands import SizeBand

from .models import Agreement, AgreementStatus, Origin

PUBLISHED = (AgreementStatus.ISSUED, AgreementStatus.ACCEPTED)
SMALL_BANDS = {SizeBand.MICRO, SizeBand.SMALL}


# The agreement's text the register never shows: left out of its rows, so a page of a large register does
# not sort and carry every agreement's whole document.
NOT_PUBLISHED = (
    "document",
    "special_conditions",
    "compact_clause",
    "extension_terms",
    "outcomes",
    "risk_reason",
    "coordination_note",
    "breakdowns",
)


@dataclass(frozen=True)
class RegisterFilter:
    query: str = ""
    body: str = ""  # a commissioning body's slug
    supplier: str = ""  # a provider's slug
    kind: str = ""
    live: str = ""  # "live", "ended" or "" for both


def register_rows(filters: RegisterFilter = RegisterFilter()) -> QuerySet[Agreement]:
    """The register's agreements, newest first, with the parties and their identifiers in a fixed number of queries."""
    found = Agreement.objects.filter(status__in=PUBLISHED)
    words = filters.query.strip()
    if words:
        found = found.filter(
            Q(reference__icontains=words)
            | Q(title__icontains=words)
            | Q(description__icontains=words)
            | Q(provider__name__icontains=words)
        )
    if filters.body:
        found = found.filter(commissioner__slug=filters.body)
    if filters.supplier:
        found = found.filter(provider__slug=filters.supplier)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    today = clock.today()
    if filters.live == "live":
        found = found.filter(ends_on__gte=today)
    elif filters.live == "ended":
        found = found.filter(ends_on__lt=today)
    return (
        found.select_related("provider", "commissioner", "service_area")
        .defer(*NOT_PUBLISHED)
        .prefetch_related("provider__identifiers", "commissioner__identifiers")
        .order_by("-starts_on", "-pk")
    )


def bodies_published() -> QuerySet:
    """The commissioning bodies with an agreement in the register, by name (for the register's filter)."""
    letting = Agreement.objects.filter(status__in=PUBLISHED).values("commissioner_id").distinct()
    return Organisation.objects.filter(side=Side.COMMISSIONER, pk__in=letting).order_by("name")


def register_agreement(reference: str) -> Agreement | None:
    """One agreement of the register by its reference (None for a draft or an unknown one)."""
    return register_rows().filter(reference=str(reference)).prefetch_related("measures").first()


def org_id(organisation) -> str:
    """The organisation's primary org-id identifier (GB-CHC-…), read from what was prefetched; "" when none."""
    identifiers = list(organisation.identifiers.all())
    primary = next((i for i in identifiers if i.is_primary), identifiers[0] if identifiers else None)
    return primary.org_id if primary else ""


def is_vcse(organisation) -> bool:
    return organisation.legal_form in THIRD_SECTOR_FORMS


def is_small(organisation) -> bool:
    return organisation.size_band in SMALL_BANDS


COLUMNS = [
    "Reference",
    "Title",
    "Kind",
    "Commissioning body",
    "Commissioning body identifier",
    "Department responsible",
    "Description",
    "Supplier",
    "Supplier identifier",
    "Supplier registration number",
    "Supplier is a VCSE organisation",
    "Supplier is a small organisation",
    "Value over the term (£)",
    "Value includes VAT",
    "Irrecoverable VAT (£)",
    "Start date",
    "End date",
    "Review date",
    "Result of a published invitation to tender",
    "Status",
]


def register_cells(agreement: Agreement) -> list:
    """One agreement as the register's typed cells (text, Decimal, date), in the order of :data:`COLUMNS`."""
    supplier = agreement.provider
    identifier = org_id(supplier)
    return [
        agreement.reference,
        agreement.title,
        agreement.get_kind_display(),
        agreement.commissioner.name,
        org_id(agreement.commissioner),
        agreement.department,
        agreement.description,
        supplier.name,
        identifier,
        identifier.split("-", 2)[-1] if identifier else "",
        "Yes" if is_vcse(supplier) else "No",
        "Yes" if is_small(supplier) else "No",
        agreement.value,
        "Yes" if agreement.value_includes_vat else "No",
        agreement.irrecoverable_vat,
        agreement.starts_on,
        agreement.ends_on,
        agreement.review_on,
        "Yes" if agreement.origin == Origin.AWARD else "No",
        agreement.get_status_display(),
    ]


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return f"{cell:.2f}"
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def register_line(agreement: Agreement) -> list[str]:
    """One agreement as a line of the register's CSV download: its cells as text (ISO dates, pounds to the penny)."""
    return [_text(cell) for cell in register_cells(agreement)]


def write_xlsx(agreements: Iterable[Agreement], out: IO[bytes]) -> None:
    """The register as an Excel workbook written to ``out``: one sheet, a header row, numbers and dates typed.

    The workbook is written a row at a time (openpyxl's write-only mode), so a large register is not
    held in memory as cells.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contracts register")
    sheet.freeze_panes = "A2"
    sheet.append(COLUMNS)
    for agreement in agreements:
        row = []
        for cell in register_cells(agreement):
            if isinstance(cell, Decimal):
                written = WriteOnlyCell(sheet, value=cell)
                written.number_format = "#,##0.00"
            elif isinstance(cell, date):
                written = WriteOnlyCell(sheet, value=cell)
                written.number_format = "yyyy-mm-dd"
            else:
                written = WriteOnlyCell(sheet, value=_text(cell))
                # Always a string, so a title like "=HYPERLINK(…)" is shown as typed, never run as a formula.
                written.data_type = "s"
            row.append(written)
        sheet.append(row)
    workbook.save(out)


def term_words(agreement: Agreement) -> str:
    return f"{format_date(agreement.starts_on)} to {format_date(agreement.ends_on)}"
