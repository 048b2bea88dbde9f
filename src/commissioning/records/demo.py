"""The demo's commissioning record that has no opportunity yet: a piece of commissioning still being planned.

The other demo records are started with their opportunities (see the
opportunities' demo). Safe to run again: the record is found by its title.
"""

from datetime import date
from decimal import Decimal

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock

from . import services
from .models import CommissioningRecord
from .timeline import service_end

PLANNED = {
    "title": "Extra care housing support in east Leeds",
    "summary": (
        "Care and support on site, day and night, for tenants of two new extra care housing schemes in "
        "Seacroft and Harehills."
    ),
    "client_groups": "Older people and adults with physical disabilities who need care to live independently",
    "estimated_value": Decimal("2400000.00"),
}
WARDS = ["E05011404", "E05011398"]  # Killingbeck & Seacroft, Gipton & Harehills
COMMISSIONER = "commissioner@leeds-council.example"
COUNCIL = "Leeds City Council"


def load() -> list[dict]:
    """Start the planned record once, as the council's commissioner. Adds no accounts."""
    if CommissioningRecord.objects.filter(title=PLANNED["title"]).exists():
        return []
    start = date(clock.today().year + 1, 10, 1)  # five years from next October
    services.record_create(
        actor=User.objects.get(email=COMMISSIONER),
        lead_body=Organisation.objects.get(name=COUNCIL),
        data=PLANNED | {"expected_start": start, "expected_end": service_end(start, 60)},
        ward_codes=WARDS,
    )
    return []
