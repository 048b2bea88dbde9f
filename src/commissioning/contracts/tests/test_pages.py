"""The commissioner's and the provider's agreement pages: from a draft to an accepted agreement."""

import re

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role

from ..models import Agreement, AgreementStatus
from .factories import after_standstill, direct_agreement, provider_member

pytestmark = pytest.mark.django_db


def page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_a_commissioner_checks_and_issues_a_draft_and_the_provider_accepts_it(client):
    agreed = after_standstill()
    draft = agreed.agreement
    html = page(client, agreed.commissioner, f"/contracts/commissioning/{draft.reference}/")
    assert draft.title in html and "Check against the Code and issue" in html
    html = page(client, agreed.commissioner, f"/contracts/commissioning/{draft.reference}/check/")
    for code in ("PR-11", "CM-1", "CM-2", "CM-3", "CM-4"):
        assert code in html
    response = client.post(f"/contracts/commissioning/{draft.reference}/check/", {"action": "issue"})
    assert response.status_code == 302
    issued = Agreement.objects.get(pk=draft.pk)
    assert issued.status == AgreementStatus.ISSUED
    admin = agreed.provider_admin(issued)
    html = page(client, admin, f"/contracts/yours/{issued.reference}/")
    assert "Accept the agreement" in html and issued.document_digest in html
    response = client.post(
        f"/contracts/yours/{issued.reference}/",
        {"digest": issued.document_digest, "name": "Asha Patel", "role": "Chair", "confirm": "on"},
    )
    assert response.status_code == 302
    accepted = Agreement.objects.get(pk=draft.pk)
    assert accepted.status == AgreementStatus.ACCEPTED and accepted.accepted_name == "Asha Patel"
    assert "Returns due" in page(client, admin, f"/contracts/yours/{issued.reference}/")


def test_acceptance_without_the_confirmation_is_refused_with_what_was_typed_kept(client):
    agreement = direct_agreement(issue=True)
    client.force_login(agreement.admin)
    response = client.post(
        f"/contracts/yours/{agreement.reference}/",
        {"digest": agreement.document_digest, "name": "Sam Okafor", "role": "Director"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html and 'value="Sam Okafor"' in html
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ISSUED


def test_a_provider_member_reads_but_cannot_accept_and_nobody_else_sees_it(client):
    agreement = direct_agreement(issue=True)
    url = f"/contracts/yours/{agreement.reference}/"
    html = page(client, provider_member(agreement), url)
    assert "administrators can accept an agreement" in html
    client.post(url, {"digest": agreement.document_digest, "name": "A", "role": "B", "confirm": "on"})
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.ISSUED
    page(client, person_with_role(Role.PROVIDER_ADMIN), url, status=404)
    page(client, person_with_role(Role.COMMISSIONER), f"/contracts/commissioning/{agreement.reference}/", 404)


def test_a_draft_is_not_shown_to_its_provider(client):
    agreement = direct_agreement()
    page(client, agreement.admin, f"/contracts/yours/{agreement.reference}/", status=404)
    assert agreement.reference not in page(client, agreement.admin, "/contracts/yours/")


def test_a_commissioner_makes_a_direct_award_by_hand_with_the_reason(client):
    existing = direct_agreement()
    commissioner = existing.commissioner_person
    client.force_login(commissioner)
    html = page(client, commissioner, "/contracts/commissioning/new/")
    record = existing.record
    area = re.search(r'name="service_area"[^>]*>.*?<option value="(\d+)"', html, re.S).group(1)
    response = client.post(
        "/contracts/commissioning/new/",
        {
            "record": record.pk,
            "provider": existing.provider.pk,
            "kind": "grant",
            "origin": "grant_outside_round",
            "origin_reason": "An urgent winter pressures grant agreed by the board",
            "service_area": area,
            "title": "Winter warmth grant",
            "description": "Warm spaces in Armley through the winter",
            "value": "12,000",
            "value_includes_vat": "on",
            "starts_on": "01/12/2026",
            "ends_on": "31/03/2027",
            "payment_basis": "advance",
            "payment_interval_months": "0",
            "risk": "low",
            "breakdowns": ["ward", "characteristic", "community"],
            "feedback_open": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Agreement.objects.get(title="Winter warmth grant")
    assert made.origin == "grant_outside_round" and made.tier == "light" and made.payment_basis == "advance"


def test_the_commissioners_list_costs_the_same_queries_for_one_agreement_or_many(client, django_assert_max_num_queries):
    first = direct_agreement()
    commissioner = first.commissioner_person
    client.force_login(commissioner)
    with django_assert_max_num_queries(12):
        assert client.get("/contracts/commissioning/").status_code == 200
    body = commissioner.memberships.get(role=Role.COMMISSIONER).organisation
    for _ in range(6):
        direct_agreement(commissioner, provider=first.provider, title=f"Service {_}")
    assert body
    with django_assert_max_num_queries(12):
        html = client.get("/contracts/commissioning/").content.decode()
    assert "7 agreements" in html


def test_an_agreement_written_outside_the_hub_is_attached_confirmed_and_accepted_as_that_file(
    client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commissioning.practice.services import RuleGateClosed

    from .. import services
    from ..documents import document_content

    settings.MEDIA_ROOT = tmp_path
    agreement = direct_agreement()
    commissioner = agreement.commissioner_person
    client.force_login(commissioner)
    url = f"/contracts/commissioning/{agreement.reference}/document/"
    refused = client.post(url, {"action": "attach", "file": SimpleUploadedFile("terms.pdf", b"MZ not a pdf")})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    client.post(url, {"action": "attach", "file": SimpleUploadedFile("terms.pdf", b"%PDF-1.7 the council's terms")})
    attached = Agreement.objects.get(pk=agreement.pk)
    assert attached.own_document and not attached.compact_confirmed
    with pytest.raises(RuleGateClosed, match="PR-11"):
        services.agreement_issue(actor=commissioner, agreement=attached)
    services.agreement_update(actor=commissioner, agreement=attached, compact_confirmed=True)
    issued = services.agreement_issue(actor=commissioner, agreement=attached)
    import hashlib

    rows = dict(
        next(p for p in document_content(issued)["sections"] if p["heading"] == "The agreement's own document")["rows"]
    )
    assert rows["SHA-256 of the file"] == hashlib.sha256(b"%PDF-1.7 the council's terms").hexdigest()
    client.force_login(agreement.admin)
    download = client.get(f"/contracts/yours/{issued.reference}/document/file")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.7 the council's terms"


def test_an_issued_agreements_page_links_to_its_variations_and_a_drafts_does_not(client):
    issued = direct_agreement(issue=True)
    html = page(client, issued.commissioner_person, f"/contracts/commissioning/{issued.reference}/")
    assert f"/contracts/commissioning/{issued.reference}/variations/" in html
    draft = direct_agreement(commissioner=issued.commissioner_person)
    html = page(client, issued.commissioner_person, f"/contracts/commissioning/{draft.reference}/")
    assert f"/contracts/commissioning/{draft.reference}/variations/" not in html
