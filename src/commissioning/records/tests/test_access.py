"""Who sees which records: their bodies' commissioners and administrators; everyone else gets 404."""

import pytest
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.records.selectors import record_get_for, records_for, records_startable_by

from .factories import body_of, record_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(commissioner):
    partner = CommissionerOrgFactory()
    own = record_for(commissioner, title="Own record")
    joint = record_for(
        person_with_role(Role.COMMISSIONER, partner), title="Joined record", joint_bodies=[body_of(commissioner)]
    )
    other = record_for(person_with_role(Role.COMMISSIONER, CommissionerOrgFactory()), title="Another body's record")
    return {"own": own, "joint": joint, "other": other, "partner": partner}


def test_a_commissioner_lists_their_bodies_records_led_or_joined(commissioner, records):
    assert {r.title for r in records_for(user=commissioner)} == {"Own record", "Joined record"}


def test_the_list_can_be_searched_by_reference_or_title(commissioner, records):
    assert [r.title for r in records_for(user=commissioner, query="joined")] == ["Joined record"]
    assert [r.reference for r in records_for(user=commissioner, query=records["own"].reference)] == [
        records["own"].reference
    ]


def test_an_administrator_lists_every_record(administrator, records):
    assert records_for(user=administrator).count() == 3


@pytest.mark.parametrize("role", [Role.PROVIDER_ADMIN, Role.EVALUATOR, Role.PARTNERSHIP_REVIEWER])
def test_no_one_else_lists_any(role, records):
    assert not records_for(user=person_with_role(role)).exists()


def test_the_signed_out_list_none(records):
    from django.contrib.auth.models import AnonymousUser

    assert not records_for(user=AnonymousUser()).exists()


def test_a_commissioner_gets_their_own_and_joined_records(commissioner, records):
    assert record_get_for(user=commissioner, reference=records["own"].reference) == records["own"]
    assert record_get_for(user=commissioner, reference=records["joint"].reference) == records["joint"]


def test_another_bodys_record_is_not_found_as_if_it_did_not_exist(commissioner, records):
    with pytest.raises(Http404):
        record_get_for(user=commissioner, reference=records["other"].reference)
    with pytest.raises(Http404):
        record_get_for(user=commissioner, reference="CR-2026-9999")


@pytest.mark.parametrize("role", [Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER, Role.EVALUATOR])
def test_people_who_do_not_commission_get_404(role, records):
    with pytest.raises(Http404):
        record_get_for(user=person_with_role(role), reference=records["own"].reference)


def test_an_evaluator_at_the_lead_body_gets_404(commissioner, records):
    evaluator = person_with_role(Role.EVALUATOR, body_of(commissioner))
    with pytest.raises(Http404):
        record_get_for(user=evaluator, reference=records["own"].reference)


def test_an_administrator_gets_any_record(administrator, records):
    assert record_get_for(user=administrator, reference=records["other"].reference) == records["other"]


def test_a_new_opportunity_may_start_in_the_bodys_own_records_only(commissioner, records, administrator):
    startable = records_startable_by(user=commissioner, lead_body=body_of(commissioner))
    assert {r.title for r in startable} == {"Own record", "Joined record"}
    assert records_startable_by(user=commissioner, lead_body=records["partner"]) == []
    assert records_startable_by(user=administrator, lead_body=body_of(commissioner)) == []
