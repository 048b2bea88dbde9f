from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.workdays import (
    add_working_days,
    add_working_days_db,
    bank_holidays,
    is_working_day,
    working_days_between,
)

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


def test_eight_working_days_from_18_december_2026_skips_christmas_and_new_year():
    # Fri 18 Dec 2026. Christmas Day is Fri 25 Dec; Boxing Day falls on a Saturday, so
    # the substitute bank holiday is Mon 28 Dec; New Year's Day is Fri 1 Jan 2027.
    # Working days: 21, 22, 23, 24, 29, 30, 31 Dec, then 4 Jan.
    assert add_working_days(date(2026, 12, 18), 8) == date(2027, 1, 4)


def test_bank_holidays_over_christmas_2026_are_england_and_wales_ones():
    assert bank_holidays(date(2026, 12, 20), date(2027, 1, 5)) == [
        date(2026, 12, 25),
        date(2026, 12, 28),
        date(2027, 1, 1),
    ]


def test_weekends_and_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England)
    assert is_working_day(date(2026, 11, 30))  # St Andrew's Day is a Scottish holiday only


def test_one_working_day_after_a_friday_is_the_monday():
    assert add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_zero_days_is_the_same_day_and_negative_is_refused():
    assert add_working_days(date(2026, 11, 28), 0) == date(2026, 11, 28)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 11, 27), -1)


def test_closure_days_are_skipped():
    closures = {date(2026, 11, 30)}
    assert add_working_days(date(2026, 11, 27), 1, closures) == date(2026, 12, 1)


@pytest.mark.django_db
def test_the_administrators_closure_days_are_read_from_the_database():
    from commissioning.core.models import ClosureDay

    assert add_working_days_db(date(2026, 11, 27), 1) == date(2026, 11, 30)
    ClosureDay.objects.create(day=date(2026, 11, 30), reason="Office move")
    assert add_working_days_db(date(2026, 11, 27), 1) == date(2026, 12, 1)


@given(start=dates, n=st.integers(min_value=0, max_value=60))
def test_adding_then_counting_working_days_round_trips(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n


@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_the_result_of_adding_working_days_is_a_working_day_after_the_start(start, n):
    end = add_working_days(start, n)
    assert end > start
    assert is_working_day(end)
    # and never closer than n calendar days
    assert end - start >= timedelta(days=n)


@given(start=dates, n=st.integers(min_value=0, max_value=30), m=st.integers(min_value=0, max_value=30))
def test_adding_working_days_composes(start, n, m):
    assert add_working_days(add_working_days(start, n), m) == add_working_days(start, n + m)


@given(a=dates, b=dates)
def test_counting_is_antisymmetric(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)
