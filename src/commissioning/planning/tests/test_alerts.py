"""Planned commissioning reaches the opportunities' alert subscribers when it is put on the pipeline."""

import pytest
from django.core import mail

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import VerifiedProviderFactory, person_with_role
from commissioning.opportunities import services as opportunity_services
from commissioning.planning import services
from commissioning.records.models import ServiceArea

from .factories import ARMLEY, BEESTON, plan_for

pytestmark = pytest.mark.django_db


def _subscriber(*, areas=(), wards=()):
    person = person_with_role(Role.PROVIDER_ADMIN, VerifiedProviderFactory())
    opportunity_services.alerts_set(
        actor=person, service_areas=list(ServiceArea.objects.filter(slug__in=areas)), ward_codes=list(wards)
    )
    return person


def test_a_plan_put_on_the_pipeline_is_mailed_once_to_subscribers_of_its_area_or_wards(
    django_capture_on_commit_callbacks,
):
    commissioner = person_with_role(Role.COMMISSIONER)
    by_area = _subscriber(areas=["carers-support"])
    by_ward = _subscriber(wards=[ARMLEY])
    elsewhere = _subscriber(areas=["digital-inclusion"], wards=[BEESTON])
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_for(commissioner)
    assert mail.outbox == []  # a draft is not announced
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_publish(actor=commissioner, plan=plan)
    planned = [m for m in mail.outbox if m.subject.startswith("Planned: ")]
    assert sorted(address for m in planned for address in m.to) == sorted([by_area.email, by_ward.email])
    assert all(len(m.to) == 1 for m in planned)  # nobody sees who else is told
    body = planned[0].body
    assert plan.record.title in planned[0].subject and f"/pipeline/{plan.record.reference}/" in body
    assert "not open for bids yet" in body and elsewhere.email not in {a for m in mail.outbox for a in m.to}
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_publish(actor=commissioner, plan=plan)  # publishing again announces nothing more
    assert len([m for m in mail.outbox if m.subject.startswith("Planned: ")]) == 2
