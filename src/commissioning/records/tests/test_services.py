"""Starting and changing commissioning records: who may, what must hold, what the audit log keeps."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, VerifiedProviderFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.opportunities.models import Opportunity
from commissioning.records.models import CommissioningRecord
from commissioning.records.services import RecordError, record_create, record_update
from commissioning.records.timeline import service_end

from .factories import body_of, record_for

pytestmark = pytest.mark.django_db


def test_a_record_is_started_with_its_facts_a_reference_and_an_audit_event(commissioner):
    partner = CommissionerOrgFactory()
    record = record_for(commissioner, joint_bodies=[partner])

    assert record.reference.startswith("CR-") and record.reference.endswith("-0001")
    assert record.lead_body == body_of(commissioner) and list(record.joint_bodies.all()) == [partner]
    assert record.bodies == [body_of(commissioner), partner]
    assert [w.code for w in record.wards.all()] == ["E05011398"]
    assert record.estimated_value == Decimal("1200000.00")
    event = AuditEvent.objects.get(verb="record.create")
    assert event.actor == commissioner and event.after["title"] == "Home care in north-east Leeds"
    assert event.after["joint_bodies"] == [partner.pk]


def test_references_count_up_within_the_year(commissioner):
    first, second = record_for(commissioner), record_for(commissioner, title="Extra care housing")
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1
    assert first.reference.rsplit("-", 1)[0] == second.reference.rsplit("-", 1)[0]


@pytest.mark.parametrize("role", [Role.PROVIDER_ADMIN, Role.EVALUATOR, Role.ADMINISTRATOR])
def test_only_a_commissioner_of_the_lead_body_may_start_one(role):
    body = CommissionerOrgFactory()
    person = person_with_role(role, body if role != Role.PROVIDER_ADMIN else VerifiedProviderFactory())
    with pytest.raises(PermissionDenied):
        record_create(actor=person, lead_body=body, data={"title": "T", "summary": "S"})
    assert not CommissioningRecord.objects.exists()


def test_a_commissioner_cannot_start_one_for_another_body(commissioner):
    with pytest.raises(PermissionDenied):
        record_create(actor=commissioner, lead_body=CommissionerOrgFactory(), data={"title": "T", "summary": "S"})


def test_joint_bodies_must_be_commissioning_bodies(commissioner):
    with pytest.raises(RecordError) as refused:
        record_for(commissioner, joint_bodies=[VerifiedProviderFactory()])
    assert "joint_bodies" in refused.value.errors
    assert not CommissioningRecord.objects.exists()


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"title": " "}, "title"),
        ({"summary": ""}, "summary"),
        ({"estimated_value": Decimal("-1")}, "estimated_value"),
        ({"expected_start": date(2027, 4, 1), "expected_end": date(2027, 3, 31)}, "expected_end"),
    ],
)
def test_facts_that_cannot_be_are_refused_on_their_field(commissioner, facts, field):
    with pytest.raises(RecordError) as refused:
        record_for(commissioner, **facts)
    assert field in refused.value.errors
    assert not CommissioningRecord.objects.exists()


def test_an_unknown_ward_is_refused(commissioner):
    with pytest.raises(RecordError) as refused:
        record_for(commissioner, ward_codes=["E99999999"])
    assert refused.value.errors == {"wards": ["Unknown ward: E99999999"]}


def test_a_change_is_audited_field_by_field(commissioner):
    record = record_for(commissioner)
    changed = record_update(
        actor=commissioner,
        record=record,
        data={"estimated_value": Decimal("1500000.00"), "title": record.title},
        ward_codes=["E05011398", "E05011399"],
    )
    assert changed.estimated_value == Decimal("1500000.00")
    event = AuditEvent.objects.get(verb="record.update")
    assert event.before == {"estimated_value": "1200000.00", "wards": ["E05011398"]}
    assert event.after == {"estimated_value": "1500000.00", "wards": ["E05011398", "E05011399"]}


def test_nothing_changed_writes_no_audit_event(commissioner):
    record = record_for(commissioner)
    record_update(actor=commissioner, record=record, data={"title": record.title})
    assert not AuditEvent.objects.filter(verb="record.update").exists()


def test_a_joint_bodys_commissioner_may_change_it_and_another_bodys_may_not(commissioner):
    partner = CommissionerOrgFactory()
    record = record_for(commissioner, joint_bodies=[partner])
    joint = person_with_role(Role.COMMISSIONER, partner)
    assert record_update(actor=joint, record=record, data={"client_groups": "Carers"}).client_groups == "Carers"
    outsider = person_with_role(Role.COMMISSIONER, CommissionerOrgFactory())
    with pytest.raises(PermissionDenied):
        record_update(actor=outsider, record=record, data={"client_groups": "Nobody"})
    record.refresh_from_db()
    assert record.client_groups == "Carers"


def test_a_change_is_held_to_the_same_facts(commissioner):
    record = record_for(commissioner)
    with pytest.raises(RecordError) as refused:
        record_update(actor=commissioner, record=record, data={"expected_end": date(2026, 1, 1)})
    assert "expected_end" in refused.value.errors
    record.refresh_from_db()
    assert record.expected_end == date(2030, 3, 31)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 4, 1), 12, date(2028, 3, 31)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 2, 28), 1, date(2027, 3, 27)),
        (date(2027, 11, 15), 3, date(2028, 2, 14)),
        (None, 12, None),
        (date(2027, 4, 1), None, None),
    ],
)
def test_a_service_ends_the_day_before_the_same_day_its_length_later(start, months, end):
    assert service_end(start, months) == end


def test_the_demo_has_records_with_two_opportunities_and_with_none_and_loads_once():
    from django.core.management import call_command

    call_command("load_demo_data", quiet=True)
    counts = (CommissioningRecord.objects.count(), Opportunity.objects.count())
    call_command("load_demo_data", quiet=True)
    assert (CommissioningRecord.objects.count(), Opportunity.objects.count()) == counts
    assert not Opportunity.objects.filter(record__isnull=True).exists()
    holiday = Opportunity.objects.get(title="Holiday activities and food in south Leeds").record
    assert sorted(o.display_status for o in holiday.opportunities.all()) == ["open", "withdrawn"]
    planned = CommissioningRecord.objects.get(title="Extra care housing support in east Leeds")
    assert not planned.opportunities.exists() and planned.wards.count() == 2
