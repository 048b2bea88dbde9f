"""The commissioner's and the provider's pages, through the test client."""

import html
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core import clock
from commissioning.opportunities.models import Clarification, EventRegistration, Interest, Opportunity, Status

from .factories import colleague_of, commissioner_at, draft, published

pytestmark = pytest.mark.django_db


def fmt(moment):
    return clock.london(moment).strftime("%d/%m/%Y %H:%M")


def test_a_commissioner_starts_a_draft_through_the_form(client):
    commissioner = commissioner_at()
    client.force_login(commissioner)
    deadline = clock.now() + timedelta(days=40)
    response = client.post(
        "/commissioning/opportunities/new/",
        {
            "kind": "tender",
            "title": "Carers' breaks",
            "summary": "Short breaks for unpaid carers.",
            "service_area": 4,
            "wards": ["E05011389"],
            "total_value": "75000",
            "value_includes_vat": "on",
            "duration_months": "12",
            "regime": "",
            "question_deadline": fmt(deadline - timedelta(days=10)),
            "submission_deadline": fmt(deadline),
            "price_weight": "30",
            "price_method": "lowest_proportional",
        },
    )
    opportunity = Opportunity.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/commissioning/opportunities/{opportunity.reference}/"
    )
    assert opportunity.status == Status.DRAFT and opportunity.regime == "below_threshold"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"total_value": "12.345"}, "no more than 2 decimal places"),
        ({"total_value": "-1"}, "zero or more"),
        ({"price_weight": "120"}, "100 or less"),
        ({"wards": ["E05999999"]}, "Choose Leeds wards from the list"),
        ({"submission_deadline": "31/02/2027 12:00"}, "Enter when bids close as a date and time"),
        (
            {"question_deadline": "01/03/2027 12:00", "submission_deadline": "01/02/2027 12:00"},
            "Questions must close before bids close",
        ),
    ],
)
def test_bad_details_are_refused_with_the_error_summary(client, change, message):
    client.force_login(commissioner_at())
    data = {
        "kind": "tender",
        "title": "T",
        "summary": "S",
        "service_area": 1,
        "wards": ["E05011389"],
        "total_value": "1000",
        "duration_months": "12",
        "price_weight": "30",
        "price_method": "lowest_proportional",
        **change,
    }
    body = client.post("/commissioning/opportunities/new/", data).content.decode()
    assert "There is a problem" in body and message in body
    assert not Opportunity.objects.exists()


def test_people_who_are_not_commissioners_get_not_found(client):
    opportunity = draft()
    for person in (person_with_role(Role.PROVIDER_ADMIN), commissioner_at(), person_with_role(Role.ADMINISTRATOR)):
        client.force_login(person)
        for path in ("", "details/", "check/", "lots/new/", "amend/", "end/", "clarifications/"):
            assert client.get(f"/commissioning/opportunities/{opportunity.reference}/{path}").status_code == 404
    client.force_login(person_with_role(Role.PROVIDER_ADMIN))
    assert client.get("/commissioning/").status_code == 404


def test_check_explain_confirm_and_publish_through_the_pages(client, django_capture_on_commit_callbacks):
    commissioner = commissioner_at()
    colleague = colleague_of(commissioner)
    opportunity = draft(commissioner, compact_clause_in_terms=False)
    check = f"/commissioning/opportunities/{opportunity.reference}/check/"
    client.force_login(commissioner)
    page = client.get(check).content.decode()
    assert "PR-11" in page and "Not met" in page
    refused = client.post(check, {"action": "publish"}, follow=True)
    assert "PR-11" in refused.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT
    blank = client.post(check, {"action": "explain", "rule": "PR-11", "reason": "", "confirmer": ""})
    assert "There is a problem" in blank.content.decode()
    assert "Choose who will confirm the explanation" in blank.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            check,
            {
                "action": "explain",
                "rule": "PR-11",
                "reason": "The NHS standard contract carries the Compact clause",
                "confirmer": colleague.pk,
            },
        )
    waiting = html.unescape(client.get(check).content.decode())
    assert "Waiting for confirmation" in waiting and f"Waiting for {colleague.full_name} to confirm it" in waiting
    # Until the colleague confirms it, the rule is not explained and publishing stays shut.
    client.post(check, {"action": "publish"})
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT
    [task] = [m for m in mail.outbox if colleague.email in m.to]
    link = re.search(r"http\S+/explanations/\d+/", task.body).group(0)
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(
            urlsplit(link).path,
            {"action": "confirm", "confirm-words": "Checked against the contract's clause 12"},
        )
    assert confirmed.status_code == 302
    client.force_login(commissioner)
    assert "Confirmed by " + colleague.full_name in html.unescape(client.get(check).content.decode())
    client.post(check, {"action": "publish"})
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED
    public = html.unescape(client.get(f"/opportunities/{opportunity.reference}/").content.decode())
    assert "The NHS standard contract carries the Compact clause" in public
    assert f"confirmed by {colleague.full_name}" in public


def test_a_provider_registers_interest_asks_and_books_through_the_page(client, django_capture_on_commit_callbacks):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    provider = person_with_role(Role.PROVIDER_MEMBER)
    organisation = provider.memberships.get().organisation
    client.force_login(provider)
    page = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert "Register interest" in page and "Send your question" in page and "Book places" in page
    client.post(
        f"/opportunities/{opportunity.reference}/interest/", {"organisation": organisation.pk, "following": "yes"}
    )
    assert Interest.objects.get().following
    client.post(
        f"/opportunities/{opportunity.reference}/ask/", {"organisation": organisation.pk, "question": "Is TUPE likely?"}
    )
    event = opportunity.events.get()
    client.post(
        f"/opportunities/{opportunity.reference}/events/{event.pk}/book/",
        {"organisation": organisation.pk, "attendees": "2", "access_needs": "Step-free access"},
    )
    assert EventRegistration.objects.get().attendees == 2

    client.force_login(commissioner)
    clarification = Clarification.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/commissioning/opportunities/{opportunity.reference}/clarifications/",
            {"clarification": clarification.pk, "answer": "No, this is a new service."},
        )
    assert mail.outbox and mail.outbox[-1].to == [provider.email]
    public = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert "Is TUPE likely?" in public and "No, this is a new service." in public
    assert organisation.name not in public


def test_a_provider_cannot_act_for_an_organisation_it_does_not_belong_to(client):
    opportunity = published()
    provider = person_with_role(Role.PROVIDER_MEMBER)
    other = person_with_role(Role.PROVIDER_MEMBER).memberships.get().organisation
    client.force_login(provider)
    client.post(f"/opportunities/{opportunity.reference}/ask/", {"organisation": other.pk, "question": "Sneaky?"})
    assert not Clarification.objects.exists()


def test_amending_and_withdrawing_through_the_pages(client):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    client.force_login(commissioner)
    later = opportunity.submission_deadline + timedelta(days=7)
    client.post(
        f"/commissioning/opportunities/{opportunity.reference}/amend/",
        {
            "summary": "The deadline moves by a week",
            "description": opportunity.description,
            "question_deadline": fmt(opportunity.question_deadline),
            "submission_deadline": fmt(later),
        },
    )
    opportunity.refresh_from_db()
    assert opportunity.amendments.count() == 1 and opportunity.submission_deadline == later
    empty = client.post(f"/commissioning/opportunities/{opportunity.reference}/end/", {"reason": ""})
    assert "There is a problem" in empty.content.decode()
    client.post(f"/commissioning/opportunities/{opportunity.reference}/end/", {"reason": "Funding withdrawn"})
    opportunity.refresh_from_db()
    assert opportunity.status == Status.WITHDRAWN


def test_alerts_are_saved_and_turned_off(client):
    provider = person_with_role(Role.PROVIDER_MEMBER)
    client.force_login(provider)
    client.post("/account/alerts/", {"service_areas": [1, 2], "wards": ["E05011389"]})
    subscription = provider.opportunity_alerts
    assert subscription.active and subscription.service_areas.count() == 2
    client.post("/account/alerts/", {})
    subscription.refresh_from_db()
    assert not subscription.active


def test_a_draft_names_the_evidence_store_items_it_needs(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    from commissioning.opportunities import services

    services.opportunity_update(
        actor=commissioner,
        opportunity=opportunity,
        data={"standard_items": ["identifiers", "insurance_public"]},
        ward_codes=["E05011398"],
    )
    with pytest.raises(services.OpportunityError, match="Unknown evidence item"):
        services.opportunity_update(
            actor=commissioner,
            opportunity=opportunity,
            data={"standard_items": ["tax_returns"]},
            ward_codes=["E05011398"],
        )
    services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    page = client.get(f"/opportunities/{opportunity.reference}/").content.decode()
    assert "From your evidence store" in page and "Public liability insurance" in page


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_document_is_attached_with_its_digest_and_downloaded_by_anyone_once_published(client, media):
    import hashlib

    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    client.force_login(commissioner)
    content = b"%PDF-1.7 specification"
    response = client.post(
        f"/commissioning/opportunities/{opportunity.reference}/documents/new/",
        {"kind": "specification", "title": "Service specification", "file": upload("spec.pdf", content)},
    )
    assert response.status_code == 302
    document = opportunity.documents.get()
    assert document.sha256 == hashlib.sha256(content).hexdigest() and document.content_type == "application/pdf"
    client.logout()
    url = f"/opportunities/{opportunity.reference}/documents/{document.pk}/"
    assert client.get(url).status_code == 404  # the draft is not public yet
    from commissioning.opportunities import services

    services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "must be a PDF, Word"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "not a real PDF file"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_a_forbidden_or_fake_file_is_refused(client, media, name, content, message):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    client.force_login(commissioner)
    body = client.post(
        f"/commissioning/opportunities/{opportunity.reference}/documents/new/",
        {"kind": "other", "title": "A file", "file": upload(name, content)},
    ).content.decode()
    assert "There is a problem" in body and message in body
    assert not opportunity.documents.exists()


def test_a_file_over_the_size_limit_is_refused(client, media, settings):
    settings.OPPORTUNITY_DOCUMENT_MAX_MB = 1
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    client.force_login(commissioner)
    big = b"%PDF-" + b"0" * (1024 * 1024 + 1)
    body = client.post(
        f"/commissioning/opportunities/{opportunity.reference}/documents/new/",
        {"kind": "other", "title": "Big", "file": upload("big.pdf", big)},
    ).content.decode()
    assert "smaller than 1 MB" in body
