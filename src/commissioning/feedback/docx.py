"""A letter as a Word document (DOCX), for commissioners who keep or edit letters in Word.

Plain and well structured, so screen readers and Word's navigation pane read
it: a title, headings per lot, a real table of the scores with a header row,
the panel's reasons, the standstill and, in a grant offer, the Compact for
Leeds clause. The words are the page's (:mod:`.wording`).
"""

import io

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from commissioning.core import clock

from .models import Letter
from .wording import LetterWording, letter_wording

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _repeat_as_header(row) -> None:
    """Mark a table row as the header row, repeated on each page and read as headers."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _bold_row(row) -> None:
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def _scores_table(document, section) -> None:
    head = ["Criterion", "Weight", "Your score", "Your points"]
    if section.compared:
        head.append("Successful bid's points")
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    _bold_row(table.rows[0])
    _repeat_as_header(table.rows[0])
    for row in [*section.rows, section.total]:
        values = [row.label, row.weight, row.score, row.points]
        if section.compared:
            values.append(row.winner_points or "")
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    _bold_row(table.rows[-1])


def build(wording: LetterWording) -> Document:
    """The document for a letter's wording."""
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    properties = document.core_properties
    properties.title = wording.subject
    properties.subject = wording.title
    properties.author = "Leeds Commissioning Hub"
    document.add_heading(wording.title, level=0)
    document.add_paragraph(f"To: {wording.organisation}")
    document.add_paragraph(f"About: {wording.opportunity_title} ({wording.reference})")
    document.add_paragraph(f"Decision: {wording.decided_on}")
    for paragraph in wording.opening:
        document.add_paragraph(paragraph)
    for section in wording.lots:
        document.add_heading(f"{section.heading}: {section.outcome.lower()}", level=1)
        for sentence in section.sentences:
            document.add_paragraph(sentence)
        document.add_heading("Scores", level=2)
        _scores_table(document, section)
        if section.reasons:
            document.add_heading("The panel's reasons for your scores", level=2)
            for label, reason in section.reasons:
                paragraph = document.add_paragraph(style="List Bullet")
                paragraph.add_run(f"{label}: ").bold = True
                paragraph.add_run(reason)
    document.add_heading("Standstill", level=1)
    document.add_paragraph(wording.standstill)
    if wording.compact_clause:
        document.add_heading("The Compact for Leeds", level=1)
        document.add_paragraph(wording.compact_clause)
    for paragraph in wording.closing:
        document.add_paragraph(paragraph)
    return document


def letter_docx(letter: Letter) -> bytes:
    """The letter as DOCX bytes."""
    document = build(letter_wording(letter))
    document.core_properties.created = letter.written_at
    document.core_properties.modified = letter.sent_at or letter.written_at
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def letter_filename(letter: Letter) -> str:
    """A file name that says what the letter is: ``LCH-2026-0001-feedback-armley-young-carers.docx``."""
    slug = letter.submission.organisation.slug
    day = clock.london(letter.written_at).date().isoformat()
    return f"{letter.content['opportunity']['reference']}-{letter.kind}-{slug}-{day}.docx"
