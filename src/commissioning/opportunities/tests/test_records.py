"""Every opportunity belongs to a commissioning record: started with it, or started within one of its body's."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.opportunities import services
from commissioning.opportunities.models import Opportunity, ServiceArea
from commissioning.records.models import CommissioningRecord
from commissioning.records.tests.factories import body_of, record_for
from commissioning.records.timeline import service_end

from .factories import commissioner_at, draft
from .test_api import LIST, bearer, new_draft, send

pytestmark = pytest.mark.django_db


def _facts(**overrides):
    return {
        "kind": "tender",
        "title": "Carers' breaks",
        "summary": "Short breaks for unpaid carers.",
        "service_area": ServiceArea.objects.get(slug="older-people"),
        "total_value": Decimal("75000.00"),
        "duration_months": 12,
        "regime": "below_threshold",
    } | overrides


def test_a_new_draft_starts_its_own_record_with_its_facts():
    commissioner = commissioner_at()
    partner = CommissionerOrgFactory()
    opportunity = services.opportunity_create(
        actor=commissioner,
        lead_commissioner=body_of(commissioner),
        data=_facts(service_start=clock.today() + timedelta(days=90)),
        ward_codes=["E05011398"],
        joint_commissioners=[partner],
    )
    record = opportunity.record
    assert (record.title, record.summary, record.estimated_value) == (
        "Carers' breaks",
        "Short breaks for unpaid carers.",
        Decimal("75000.00"),
    )
    assert record.lead_body == body_of(commissioner) and list(record.joint_bodies.all()) == [partner]
    assert [w.code for w in record.wards.all()] == ["E05011398"]
    assert record.expected_start == opportunity.service_start
    assert record.expected_end == service_end(opportunity.service_start, 12)
    assert AuditEvent.objects.get(verb="opportunity.create").after["record"] == record.reference
    assert AuditEvent.objects.filter(verb="record.create", actor=commissioner).count() == 1


def test_a_draft_started_within_a_record_joins_it_and_starts_none():
    commissioner = commissioner_at()
    record = record_for(commissioner)
    first = draft(commissioner)
    again = services.opportunity_create(
        actor=commissioner, lead_commissioner=body_of(commissioner), data=_facts(), ward_codes=[], record=record
    )
    assert again.record == record and first.record != record
    assert list(record.opportunities.order_by("pk")) == [again]
    assert CommissioningRecord.objects.count() == 2


def test_another_bodys_record_is_refused_on_the_record():
    commissioner = commissioner_at()
    theirs = record_for(person_with_role(Role.COMMISSIONER, CommissionerOrgFactory()))
    with pytest.raises(services.OpportunityError) as refused:
        services.opportunity_create(
            actor=commissioner, lead_commissioner=body_of(commissioner), data=_facts(), ward_codes=[], record=theirs
        )
    assert "record" in refused.value.errors
    assert not Opportunity.objects.exists()


def test_a_record_the_lead_body_only_joins_is_allowed_but_not_one_it_is_not_in():
    commissioner = commissioner_at()
    other = person_with_role(Role.COMMISSIONER, CommissionerOrgFactory())
    joined = record_for(other, joint_bodies=[body_of(commissioner)])
    made = services.opportunity_create(
        actor=commissioner, lead_commissioner=body_of(commissioner), data=_facts(), ward_codes=[], record=joined
    )
    assert made.record == joined


def test_a_draft_the_database_refuses_leaves_no_record_behind():
    commissioner = commissioner_at()
    with pytest.raises(IntegrityError):
        services.opportunity_create(
            actor=commissioner,
            lead_commissioner=body_of(commissioner),
            data=_facts(price_weight=Decimal(150)),  # the table allows 0 to 100
            ward_codes=[],
        )
    assert not CommissioningRecord.objects.exists()
    assert not AuditEvent.objects.filter(verb="record.create").exists()


def test_the_create_form_offers_the_bodys_records_and_a_chosen_one_is_joined(client):
    from .test_pages import fmt

    commissioner = commissioner_at()
    record = record_for(commissioner, title="Carers' support")
    record_for(person_with_role(Role.COMMISSIONER, CommissionerOrgFactory()), title="Not theirs")
    client.force_login(commissioner)
    form = client.get(f"/commissioning/opportunities/new/?record={record.reference}").content.decode()
    assert f'<option value="{record.reference}" selected>' in form and "Not theirs" not in form
    deadline = clock.now() + timedelta(days=40)
    response = client.post(
        "/commissioning/opportunities/new/",
        {
            "record": record.reference,
            "kind": "tender",
            "title": "Carers' breaks, again",
            "summary": "Short breaks for unpaid carers.",
            "service_area": ServiceArea.objects.get(slug="older-people").pk,
            "wards": ["E05011389"],
            "total_value": "75000",
            "duration_months": "12",
            "question_deadline": fmt(deadline - timedelta(days=10)),
            "submission_deadline": fmt(deadline),
            "price_weight": "30",
            "price_method": "lowest_proportional",
        },
    )
    assert response.status_code == 302
    assert Opportunity.objects.get().record == record
    manage = client.get(response["Location"]).content.decode()
    assert f"/commissioning/records/{record.reference}/" in manage


def test_a_commissioner_without_records_is_not_asked_to_choose(client):
    commissioner = commissioner_at()
    client.force_login(commissioner)
    assert "Which commissioning record" not in client.get("/commissioning/opportunities/new/").content.decode()


def test_a_draft_started_through_the_api_has_its_record(client):
    commissioner = commissioner_at()
    response = send(client, "post", LIST, new_draft(commissioner), **bearer(commissioner))
    assert response.status_code == 201, response.content
    record = Opportunity.objects.get(reference=response.json()["reference"]).record
    assert record.title == "Befriending for older people in Otley" and record.lead_body == body_of(commissioner)
