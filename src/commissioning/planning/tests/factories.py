"""Plans built through the services, as a commissioner would make them, in each state of their life."""

from datetime import date
from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import VerifiedProviderFactory, person_with_role
from commissioning.planning import services
from commissioning.records.models import ServiceArea

ARMLEY = "E05011389"
BEESTON = "E05011390"
HAREHILLS = "E05011398"


def body_of(commissioner):
    return commissioner.memberships.get(role=Role.COMMISSIONER).organisation


def plan_data(**overrides) -> dict:
    """A young carers' grant programme in Armley, £250,000 over three years from October 2027."""
    return {
        "title": "Young carers' support in west Leeds",
        "summary": "Breaks, groups and one-to-one support for young carers aged 8 to 18.",
        "client_groups": "Young carers",
        "city_wide": False,
        "estimated_value": Decimal("250000.00"),
        "service_area": ServiceArea.objects.get(slug="carers-support"),
        "funding_type": "grant",
        "expected_advert": date(2027, 4, 1),
        "expected_start": date(2027, 10, 1),
        "expected_end": date(2030, 9, 30),
        "contact_name": "Sam Lee",
        "contact_email": "sam.lee@example.org",
    } | overrides


def plan_for(commissioner, *, publish: bool = False, ward_codes=(ARMLEY,), joint_bodies=None, **overrides):
    """A plan led by ``commissioner``'s body (an idea), put on the pipeline when ``publish``."""
    plan = services.plan_create(
        actor=commissioner,
        lead_body=body_of(commissioner),
        data=plan_data(**overrides),
        ward_codes=list(ward_codes),
        joint_bodies=joint_bodies,
    )
    if publish:
        plan = services.plan_publish(actor=commissioner, plan=plan)
    return plan


def third_sector_partners(commissioner, plan, stages=("scoping", "design", "evaluation")):
    """A verified charity named as partner on each of ``stages``; returns the charity."""
    charity = VerifiedProviderFactory()
    for stage in stages:
        services.partner_add(
            actor=commissioner, plan=plan, organisation=charity, stage=stage, involvement=f"Helps with {stage}"
        )
    return charity


def two_bodies():
    """Commissioners of two different bodies."""
    return person_with_role(Role.COMMISSIONER), person_with_role(Role.COMMISSIONER)
