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


# The fast count must agree with the plain definition: walk the days one by one.
def _count_day_by_day(start: date, end: date, closures: frozenset[date]) -> int:
    if end < start:
        return -_count_day_by_day(end, start, closures)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day, closures)
    return count


def _add_day_by_day(start: date, n: int, closures: frozenset[date]) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= is_working_day(day, closures)
    return day


# Across the years the bank holiday tables cover and the years after them.
wide_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2110, 12, 31))
closure_sets = st.frozensets(st.dates(min_value=date(2020, 1, 1), max_value=date(2110, 12, 31)), max_size=40)


@st.composite
def ranges_with_closures(draw):
    start = draw(wide_dates)
    end = draw(st.dates(min_value=start - timedelta(days=800), max_value=start + timedelta(days=800)))
    near = st.dates(min_value=min(start, end), max_value=max(start, end))
    closures = draw(st.frozensets(near, max_size=20) | closure_sets)
    return start, end, closures


@given(case=ranges_with_closures())
def test_the_fast_count_equals_counting_day_by_day(case):
    start, end, closures = case
    assert working_days_between(start, end, closures) == _count_day_by_day(start, end, closures)


@given(start=wide_dates, n=st.integers(min_value=0, max_value=600), closures=closure_sets)
def test_adding_working_days_equals_stepping_day_by_day_and_counts_back(start, n, closures):
    end = add_working_days(start, n, closures)
    assert end == _add_day_by_day(start, n, closures)
    assert working_days_between(start, end, closures) == n


@given(start=dates, n=st.integers(min_value=1, max_value=60))
def test_adding_from_a_day_off_adds_the_same_as_from_the_day_before(start, n):
    # Starting on a Saturday, a Sunday or a bank holiday, the same working days follow.
    if not is_working_day(start):
        assert add_working_days(start, n) == add_working_days(start - timedelta(days=1), n)


def test_four_hundred_years_without_bank_holidays_hold_exactly_20871_weeks_of_weekdays():
    # The Gregorian calendar repeats every 146,097 days, which is 20,871 whole weeks;
    # the bank holiday tables end long before 2200.
    assert working_days_between(date(2200, 1, 1), date(2600, 1, 1)) == 20871 * 5


def test_a_deadline_in_the_year_9999_is_counted_without_walking_the_years(monkeypatch):
    from commissioning.core import workdays

    calls = []
    real = workdays.holidays.country_holidays

    def counting(*args, **kwargs):
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    for cached in ("_bank_holidays", "_weekday_bank_holidays", "_calendar"):
        if hasattr(workdays, cached):
            getattr(workdays, cached).cache_clear()
    monkeypatch.setattr(workdays.holidays, "country_holidays", counting)
    start, far = date(2026, 12, 1), date(9999, 12, 31)
    counted = working_days_between(start, far)
    # Each year the tables cover is read once at most; the years after them not at all.
    assert len(calls) <= 2100 - 2026 + 2
    assert counted == working_days_between(start, date(2100, 12, 31)) + working_days_between(date(2100, 12, 31), far)
    assert add_working_days(start, counted) == far  # 31/12/9999 is a Friday
    for cached in ("_bank_holidays", "_weekday_bank_holidays", "_calendar"):
        if hasattr(workdays, cached):
            getattr(workdays, cached).cache_clear()


def test_bank_holidays_after_the_tables_end_are_none():
    assert bank_holidays(date(2200, 1, 1), date(9999, 12, 31)) == []
