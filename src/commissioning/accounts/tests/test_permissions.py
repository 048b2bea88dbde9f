"""Who commissions for which bodies: the one reading every stage's commissioner check uses."""

import pytest
from django.contrib.auth.models import AnonymousUser

from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.permissions import commissioning_at, commissions_for
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.opportunities.tests.factories import draft

pytestmark = pytest.mark.django_db


def test_a_commissioner_commissions_for_their_bodies_and_nobody_else_does():
    council, icb = CommissionerOrgFactory(), CommissionerOrgFactory()
    commissioner = person_with_role(Role.COMMISSIONER, council)
    assert commissioning_at(commissioner) == {council.pk}
    assert commissioning_at(AnonymousUser()) == frozenset()
    assert commissioning_at(None) == frozenset()
    # An evaluator at the same body is not its commissioner.
    assert commissioning_at(person_with_role(Role.EVALUATOR, council)) == frozenset()
    opportunity = draft(commissioner)
    assert commissions_for(commissioner, opportunity.lead_commissioner_id, opportunity.joint_commissioners)
    other = person_with_role(Role.COMMISSIONER, icb)
    assert not commissions_for(other, opportunity.lead_commissioner_id, opportunity.joint_commissioners)
    opportunity.joint_commissioners.add(icb)  # a joint body's commissioner commissions it too
    assert commissions_for(other, opportunity.lead_commissioner_id, opportunity.joint_commissioners)


def test_a_suspended_bodys_commissioner_commissions_for_nothing():
    council = CommissionerOrgFactory()
    commissioner = person_with_role(Role.COMMISSIONER, council)
    opportunity = draft(commissioner)
    council.status = OrganisationStatus.SUSPENDED
    council.save(update_fields=["status"])
    commissioner = type(commissioner).objects.get(pk=commissioner.pk)  # as on their next request
    assert commissioning_at(commissioner) == frozenset()
    assert not commissions_for(commissioner, opportunity.lead_commissioner_id, opportunity.joint_commissioners)
