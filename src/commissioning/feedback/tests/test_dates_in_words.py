"""What people read shows dates and times in one style: no ISO dates, no 24-hour clock, no bare seconds.

The receipt (page and e-mail), a letter (page and Word document), the
opportunity's public page and the standstill countdown, rendered as people get them.
"""

import html
import io
import re

import pytest
from django.core import mail
from docx import Document

from commissioning.evaluation.tests.awarded import awarded_tender
from commissioning.feedback.services import letters_send_all
from commissioning.submissions.models import SubmissionRecord

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
TWENTY_FOUR_HOUR = re.compile(r"\b(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?\b(?![:\d]|[ap]m)")


def words(markup: str) -> str:
    """What a reader sees: the text, without tags, scripts or attributes."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def assert_one_style(text: str, where: str) -> None:
    assert not ISO_DATE.findall(text), (where, ISO_DATE.findall(text))
    assert not TWENTY_FOUR_HOUR.findall(text), (where, TWENTY_FOUR_HOUR.findall(text))


@pytest.fixture
def awarded():
    opened, evaluation = awarded_tender()
    yield opened, evaluation


def test_receipts_letters_and_the_opportunity_page_show_dates_in_words(
    client, awarded, django_capture_on_commit_callbacks
):
    opened, evaluation = awarded
    person, _, submission = opened.bidders[1]
    record = SubmissionRecord.objects.filter(submission=submission).latest("number")

    client.force_login(person)
    receipt = client.get(f"/bids/{submission.public_id}/receipts/{record.number}/")
    assert receipt.status_code == 200
    text = words(receipt.content.decode())
    assert " at " in text and ("am" in text or "pm" in text)
    assert_one_style(text, "receipt")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    letter = evaluation.letters.get(submission=submission)
    client.force_login(person)
    page = client.get(f"/bids/{submission.public_id}/letters/{letter.pk}/")
    assert page.status_code == 200
    assert_one_style(words(page.content.decode()), "letter")
    docx = client.get(f"/bids/{submission.public_id}/letters/{letter.pk}/letter.docx")
    document = Document(io.BytesIO(docx.content))
    parts = [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    assert_one_style("\n".join(parts), "letter.docx")
    assert mail.outbox
    for message in mail.outbox:
        assert_one_style(message.subject + "\n" + message.body, f"e-mail {message.subject!r}")

    client.logout()
    detail = client.get(f"/opportunities/{opened.opportunity.reference}/")
    assert detail.status_code == 200
    assert_one_style(words(detail.content.decode()), "opportunity page")

    client.force_login(opened.commissioner)
    for path in ("evaluation/standstill/", "evaluation/letters/", "submissions/"):
        response = client.get(f"/commissioning/opportunities/{opened.opportunity.reference}/{path}")
        assert response.status_code == 200, path
        assert_one_style(words(response.content.decode()), path)


def test_the_receipt_e_mail_gives_the_moment_received_in_words(django_capture_on_commit_callbacks):
    from commissioning.submissions.tests.factories import bidder, complete, submit, tender

    mail.outbox.clear()
    opportunity = tender()
    person, organisation = bidder()
    with django_capture_on_commit_callbacks(execute=True):
        submit(person, complete(opportunity, person, organisation))
    receipts = [m for m in mail.outbox if m.subject.startswith("Receipt")]
    assert receipts
    for message in receipts:
        assert "Received: " in message.body and " at " in message.body
        assert_one_style(message.body, "receipt e-mail")
