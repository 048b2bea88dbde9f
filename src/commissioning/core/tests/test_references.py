"""References: the prefix, this year and the next number, counted per prefix and per year."""

from datetime import UTC, datetime

import pytest
import time_machine

from commissioning.core.references import next_reference
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.records.models import CommissioningRecord
from commissioning.records.tests.factories import record_for

pytestmark = pytest.mark.django_db


@time_machine.travel(datetime(2027, 6, 1, 12, tzinfo=UTC), tick=False)
def test_the_next_reference_is_one_more_than_this_years_highest_and_starts_again_each_year():
    assert next_reference(CommissioningRecord, "CR") == "CR-2027-0001"
    commissioner = commissioner_at()
    first, second = record_for(commissioner), record_for(commissioner)
    assert (first.reference, second.reference) == ("CR-2027-0001", "CR-2027-0002")
    assert next_reference(CommissioningRecord, "CR") == "CR-2027-0003"
    assert next_reference(CommissioningRecord, "XX") == "XX-2027-0001"  # another prefix counts on its own
    with time_machine.travel(datetime(2028, 1, 1, 9, tzinfo=UTC), tick=False):
        assert next_reference(CommissioningRecord, "CR") == "CR-2028-0001"
