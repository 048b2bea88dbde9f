"""The evidence pages: the list, an item's form and history, removal and downloads; and who gets in."""

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import (
    CommissionerOrgFactory,
    IdentifierFactory,
    VerifiedProviderFactory,
    person_with_role,
)
from commissioning.core import clock
from commissioning.evidence.demo import minimal_pdf, pdf_upload
from commissioning.evidence.models import EvidenceItem
from commissioning.evidence.standard_items import StandardItem

from .factories import keeper, record

pytestmark = pytest.mark.django_db


def page(client, user, url, method="get", **data):
    client.force_login(user)
    return getattr(client, method)(url, data) if data or method == "post" else client.get(url)


def test_the_list_shows_every_item_with_its_tag_and_date(client, settings):
    settings.EVIDENCE_REMINDER_DAYS = 30
    admin, organisation = keeper()
    today = clock.today()
    record(admin, organisation, valid_until=today + timedelta(days=10))
    record(admin, organisation, "insurance_employers", valid_until=today - timedelta(days=1))
    record(admin, organisation, "equality", valid_until=today + timedelta(days=200))
    record(admin, organisation, "address")
    html = page(client, admin, "/evidence/").content.decode()
    for label in StandardItem.labels:
        assert escape(label) in html
    tags = [tag.strip() for tag in re.findall(r'class="govuk-tag[^"]*">([^<]*)<', html)]
    tags.remove("Beta")  # the phase banner
    assert sorted(tags) == sorted(["Missing"] * 12 + ["Expires soon", "Expired", "Current", "Current"])
    assert "No expiry date" in html
    assert f"/evidence/insurance_public/?organisation={organisation.slug}" in html
    assert f"/evidence/address/remove/?organisation={organisation.slug}" in html


def test_the_list_costs_the_same_queries_however_full_the_store_is(client, django_assert_max_num_queries):
    admin, organisation = keeper()
    client.force_login(admin)
    with django_assert_max_num_queries(6) as captured:
        assert client.get("/evidence/").status_code == 200
    empty = len(captured)
    for item in StandardItem.values:
        record(admin, organisation, item)
    record(admin, organisation, "insurance_public", insurer="Newer", upload=None)
    with django_assert_max_num_queries(empty):
        assert client.get("/evidence/").status_code == 200


def test_someone_keeping_several_organisations_chooses_one(client):
    admin, first = keeper()
    second = VerifiedProviderFactory(name="Zeta Community Trust")
    person_with_role(Role.PROVIDER_ADMIN, second)
    admin.memberships.create(organisation=second, role=Role.PROVIDER_MEMBER)
    html = page(client, admin, "/evidence/").content.decode()
    assert "Choose one" in html and f"?organisation={second.slug}" in html
    html = page(client, admin, f"/evidence/?organisation={second.slug}").content.decode()
    assert "Zeta Community Trust" in html and "Your evidence" in html
    assert page(client, admin, "/evidence/insurance_public/").status_code == 302


def test_a_provider_saves_an_item_with_a_file_and_sees_it_current(client):
    admin, organisation = keeper()
    url = f"/evidence/insurance_public/?organisation={organisation.slug}"
    assert "Public liability insurance" in page(client, admin, url).content.decode()
    expiry = clock.today() + timedelta(days=300)
    response = page(
        client,
        admin,
        url,
        "post",
        insurer="Zurich Municipal",
        cover="5,000,000",
        policy_number="PL-2",
        expiry=expiry.strftime("%d/%m/%Y"),
        file=pdf_upload("certificate.pdf", "certificate"),
        action="save",
    )
    assert response.status_code == 302 and response.url == f"/evidence/?organisation={organisation.slug}"
    version = EvidenceItem.objects.get()
    assert version.data["cover"] == "5000000.00" and version.created_by == admin
    html = client.get(response.url).content.decode()
    assert "Your public liability insurance has been saved" in html
    html = client.get(url).content.decode()
    assert "Leave this empty to keep certificate.pdf" in html
    assert f"/evidence/files/{version.pk}/" in html and "Current" in html


def test_bad_entries_are_shown_in_the_error_summary_and_nothing_is_saved(client):
    admin, organisation = keeper()
    url = f"/evidence/insurance_public/?organisation={organisation.slug}"
    response = page(client, admin, url, "post", insurer="", cover="lots", expiry="31/02/2027", action="save")
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter the insurer" in html and "Enter an amount in pounds" in html
    assert "Enter the expiry date as a real date" in html and "Choose a file: certificate" in html
    assert 'href="#id_cover"' in html and 'value="lots"' in html
    assert not EvidenceItem.objects.exists()


def test_changing_an_item_keeps_its_file_and_lists_both_versions(client):
    admin, organisation = keeper()
    first = record(admin, organisation, "safeguarding_children")
    url = f"/evidence/safeguarding_children/?organisation={organisation.slug}"
    html = page(client, admin, url).content.decode()
    assert first.valid_until.strftime("%d/%m/%Y") in html
    response = client.post(url, {"review_date": "01/01/2030", "action": "save"})
    assert response.status_code == 302
    second = EvidenceItem.objects.current().get()
    assert second.version == 2 and second.sha256 == first.sha256
    html = client.get(url).content.decode()
    assert "Replaced by version 2" in html and "What version 1 says" in html and "1 January 2030" in html


def test_list_items_have_rows_and_another_row_can_be_added_without_javascript(client):
    admin, organisation = keeper()
    url = f"/evidence/quality_marks/?organisation={organisation.slug}"
    html = page(client, admin, url).content.decode()
    assert "Quality mark 3" in html and "Quality mark 4" not in html
    response = client.post(
        url, {"rows": "3", "entries-0-name": "PQASSO", "entries-0-awarding_body": "NCVO", "action": "more"}
    )
    html = response.content.decode()
    assert "Quality mark 4" in html and 'value="PQASSO"' in html and "There is a problem" not in html
    assert not EvidenceItem.objects.exists()
    response = client.post(
        url, {"rows": "4", "entries-0-name": "PQASSO", "entries-0-awarding_body": "NCVO", "action": "save"}
    )
    assert response.status_code == 302
    assert EvidenceItem.objects.get().data == {"entries": [{"name": "PQASSO", "awarding_body": "NCVO"}]}


def test_identifiers_and_address_come_from_the_profile_so_nothing_is_typed_twice(client):
    admin, organisation = keeper()
    IdentifierFactory(organisation=organisation, value="1190001")
    url = f"/evidence/identifiers/?organisation={organisation.slug}"
    html = page(client, admin, url).content.decode()
    assert escape("filled in from your organisation's profile") in html and "GB-CHC-1190001" in html
    client.post(url, {"legal_form": "registered_charity", "identifiers": "GB-CHC-1190001", "action": "save"})
    address = f"/evidence/address/?organisation={organisation.slug}"
    html = client.get(address).content.decode()
    assert escape(organisation.address_line_1) in html and organisation.postcode in html
    client.post(address, {"address_line_1": "2 New Street", "town": "Leeds", "postcode": "ls1 1ur", "action": "save"})
    html = client.get(address).content.decode()
    assert "Use the details from our profile" in html and "2 New Street" in html
    html = client.get(address + "&from=profile").content.decode()
    assert escape(organisation.address_line_1) in html
    assert EvidenceItem.objects.get(item="address").data["postcode"] == "LS1 1UR"


def test_removing_asks_first_then_removes(client):
    admin, organisation = keeper()
    version = record(admin, organisation)
    url = f"/evidence/insurance_public/remove/?organisation={organisation.slug}"
    html = page(client, admin, url).content.decode()
    assert "Are you sure you want to remove your public liability insurance?" in html
    assert EvidenceItem.objects.get(pk=version.pk).is_current
    response = client.post(url)
    assert response.status_code == 302
    assert not EvidenceItem.objects.get(pk=version.pk).is_current
    assert client.get(url).status_code == 404


def test_a_file_downloads_as_an_attachment_that_is_never_sniffed(client):
    admin, organisation = keeper()
    first = record(admin, organisation, upload=pdf_upload("Cert 2025.pdf", "first"))
    record(admin, organisation, upload=pdf_upload("Cert 2026.pdf", "second"))
    response = page(client, admin, f"/evidence/files/{first.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"].startswith("attachment;") and "Cert 2025.pdf" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == minimal_pdf("first")
    address = record(admin, organisation, "address")
    assert client.get(f"/evidence/files/{address.pk}/").status_code == 404


def test_an_unknown_item_is_not_found(client):
    admin, organisation = keeper()
    assert page(client, admin, f"/evidence/tax-returns/?organisation={organisation.slug}").status_code == 404


# Access ---------------------------------------------------------------------------


def outsiders():
    council = CommissionerOrgFactory()
    return {
        "another provider": person_with_role(Role.PROVIDER_ADMIN),
        "commissioner": person_with_role(Role.COMMISSIONER, council),
        "evaluator": person_with_role(Role.EVALUATOR, council),
        "administrator": person_with_role(Role.ADMINISTRATOR, council),
    }


def test_nobody_but_the_organisation_s_people_reaches_any_evidence_page(client):
    admin, organisation = keeper()
    version = record(admin, organisation)
    q = f"?organisation={organisation.slug}"
    urls = [
        ("get", f"/evidence/{q}"),
        ("get", f"/evidence/insurance_public/{q}"),
        ("post", f"/evidence/insurance_public/{q}"),
        ("get", f"/evidence/insurance_public/remove/{q}"),
        ("post", f"/evidence/insurance_public/remove/{q}"),
        ("get", f"/evidence/files/{version.pk}/"),
    ]
    wrong = []
    for who, person in outsiders().items():
        client.force_login(person)
        for method, url in urls:
            status = getattr(client, method)(url).status_code
            if status != 404:
                wrong.append(f"{who} {method} {url}: {status}")
    client.logout()
    for method, url in urls:
        response = getattr(client, method)(url)
        if response.status_code != 302 or "/sign-in/" not in response.url:
            wrong.append(f"anonymous {method} {url}: {response.status_code}")
    assert not wrong
    assert EvidenceItem.objects.get(pk=version.pk).is_current and EvidenceItem.objects.count() == 1


def test_people_who_keep_no_evidence_find_no_evidence_page(client):
    for person in outsiders().values():
        if person.has_role(Role.PROVIDER_ADMIN):
            continue
        client.force_login(person)
        assert client.get("/evidence/").status_code == 404


def test_providers_find_their_evidence_from_the_header_their_account_and_their_organisation(client):
    member, organisation = keeper(Role.PROVIDER_MEMBER)
    client.force_login(member)
    link = f"/evidence/?organisation={organisation.slug}"
    assert 'href="/evidence/"' in client.get("/").content.decode()
    assert link in client.get("/account/").content.decode()
    assert link in client.get(f"/organisations/{organisation.slug}/").content.decode()
    client.force_login(person_with_role(Role.COMMISSIONER))
    assert 'href="/evidence/"' not in client.get("/").content.decode()
    assert link not in client.get(f"/organisations/{organisation.slug}/").content.decode()
