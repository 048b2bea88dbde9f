"""Commissioning records built through the services, as a commissioner would start them."""

from datetime import date
from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.records import services


def body_of(commissioner):
    return commissioner.memberships.get(role=Role.COMMISSIONER).organisation


def record_for(commissioner, **overrides):
    """A record led by ``commissioner``'s body: home care in two wards, £1.2m over three years."""
    data = {
        "title": "Home care in north-east Leeds",
        "summary": "Care and support at home for adults who need help with daily living.",
        "client_groups": "Older people; adults with physical disabilities",
        "expected_start": date(2027, 4, 1),
        "expected_end": date(2030, 3, 31),
        "estimated_value": Decimal("1200000.00"),
    } | {k: v for k, v in overrides.items() if k in services.RECORD_FIELDS}
    return services.record_create(
        actor=commissioner,
        lead_body=body_of(commissioner),
        data=data,
        ward_codes=overrides.get("ward_codes", ["E05011398"]),
        joint_bodies=overrides.get("joint_bodies"),
    )
