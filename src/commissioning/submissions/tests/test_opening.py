"""The commissioner's submissions pages: sealed, ready to open, opened, and each opened submission."""

import html
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.evidence.demo import pdf_upload
from commissioning.submissions import services
from commissioning.submissions.models import Opening

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def opportunity():
    return tender()


def page(client, user, url, method="get", **data):
    client.force_login(user)
    return getattr(client, method)(url, data, follow=method == "post")


def text(response) -> str:
    # Unescaped, so a name like O'Brien reads as typed.
    return html.unescape(response.content.decode())


def a_full_bid(opportunity):
    """A consortium bid with a file, every section done, submitted."""
    person, organisation = bidder()
    partner_person, partner = bidder()
    submission = complete(opportunity, person, organisation, price=Decimal("31234.56"))
    services.attachment_add(
        actor=person, submission=submission, title="Delivery plan", upload=pdf_upload("plan.pdf", "our plan")
    )
    member = services.member_invite(actor=person, submission=submission, organisation=partner, role="Runs the groups")
    services.member_answer(actor=partner_person, member=member, accept=True)
    services.evidence_confirm(
        actor=partner_person, submission=submission, organisation=partner, items=opportunity.standard_items
    )
    return submission, submit(person, submission)


def test_before_the_deadline_the_page_says_when_the_seal_lifts_and_nothing_else(client, opportunity):
    a_full_bid(opportunity)
    url = reverse("submissions:opening", args=[opportunity.reference])
    with time_machine.travel(opportunity.submission_deadline - timedelta(seconds=1), tick=False):
        response = page(client, opportunity.created_by, url)
        assert response.status_code == 200
        body = text(response)
        assert "Submissions are sealed until" in body
        assert "Open the submissions" not in body and "31,234.56" not in body
        refused = page(client, opportunity.created_by, url, "post")
        assert "Submissions are sealed until" in text(refused)
    assert not Opening.objects.exists()


def test_after_the_deadline_the_commissioner_sees_how_many_and_opens_them(client, opportunity):
    submission, record = a_full_bid(opportunity)
    url = reverse("submissions:opening", args=[opportunity.reference])
    commissioner = opportunity.created_by
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        ready = text(page(client, commissioner, url))
        assert "1 submission counts" in ready and "Open the submissions" in ready
        assert "recorded in the audit log" in ready
        assert "31,234.56" not in ready
        opened = text(page(client, commissioner, url, "post"))
    assert "The submissions are opened: 1 counted" in opened
    assert commissioner.full_name in opened
    assert "Bids for each lot" in opened and "Lot 1: Lot 1" in opened
    assert "Small (£10,000 to £100,000)" in opened or "Micro (under £10,000)" in opened
    assert submission.organisation.name in opened and record.sha256 in opened and "£31,234.56" in opened
    event = AuditEvent.objects.get(verb="submissions.open")
    assert event.actor == commissioner and event.after["submissions"] == 1


def test_an_opened_submission_shows_everything_in_its_record(client, opportunity):
    submission, record = a_full_bid(opportunity)
    commissioner = opportunity.created_by
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        services.submissions_open(actor=commissioner, opportunity=opportunity)
        url = reverse("submissions:opened", args=[opportunity.reference, submission.public_id])
        body = text(page(client, commissioner, url))
        document = record.document
        assert record.sha256 in body
        assert "£31,234.56" in body
        assert "Our answer to question 1." in body and "5 words (limit 500)" in body
        assert "Recruit local volunteers" in body and "Volunteers recruited in Leeds" in body
        assert "Delivery plan" in body and document["attachments"][0]["sha256"] in body
        assert document["consortium"][0]["organisation"]["name"] in body and "Runs the groups" in body
        assert "Public liability insurance" in body
        assert f"Confirmed by {document['declaration']['name']}, Director." in body

        # Each file downloads: the attachment, and every evidence file the record names.
        attachment = submission.attachments.get()
        download = page(
            client, commissioner, reverse("submissions:attachment", args=[submission.public_id, attachment.pk])
        )
        assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
        confirmations = list(submission.confirmations.all())
        assert len(confirmations) == 4
        for confirmation in confirmations:
            evidence_url = reverse(
                "submissions:opened-evidence",
                args=[opportunity.reference, submission.public_id, confirmation.version_id],
            )
            assert evidence_url in body
            response = page(client, commissioner, evidence_url)
            assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
        # A version the record does not name is not served, even one of the same organisation.
        from commissioning.evidence.tests.factories import record as record_evidence

        newer = record_evidence(submission.created_by, submission.organisation, "insurance_public")
        stray = reverse("submissions:opened-evidence", args=[opportunity.reference, submission.public_id, newer.pk])
        assert page(client, commissioner, stray).status_code == 404


def test_a_bid_changed_after_it_was_submitted_opens_as_submitted(client, opportunity):
    submission, record = a_full_bid(opportunity)
    person = submission.created_by
    services.answer_save(
        actor=person, submission=submission, question=opportunity.questions.first(), text="A draft never sent."
    )
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        services.submissions_open(actor=opportunity.created_by, opportunity=opportunity)
        url = reverse("submissions:opened", args=[opportunity.reference, submission.public_id])
        body = text(page(client, opportunity.created_by, url))
    assert "Our answer to question 1." in body and "A draft never sent." not in body


def test_the_opportunity_overview_and_dashboard_link_to_the_submissions(client, opportunity):
    url = reverse("submissions:opening", args=[opportunity.reference])
    overview = text(page(client, opportunity.created_by, reverse("opportunities:manage", args=[opportunity.reference])))
    assert url in overview
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        dashboard = text(page(client, opportunity.created_by, reverse("review:dashboard")))
    assert url in dashboard


def test_the_opened_list_and_api_read_a_bounded_number_of_queries(client, opportunity):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commissioning.accounts.services import api_token_create

    commissioner = opportunity.created_by
    _, secret = api_token_create(actor=commissioner, name="t")
    page_url = reverse("submissions:opening", args=[opportunity.reference])
    api_url = f"/api/v1/opportunities/{opportunity.reference}/submissions"

    def counts() -> tuple[int, int]:
        client.force_login(commissioner)
        client.get(api_url, HTTP_AUTHORIZATION=f"Bearer {secret}")  # notes the token's use, which it does once a minute
        with CaptureQueriesContext(connection) as on_page:
            assert client.get(page_url).status_code == 200
        with CaptureQueriesContext(connection) as by_api:
            assert client.get(api_url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
        return len(on_page), len(by_api)

    person, organisation = bidder()
    submit(person, complete(opportunity, person, organisation))
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        services.submissions_open(actor=commissioner, opportunity=opportunity)
        with_one = counts()
    # Opened already: more bids cannot arrive, so add them to a twin opened with three.
    twin = tender(commissioner)
    for _ in range(3):
        person, organisation = bidder()
        submit(person, complete(twin, person, organisation))
    page_url = reverse("submissions:opening", args=[twin.reference])
    api_url = f"/api/v1/opportunities/{twin.reference}/submissions"
    with time_machine.travel(twin.submission_deadline + timedelta(seconds=1), tick=False):
        services.submissions_open(actor=commissioner, opportunity=twin)
        assert counts() == with_one
