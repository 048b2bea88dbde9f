"""The agreement as a document: its sections, fixed as JSON when issued, read as a page and as Word.

The sections are the one source of both renderings: the issued JSON is what
the provider accepts, and its SHA-256 is what the acceptance records. A
heading per part, then its paragraphs; tables are rows of label and value.
"""

import hashlib
import io
import json
from dataclasses import dataclass, field

from django.conf import settings
from docx import Document

from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.money import format_money

from .models import Agreement, AgreementKind, Breakdown, PaymentBasis

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

INTERVALS = {0: "in one payment", 1: "monthly", 3: "quarterly", 6: "every six months", 12: "yearly"}


@dataclass
class Part:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"heading": self.heading, "paragraphs": self.paragraphs, "rows": [list(r) for r in self.rows]}


def _org_id(organisation) -> str:
    identifier = organisation.primary_identifier
    return identifier.org_id if identifier else "no registered identifier"


def _parties(agreement: Agreement) -> Part:
    commissioner, provider = agreement.commissioner, agreement.provider
    return Part(
        "The parties",
        rows=[
            ("Commissioning body", f"{commissioner.name} ({_org_id(commissioner)})"),
            ("Department responsible", agreement.department or "Not stated"),
            ("Provider", f"{provider.name} ({_org_id(provider)})"),
            (
                "Provider's address",
                ", ".join(p for p in (provider.address_line_1, provider.town, provider.postcode) if p),
            ),
        ],
    )


def _terms(agreement: Agreement) -> Part:
    vat = "including VAT" if agreement.value_includes_vat else "excluding VAT"
    rows = [
        ("Value over the term", f"{format_money(agreement.value)} ({vat})"),
        ("Starts", format_date(agreement.starts_on)),
        ("Ends", format_date(agreement.ends_on)),
    ]
    if agreement.review_on:
        rows.append(("Reviewed", format_date(agreement.review_on)))
    if agreement.extension_months:
        rows.append(("May be extended by", f"up to {agreement.extension_months} months"))
    basis = (
        "in advance" if agreement.payment_basis == PaymentBasis.ADVANCE else "in arrears, against invoices or claims"
    )
    rows.append(("Paid", f"{INTERVALS.get(agreement.payment_interval_months, 'in instalments')}, {basis}"))
    paragraphs = [agreement.description]
    if agreement.extension_terms:
        paragraphs.append(agreement.extension_terms)
    paragraphs.append(
        f"Invoices and claims that are valid and undisputed are paid within "
        f"{settings.CONTRACTS['payment_terms_days']} days of receipt."
        if agreement.kind == AgreementKind.CONTRACT
        else "Payments are made on the dates in the schedule, once this agreement is accepted."
    )
    return Part("What is agreed", paragraphs=paragraphs, rows=rows)


def _monitoring(agreement: Agreement) -> Part:
    breakdowns = [Breakdown(b).label.lower() for b in agreement.breakdowns if b in Breakdown.values]
    paragraphs = [
        f"Monitoring is at the {agreement.get_tier_display().lower()} tier, in proportion to the funding and the "
        f"risk: {agreement.returns_per_year} return{'s' if agreement.returns_per_year != 1 else ''} a year, "
        "each due a set number of working days after its period ends.",
    ]
    if breakdowns:
        paragraphs.append(
            "Each return counts the people reached by " + ", ".join(breakdowns) + ". "
            "Counts are totals only and never name a person."
        )
    if agreement.spend_reported:
        paragraphs.append("Each return reports spend against the budget.")
    if agreement.claims_need_evidence:
        paragraphs.append("Financial claims are made with evidence of the spending claimed.")
    if agreement.feedback_open:
        paragraphs.append(
            "People who use the service can give feedback through the agreement's own public page; the provider "
            "sees it and may respond, and it is part of the monitoring."
        )
    outcomes = [line.strip() for line in agreement.outcomes.splitlines() if line.strip()]
    if outcomes:
        paragraphs.append("The outcomes sought: " + "; ".join(outcomes) + ".")
    rows = [
        (f"KPI {m.number}: {m.name}", f"target {m.target.normalize():f}{(' ' + m.unit) if m.unit else ''}")
        for m in agreement.measures.all()
    ]
    return Part("Monitoring and performance", paragraphs=paragraphs, rows=rows)


def own_document_sha256(agreement: Agreement) -> str:
    """The SHA-256 of the agreement's own document, read from storage."""
    digest = hashlib.sha256()
    with agreement.own_document.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _own_document(agreement: Agreement) -> Part:
    name = agreement.own_document.name.rsplit("/", 1)[-1]
    return Part(
        "The agreement's own document",
        paragraphs=[
            "The terms are in the document written for this agreement, attached to it in the hub; where it and "
            "this summary differ, the document governs."
        ],
        rows=[("File", name), ("SHA-256 of the file", own_document_sha256(agreement))],
    )


def sections(agreement: Agreement) -> list[Part]:
    """The agreement's parts in order, from its terms as they stand."""
    parts = [_parties(agreement), _terms(agreement), _monitoring(agreement)]
    if agreement.own_document:
        parts.append(_own_document(agreement))
    if agreement.special_conditions:
        parts.append(Part("Special conditions", paragraphs=agreement.special_conditions.splitlines()))
    if agreement.compact_clause:
        parts.append(Part("The Compact for Leeds", paragraphs=[agreement.compact_clause]))
    return parts


def title_of(agreement: Agreement) -> str:
    kind = "Grant agreement" if agreement.kind == AgreementKind.GRANT else "Contract"
    return f"{kind} {agreement.reference}: {agreement.title}"


def document_json(agreement: Agreement) -> str:
    """The document's exact text as issued: JSON with sorted keys, so the same terms give the same digest."""
    content = {"title": title_of(agreement), "sections": [part.as_dict() for part in sections(agreement)]}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def document_content(agreement: Agreement) -> dict:
    """The document to show: the one issued when there is one, otherwise a preview of the draft's terms."""
    if agreement.document:
        return json.loads(agreement.document)
    return json.loads(document_json(agreement))


def docx_bytes(agreement: Agreement) -> bytes:
    """The document as Word: a title, a heading per part, its paragraphs and a two-column table."""
    content = document_content(agreement)
    document = Document()
    document.core_properties.title = content["title"]
    document.add_heading(content["title"], level=1)
    for part in content["sections"]:
        document.add_heading(part["heading"], level=2)
        for paragraph in part["paragraphs"]:
            document.add_paragraph(paragraph)
        if part["rows"]:
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in part["rows"]:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value
    if agreement.accepted_at:
        document.add_heading("Acceptance", level=2)
        document.add_paragraph(
            f"Accepted for {agreement.provider.name} by {agreement.accepted_name}, {agreement.accepted_role}, "
            f"on {format_date(clock.london(agreement.accepted_at).date())}. "
            f"SHA-256 of the document accepted: {agreement.accepted_digest}."
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
