"""Recording and removing evidence: new versions, old ones untouched, and what is refused."""

import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, ProviderFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.evidence import services
from commissioning.evidence.demo import minimal_pdf, pdf_upload
from commissioning.evidence.models import EvidenceItem
from commissioning.evidence.specs import add_months

from .factories import keeper, record

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(services.EvidenceError) as caught:
        call(**kwargs)
    return caught.value.errors


# Recording versions ---------------------------------------------------------------


def test_recording_an_item_stores_exact_json_data_its_expiry_and_a_checked_file():
    admin, organisation = keeper()
    expiry = clock.today() + timedelta(days=200)
    version = services.evidence_item_record(
        actor=admin,
        organisation=organisation,
        item="insurance_public",
        data={"insurer": " Zurich Municipal ", "cover": "£5,000,000", "policy_number": "PL-1", "expiry": expiry},
        upload=pdf_upload("Public liability 2026.pdf", "certificate"),
    )
    assert version.version == 1 and version.is_current
    assert version.data == {
        "insurer": "Zurich Municipal",
        "cover": "5000000.00",
        "policy_number": "PL-1",
        "expiry": expiry.isoformat(),
    }
    assert version.valid_until == expiry
    assert version.file.name.startswith("evidence/") and "Public" not in version.file.name
    assert version.file_name == "Public liability 2026.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(minimal_pdf("certificate"))
    assert len(version.sha256) == 64
    with version.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    json.dumps(EvidenceItem.objects.get(pk=version.pk).data)  # JSON-safe as stored


def test_dates_may_be_typed_the_uk_way():
    admin, organisation = keeper()
    version = record(admin, organisation, "safeguarding_children", review_date="30/09/2027")
    assert version.data["review_date"] == "2027-09-30" and version.valid_until == date(2027, 9, 30)


def test_changing_an_item_records_a_new_version_and_leaves_the_old_one_as_it_was():
    admin, organisation = keeper()
    first = record(admin, organisation, insurer="Zurich Municipal", valid_until=clock.today() + timedelta(days=10))
    before = EvidenceItem.objects.get(pk=first.pk)
    second = record(
        admin, organisation, insurer="Ecclesiastical", valid_until=clock.today() + timedelta(days=375), upload=None
    )
    assert second.pk != first.pk and second.version == 2 and second.is_current
    old = EvidenceItem.objects.get(pk=first.pk)
    assert old.superseded_at is not None
    assert (old.data, old.valid_until, old.file.name, old.sha256, old.version) == (
        before.data,
        before.valid_until,
        before.file.name,
        before.sha256,
        1,
    )
    assert old.canonical() == before.canonical()
    # No new file: the new version refers to the same stored file.
    assert (second.file.name, second.sha256, second.file_name) == (old.file.name, old.sha256, old.file_name)
    assert EvidenceItem.objects.current().get(organisation=organisation, item="insurance_public").pk == second.pk


def test_a_new_file_makes_a_new_version_and_the_old_file_stays_readable():
    admin, organisation = keeper()
    first = record(admin, organisation, upload=pdf_upload("old.pdf", "old certificate"))
    second = record(admin, organisation, upload=pdf_upload("new.pdf", "new certificate"))
    assert second.version == 2 and second.sha256 != first.sha256 and second.file.name != first.file.name
    with EvidenceItem.objects.get(pk=first.pk).file.open("rb") as old:
        assert b"old certificate" in old.read()


def test_sending_the_same_again_records_nothing_new():
    admin, organisation = keeper()
    first = record(admin, organisation, "equality", review_date="2027-06-30", upload=pdf_upload("e.pdf", "same"))
    again = record(admin, organisation, "equality", review_date="30/06/2027", upload=pdf_upload("e.pdf", "same"))
    assert again.pk == first.pk
    assert EvidenceItem.objects.filter(organisation=organisation, item="equality").count() == 1
    assert AuditEvent.objects.filter(verb="evidence.record").count() == 1


def test_the_audit_event_names_the_version_but_never_what_it_says():
    admin, organisation = keeper()
    version = record(admin, organisation, insurer="Secret Insurer Ltd")
    event = AuditEvent.objects.get(verb="evidence.record")
    assert event.actor == admin and event.object_id == str(version.pk)
    assert event.after["version"] == 1 and event.after["sha256"] == version.sha256
    assert "Secret Insurer" not in json.dumps(event.after) + event.object_repr


def test_a_provider_member_may_keep_evidence_too():
    member, organisation = keeper(Role.PROVIDER_MEMBER)
    assert record(member, organisation).version == 1


def test_an_organisation_waiting_for_verification_may_keep_evidence():
    organisation = ProviderFactory(status=OrganisationStatus.PENDING)
    admin, _ = keeper(organisation=organisation)
    assert record(admin, organisation, "address").version == 1


def test_validity_follows_from_each_kind_of_item():
    admin, organisation = keeper()
    accounts = record(admin, organisation, "accounts", year_end="31/03/2025")
    assert accounts.valid_until == date(2026, 12, 31)
    marks = record(
        admin,
        organisation,
        "quality_marks",
        entries=[
            {"name": "PQASSO", "awarding_body": "NCVO", "expiry": "31/01/2029"},
            {"name": "", "awarding_body": "", "expiry": ""},
            {"name": "Investing in Volunteers", "awarding_body": "NCVO", "expiry": "2028-05-01"},
            {"name": "Leeds Quality Mark", "awarding_body": "Voluntary Action Leeds", "expiry": ""},
        ],
    )
    assert marks.valid_until == date(2028, 5, 1) and len(marks.data["entries"]) == 3
    assert record(admin, organisation, "references").valid_until is None
    assert record(admin, organisation, "address").valid_until is None


def test_identifiers_are_kept_in_their_org_id_form():
    admin, organisation = keeper()
    version = record(admin, organisation, "identifiers", identifiers="gb-chc 1190001\n\nGB-COH-1234567\n")
    assert version.data == {"legal_form": "registered_charity", "identifiers": ["GB-CHC-1190001", "GB-COH-01234567"]}
    errors = refusal(record, actor=admin, organisation=organisation, item="identifiers", identifiers="GB-CHC-12")
    assert "A registered charity number is 6 or 7 digits" in errors["identifiers"][0]


def test_months_are_added_to_the_end_of_a_shorter_month():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 2, 29), 21) == date(2025, 11, 29)
    assert add_months(date(2025, 3, 31), 21) == date(2026, 12, 31)


# Removing -------------------------------------------------------------------------


def test_removing_an_item_supersedes_it_without_a_successor_and_keeps_the_version():
    admin, organisation = keeper()
    version = record(admin, organisation)
    removed = services.evidence_item_remove(actor=admin, organisation=organisation, item="insurance_public")
    assert removed.pk == version.pk and removed.superseded_at is not None
    assert not EvidenceItem.objects.current().filter(organisation=organisation).exists()
    assert EvidenceItem.objects.get(pk=version.pk).data == version.data
    assert AuditEvent.objects.filter(verb="evidence.remove", object_id=str(version.pk)).exists()
    errors = refusal(services.evidence_item_remove, actor=admin, organisation=organisation, item="insurance_public")
    assert errors == {"": ["There is no public liability insurance in your evidence to remove"]}
    assert record(admin, organisation).version == 2


# What is refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cover", "message"),
    [
        ("five million", "Enter an amount in pounds using digits, like 1250 or 1,250.50"),
        ("12.345", "Enter an amount with no more than 2 decimal places"),
        ("-100", "Enter an amount of zero or more"),
        ("0", "Enter the cover, more than £0"),
        ("", "Enter the cover"),
    ],
)
def test_bad_money_is_refused_on_its_field(cover, message):
    admin, organisation = keeper()
    errors = refusal(record, actor=admin, organisation=organisation, cover=cover)
    assert errors == {"cover": [message]}
    assert not EvidenceItem.objects.exists()


@pytest.mark.parametrize(
    ("expiry", "message"),
    [
        ("31/02/2027", "Enter the expiry date as a real date, like 31/03/2027"),
        ("next week", "Enter the expiry date as a real date, like 31/03/2027"),
        ("01/01/1999", "Enter the expiry date as a date between 2000 and 2100"),
        ("", "Enter the expiry date"),
    ],
)
def test_bad_dates_are_refused_on_their_field(expiry, message):
    admin, organisation = keeper()
    errors = refusal(record, actor=admin, organisation=organisation, expiry=expiry)
    assert errors == {"expiry": [message]}


def test_accounts_cannot_end_in_the_future_and_years_must_be_in_order():
    admin, organisation = keeper()
    tomorrow = clock.today() + timedelta(days=1)
    errors = refusal(record, actor=admin, organisation=organisation, item="accounts", year_end=tomorrow)
    assert errors == {"year_end": ["The financial year end must be today or in the past"]}
    entries = [
        {"funder": "LCC", "what": "Breaks", "value": "100", "from_year": "2024", "to_year": "2022", "contact": "x"}
    ]
    errors = refusal(record, actor=admin, organisation=organisation, item="references", entries=entries)
    assert errors == {"entries-0-to_year": ["The end year must be the start year or later"]}
    errors = refusal(record, actor=admin, organisation=organisation, item="references", entries=[{"funder": ""}])
    assert errors == {"entries": ["Add at least one reference"]}


def test_an_entry_s_problem_is_named_by_its_place_as_sent_when_a_blank_entry_comes_first():
    admin, organisation = keeper()
    entries = [
        {"funder": "", "what": ""},
        {"funder": "LCC", "what": "Breaks", "value": "100", "from_year": "2024", "to_year": "2022", "contact": "x"},
    ]
    errors = refusal(record, actor=admin, organisation=organisation, item="references", entries=entries)
    assert errors == {"entries-1-to_year": ["The end year must be the start year or later"]}


def test_a_file_of_the_wrong_type_is_refused():
    admin, organisation = keeper()
    program = SimpleUploadedFile("certificate.exe", b"MZ\x90\x00")
    errors = refusal(record, actor=admin, organisation=organisation, upload=program)
    assert errors == {"file": ["The file must be a PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt, .ods) file"]}
    renamed = SimpleUploadedFile("certificate.pdf", b"MZ\x90\x00 not a pdf")
    errors = refusal(record, actor=admin, organisation=organisation, upload=renamed)
    assert errors == {"file": ["The file is not a real PDF file"]}
    assert not EvidenceItem.objects.exists()


def test_a_file_too_big_is_refused(settings):
    settings.EVIDENCE_FILE_MAX_MB = 1
    admin, organisation = keeper()
    big = SimpleUploadedFile("accounts.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    errors = refusal(record, actor=admin, organisation=organisation, upload=big)
    assert errors == {"file": ["The file must be smaller than 1 MB"]}


def test_an_item_that_needs_a_file_needs_one_the_first_time():
    admin, organisation = keeper()
    errors = refusal(record, actor=admin, organisation=organisation, upload=None)
    assert errors == {"file": ["Choose a file: certificate"]}
    errors = refusal(record, actor=admin, organisation=organisation, item="address", upload=pdf_upload("a.pdf", "a"))
    assert errors == {"file": ["The registered address item does not take a file"]}


def test_an_unknown_item_is_refused():
    admin, organisation = keeper()
    with pytest.raises(services.EvidenceError) as caught:
        services.evidence_item_record(actor=admin, organisation=organisation, item="tax_returns", data={})
    assert "tax_returns" in str(caught.value)


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.EVALUATOR, Role.ADMINISTRATOR, Role.PARTNERSHIP_REVIEWER])
def test_people_of_a_commissioning_body_cannot_write_anyone_s_evidence(role):
    _, organisation = keeper()
    outsider = person_with_role(role, CommissionerOrgFactory())
    with pytest.raises(services.EvidenceNotAllowed) as caught:
        record(outsider, organisation)
    assert isinstance(caught.value, RefusedError)
    assert not EvidenceItem.objects.exists()


def test_a_panel_member_at_the_provider_itself_cannot_write_its_evidence():
    _, organisation = keeper()
    evaluator = person_with_role(Role.EVALUATOR, organisation)
    with pytest.raises(services.EvidenceNotAllowed):
        record(evaluator, organisation)


def test_another_organisation_s_administrator_is_refused():
    _, organisation = keeper()
    other_admin, _ = keeper()
    with pytest.raises(services.EvidenceNotAllowed):
        record(other_admin, organisation)
    version = record(keeper(organisation=organisation)[0], organisation)
    with pytest.raises(services.EvidenceNotAllowed):
        services.evidence_item_remove(actor=other_admin, organisation=organisation, item=version.item)
    assert EvidenceItem.objects.get(pk=version.pk).is_current


@pytest.mark.parametrize("status", [OrganisationStatus.SUSPENDED, OrganisationStatus.REJECTED])
def test_a_suspended_or_declined_organisation_cannot_keep_evidence(status):
    organisation = ProviderFactory(status=status)
    admin, _ = keeper(organisation=organisation)
    with pytest.raises(services.EvidenceNotAllowed):
        record(admin, organisation)


# Versions cannot change -----------------------------------------------------------


def test_a_version_refuses_to_be_changed_or_deleted_in_the_model():
    admin, organisation = keeper()
    version = record(admin, organisation)
    version.data = {"insurer": "Someone else"}
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        EvidenceItem.objects.filter(pk=version.pk).update(data={})
    with pytest.raises(PermissionError):
        version.delete()
    with pytest.raises(PermissionError):
        EvidenceItem.objects.filter(pk=version.pk).delete()


def test_the_database_refuses_to_change_a_version_behind_the_model_s_back():
    admin, organisation = keeper()
    version = record(admin, organisation)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE evidence_evidenceitem SET valid_until = '2099-01-01' WHERE id = %s", [version.pk])
    assert EvidenceItem.objects.get(pk=version.pk).valid_until == version.valid_until
    EvidenceItem.objects.filter(pk=version.pk).update(superseded_at=clock.now())
    with pytest.raises(DatabaseError), transaction.atomic():
        EvidenceItem.objects.filter(pk=version.pk).update(superseded_at=None)


# What a version says --------------------------------------------------------------


def test_canonical_is_the_same_every_time_and_names_the_file_not_its_path():
    admin, organisation = keeper()
    version = record(admin, organisation, "quality_marks")
    reloaded = EvidenceItem.objects.get(pk=version.pk)
    first = json.dumps(version.canonical())
    assert first == json.dumps(reloaded.canonical()) == json.dumps(EvidenceItem.objects.get(pk=version.pk).canonical())
    canonical = reloaded.canonical()
    assert list(canonical) == ["data", "file", "item", "valid_until", "version"]
    assert canonical["item"] == "quality_marks" and canonical["version"] == 1
    assert canonical["valid_until"] == version.valid_until.isoformat()
    assert canonical["file"] is None
    certificate = record(admin, organisation)
    assert set(certificate.canonical()["file"]) == {"name", "sha256", "size"}
    assert "evidence/" not in json.dumps(certificate.canonical())


def test_canonical_differs_between_versions():
    admin, organisation = keeper()
    first = record(admin, organisation, insurer="A")
    second = record(admin, organisation, insurer="B", upload=None)
    assert first.canonical() != second.canonical()
    assert second.canonical()["file"] == first.canonical()["file"]
