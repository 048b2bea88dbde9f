"""The needs services: who may write, what is refused and why, and what is audited."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, VerifiedProviderFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.records.tests.factories import record_for

from .. import services
from ..models import AssessmentStatus, CoProduction, Evidence, Sector
from .factories import (
    ARMLEY,
    BRAMLEY,
    activity_for,
    assessment_for,
    body_of,
    carers,
    complete,
    completed_for,
    evidence_for,
)

pytestmark = pytest.mark.django_db


def refused(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(services.NeedsError) as caught:
        call(**kwargs)
    return caught.value.errors


# Assessments ---------------------------------------------------------------------------------


def test_a_commissioner_starts_a_draft_for_their_body_with_a_reference_and_an_audit_event(commissioner):
    assessment = assessment_for(commissioner)
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.reference.startswith(f"LNA-{clock.today().year}-")
    assert assessment.body == body_of(commissioner)
    assert sorted(w.code for w in assessment.wards.all()) == [ARMLEY, BRAMLEY]
    event = AuditEvent.objects.get(verb="assessment.create", object_id=str(assessment.pk))
    assert event.after["wards"] == [ARMLEY, BRAMLEY]


def test_two_assessments_get_different_references(commissioner):
    assert assessment_for(commissioner).reference != assessment_for(commissioner).reference


def test_wards_may_be_given_by_name(commissioner):
    assessment = assessment_for(commissioner, ward_codes=["Kirkstall", "farnley & wortley"])
    assert sorted(w.name for w in assessment.wards.all()) == ["Farnley & Wortley", "Kirkstall"]


def test_an_unknown_ward_is_refused_by_name_and_nothing_is_saved(commissioner):
    errors = refused(
        services.assessment_create,
        actor=commissioner,
        body=body_of(commissioner),
        data={"title": "T", "service_area": carers(), "question": "Q"},
        ward_codes=[ARMLEY, "E05999999", "Narnia"],
    )
    assert "E05999999" in errors["wards"][0] and "Narnia" in errors["wards"][0]
    assert not AuditEvent.objects.filter(verb="assessment.create").exists()


def test_an_assessment_covers_the_city_or_at_least_one_ward(commissioner):
    errors = refused(assessment_for, commissioner=commissioner, ward_codes=[])
    assert errors["wards"] == ["Choose at least one ward, or say the assessment covers the whole of Leeds"]
    city = assessment_for(commissioner, ward_codes=[ARMLEY], city_wide=True)
    assert city.city_wide and not city.wards.exists()


def test_every_missing_fact_is_refused_at_once(commissioner):
    errors = refused(services.assessment_create, actor=commissioner, body=body_of(commissioner), data={}, ward_codes=[])
    assert set(errors) == {"title", "question", "service_area", "wards"}


def test_an_inactive_outcome_area_is_refused(commissioner):
    area = carers()
    area.active = False
    area.save()
    assert "service_area" in refused(assessment_for, commissioner=commissioner)


def test_only_a_commissioner_of_the_body_may_start_one(commissioner, provider_admin):
    other_body = CommissionerOrgFactory()
    with pytest.raises(PermissionDenied):
        services.assessment_create(actor=commissioner, body=other_body, data={"title": "T"}, ward_codes=[ARMLEY])
    with pytest.raises(PermissionDenied):
        services.assessment_create(
            actor=provider_admin, body=provider_admin.memberships.get().organisation, data={}, ward_codes=[]
        )


def test_an_update_changes_only_what_is_given_and_audits_before_and_after(commissioner):
    assessment = assessment_for(commissioner)
    updated = services.assessment_update(
        actor=commissioner, assessment=assessment, data={"title": "Young carers in Armley"}, ward_codes=[ARMLEY]
    )
    assert updated.title == "Young carers in Armley"
    assert [w.code for w in updated.wards.all()] == [ARMLEY]
    event = AuditEvent.objects.get(verb="assessment.update")
    assert event.before == {"title": "Young carers in west Leeds", "wards": [ARMLEY, BRAMLEY]}
    services.assessment_update(actor=commissioner, assessment=assessment, data={"title": "Young carers in Armley"})
    assert AuditEvent.objects.filter(verb="assessment.update").count() == 1


def test_another_bodys_commissioner_cannot_change_a_draft(commissioner):
    assessment = assessment_for(commissioner)
    stranger = person_with_role(Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        services.assessment_update(actor=stranger, assessment=assessment, data={"title": "Mine"})


def test_a_completed_assessment_is_read_only(commissioner):
    assessment = completed_for(commissioner)
    assert assessment.status == AssessmentStatus.COMPLETED and assessment.completed_at is not None
    for call, kwargs in (
        (services.assessment_update, {"assessment": assessment, "data": {"title": "Changed"}}),
        (evidence_for, {"assessment": assessment}),
        (activity_for, {"assessment": assessment}),
        (
            services.ward_figure_add,
            {"assessment": assessment, "ward_code": ARMLEY, "indicator": "X", "year": 2025, "value": "1"},
        ),
    ):
        kwargs = {("commissioner" if call in (evidence_for, activity_for) else "actor"): commissioner, **kwargs}
        assert refused(call, **kwargs) == {"": ["This assessment is completed: it can no longer be changed"]}


def test_completing_needs_findings_and_needs(commissioner):
    assessment = assessment_for(commissioner, findings="", needs_identified="")
    evidence_for(commissioner, assessment)
    activity_for(commissioner, assessment)
    errors = refused(complete, commissioner=commissioner, assessment=assessment)
    assert errors[""] == [
        "Write the findings before completing the assessment",
        "List the needs identified before completing the assessment",
    ]


def test_completing_twice_is_refused(commissioner):
    assessment = completed_for(commissioner)
    assert refused(complete, commissioner=commissioner, assessment=assessment)
    assert AuditEvent.objects.filter(verb="assessment.complete").count() == 1


# Evidence ------------------------------------------------------------------------------------


def test_evidence_is_added_with_a_link_and_audited(commissioner):
    assessment = assessment_for(commissioner)
    evidence = evidence_for(commissioner, assessment)
    assert evidence.sector == Sector.THIRD_SECTOR and evidence.added_by == commissioner
    assert AuditEvent.objects.get(verb="assessment.evidence_add").after["source"] == "Carers Leeds"


def test_evidence_may_carry_a_file_checked_by_its_content(commissioner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assessment = assessment_for(commissioner)
    report = SimpleUploadedFile("report.pdf", b"%PDF-1.7 the survey")
    evidence = services.evidence_add(
        actor=commissioner,
        assessment=assessment,
        data={"source": "Carers Leeds", "sector": "third_sector", "dated": date(2026, 1, 5), "shows": "Gaps"},
        upload=report,
    )
    assert evidence.link == "" and evidence.document.name.endswith(".pdf")
    assert services.evidence_content_type(evidence) == "application/pdf"
    program = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")
    errors = refused(
        services.evidence_add,
        actor=commissioner,
        assessment=assessment,
        data={"source": "X", "sector": "third_sector", "dated": date(2026, 1, 5), "shows": "Gaps"},
        upload=program,
    )
    assert errors == {"document": ["The file is not a real PDF file"]}


def test_evidence_needs_a_link_or_a_file(commissioner):
    assessment = assessment_for(commissioner)
    errors = refused(evidence_for, commissioner=commissioner, assessment=assessment, link="")
    assert errors == {"link": ["Enter a link to the evidence, or choose a file, or both"]}


def test_evidence_is_refused_with_every_problem_at_once(commissioner):
    assessment = assessment_for(commissioner)
    errors = refused(
        services.evidence_add,
        actor=commissioner,
        assessment=assessment,
        data={
            "source": "",
            "sector": "gossip",
            "dated": clock.today() + timedelta(days=1),
            "link": "ftp://x",
            "shows": "",
        },
    )
    assert errors == {
        "source": ["Enter who produced the evidence"],
        "sector": ["Choose the sector the evidence came from"],
        "dated": ["The date of the evidence must be today or in the past"],
        "link": ["Enter a link that starts with https://, like https://www.example.org/join"],
        "shows": ["Enter what the evidence shows about the need"],
    }
    assert not Evidence.objects.exists()


def test_evidence_dated_before_the_horizon_is_refused(commissioner):
    assessment = assessment_for(commissioner)
    errors = refused(evidence_for, commissioner=commissioner, assessment=assessment, dated=date(1899, 1, 1))
    assert errors == {"dated": ["The date of the evidence must be on or after 1 January 2000"]}


def test_a_link_with_a_user_name_is_refused(commissioner):
    assessment = assessment_for(commissioner)
    errors = refused(evidence_for, commissioner=commissioner, assessment=assessment, link="https://a@b.example/")
    assert "link" in errors


def test_evidence_is_changed_and_removed_with_audit_events(commissioner):
    assessment = assessment_for(commissioner)
    evidence = evidence_for(commissioner, assessment)
    services.evidence_update(actor=commissioner, evidence=evidence, data={"sector": "public_body"})
    assert Evidence.objects.get(pk=evidence.pk).sector == "public_body"
    assert AuditEvent.objects.get(verb="assessment.evidence_update").before["sector"] == "third_sector"
    errors = refused(services.evidence_update, actor=commissioner, evidence=evidence, data={"link": ""})
    assert "link" in errors
    services.evidence_remove(actor=commissioner, evidence=evidence)
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.get(verb="assessment.evidence_remove").before["source"] == "Carers Leeds"


def test_another_bodys_commissioner_cannot_add_evidence(commissioner):
    assessment = assessment_for(commissioner)
    with pytest.raises(PermissionDenied):
        evidence_for(person_with_role(Role.COMMISSIONER), assessment)


# Ward figures by hand -----------------------------------------------------------------------


def test_a_figure_added_by_hand_for_the_same_ward_indicator_and_year_replaces_the_old_and_says_so(commissioner):
    assessment = assessment_for(commissioner)
    first = services.ward_figure_add(
        actor=commissioner, assessment=assessment, ward_code=ARMLEY, indicator="Young carers", year="2025", value="41"
    )
    assert first.replaced is None
    again = services.ward_figure_add(
        actor=commissioner, assessment=assessment, ward_code="Armley", indicator="young carers", year=2025, value="45.5"
    )
    assert again.replaced == 41 and again.figure.pk == first.figure.pk
    assert assessment.ward_figures.get().value == pytest.approx(45.5)
    assert AuditEvent.objects.filter(verb="assessment.ward_figure_save").order_by("pk").last().before == {
        "value": "41.0000"
    }


def test_a_figure_by_hand_is_refused_with_every_problem(commissioner):
    assessment = assessment_for(commissioner)
    errors = refused(
        services.ward_figure_add,
        actor=commissioner,
        assessment=assessment,
        ward_code="Gotham",
        indicator="",
        year="1850",
        value="lots",
    )
    assert errors["ward"] == ["There is no Leeds ward \u201cGotham\u201d: choose a ward from the list"]
    assert errors["indicator"] and errors["year"][0].startswith("The year must be from 2000 to ")
    assert errors["value"] == ["The value \u201clots\u201d is not a number"]


def test_a_figure_is_removed(commissioner):
    assessment = assessment_for(commissioner)
    saved = services.ward_figure_add(
        actor=commissioner, assessment=assessment, ward_code=ARMLEY, indicator="Young carers", year=2025, value="41"
    )
    services.ward_figure_remove(actor=commissioner, figure=saved.figure)
    assert not assessment.ward_figures.exists()


# Co-production -------------------------------------------------------------------------------


def test_coproduction_is_recorded_for_an_assessment_with_its_organisations(commissioner):
    assessment = assessment_for(commissioner)
    charity = VerifiedProviderFactory()
    activity = services.coproduction_add(
        actor=commissioner,
        assessment=assessment,
        data={
            "kind": "workshop",
            "title": "Schools workshop",
            "held_on": date(2026, 6, 1),
            "participants": 30,
            "communities": "",
            "what_changed": "Schools will name a young carers lead",
        },
        organisations=[charity],
    )
    assert list(activity.organisations.all()) == [charity]
    assert AuditEvent.objects.get(verb="coproduction.add").after["organisations"] == [charity.pk]


def test_coproduction_is_refused_with_every_problem(commissioner):
    assessment = assessment_for(commissioner)
    errors = refused(
        activity_for,
        commissioner=commissioner,
        assessment=assessment,
        kind="party",
        title="",
        held_on=clock.today() + timedelta(days=3),
        participants=-1,
        what_changed="",
    )
    assert set(errors) == {"kind", "title", "held_on", "participants", "what_changed"}
    assert not CoProduction.objects.exists()


def test_coproduction_names_only_organisations_in_the_directory(commissioner):
    from commissioning.accounts.models import OrganisationStatus
    from commissioning.accounts.tests.factories import ProviderFactory

    assessment = assessment_for(commissioner)
    pending = ProviderFactory(status=OrganisationStatus.PENDING)
    errors = refused(
        services.coproduction_add,
        actor=commissioner,
        assessment=assessment,
        data={"kind": "survey", "title": "S", "held_on": date(2026, 1, 1), "participants": 3, "what_changed": "W"},
        organisations=[pending],
    )
    assert errors == {"organisations": ["Choose organisations from the list"]}


def test_coproduction_for_a_record_is_kept_by_the_records_commissioners(commissioner):
    record = record_for(commissioner)
    activity = activity_for(commissioner, record=record)
    assert activity.record == record and activity.assessment is None
    services.coproduction_update(actor=commissioner, activity=activity, data={"participants": 14})
    assert CoProduction.objects.get(pk=activity.pk).participants == 14
    stranger = person_with_role(Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        activity_for(stranger, record=record)
    with pytest.raises(PermissionDenied):
        services.coproduction_remove(actor=stranger, activity=activity)
    services.coproduction_remove(actor=commissioner, activity=activity)
    assert not CoProduction.objects.exists()
    assert AuditEvent.objects.filter(verb__startswith="coproduction.", object_id=str(record.pk)).count() == 3


def test_coproduction_is_for_an_assessment_or_a_record_not_both(commissioner):
    with pytest.raises(ValueError):
        activity_for(commissioner, assessment_for(commissioner), record=record_for(commissioner))
