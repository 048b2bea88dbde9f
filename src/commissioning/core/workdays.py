"""Working-day arithmetic for England and Wales.

A working day is Monday to Friday that is neither an England and Wales bank
holiday (from the ``holidays`` package) nor an extra closure day kept by an
administrator (:class:`commissioning.core.models.ClosureDay`). Standstill
periods, lead times and feedback deadlines are counted with these functions.

Counting never walks the calendar day by day: the weekdays in a range are
found from whole weeks, and the bank holidays and closure days that fall on
weekdays in it are subtracted, so a range of ten thousand years costs no more
than a range of ten. The pure functions take the closure days as an argument
so they can be property-tested; the ``*_db`` helpers read the administrator's
table.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache, lru_cache

import holidays

from commissioning.core.models import ClosureDay

WEEKDAYS_PER_WEEK = 5


@lru_cache(maxsize=1)
def _calendar() -> holidays.HolidayBase:
    # The "ENG" subdivision carries the bank holidays England and Wales share.
    return holidays.country_holidays("GB", subdiv="ENG")


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    calendar = _calendar()
    # The package knows bank holidays for a bounded run of years; outside it
    # there are none to read, and asking year by year would only cost time.
    if not calendar.start_year <= year <= calendar.end_year:
        return frozenset()
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


@cache
def _weekday_bank_holidays(year: int) -> tuple[date, ...]:
    return tuple(sorted(d for d in _bank_holidays(year) if d.weekday() < WEEKDAYS_PER_WEEK))


def _known_years(start: date, end: date) -> range:
    calendar = _calendar()
    return range(max(start.year, calendar.start_year), min(end.year, calendar.end_year) + 1)


def bank_holidays(start: date, end: date) -> list[date]:
    """Return the England and Wales bank holidays from ``start`` to ``end`` inclusive.

    Only days off work are listed: when Christmas or Boxing Day falls at a
    weekend, the substitute weekday is the bank holiday.
    """
    days: list[date] = []
    for year in _known_years(start, end):
        listed = _weekday_bank_holidays(year)
        days.extend(listed[bisect_left(listed, start) : bisect_right(listed, end)])
    return days


def is_working_day(day: date, closures: Iterable[date] = ()) -> bool:
    """Tell whether ``day`` is a working day (not a weekend, bank holiday or closure)."""
    if day.weekday() >= WEEKDAYS_PER_WEEK:
        return False
    if day in _bank_holidays(day.year):
        return False
    return day not in set(closures)


def _weekdays_through(day: date) -> int:
    """How many Mondays to Fridays there are up to and including ``day`` in the proleptic calendar.

    Day 1 of the ordinal calendar (1 January of year 1) is a Monday, so whole
    weeks give five weekdays each and a part week gives up to five more.
    """
    weeks, extra = divmod(day.toordinal(), 7)
    return weeks * WEEKDAYS_PER_WEEK + min(extra, WEEKDAYS_PER_WEEK)


def _days_off_within(start: date, end: date, closed: frozenset[date]) -> int:
    """Weekdays after ``start`` up to and including ``end`` that are bank holidays or closures."""
    if end <= start:
        return 0
    first = start + timedelta(days=1)
    holidays_in_range = bank_holidays(first, end)
    listed = set(holidays_in_range)
    extra = sum(1 for d in closed if start < d <= end and d.weekday() < WEEKDAYS_PER_WEEK and d not in listed)
    return len(holidays_in_range) + extra


def _add_weekdays(start: date, days: int) -> date:
    """The date ``days`` (at least one) Mondays-to-Fridays after ``start``."""
    # From a weekend, count as if from the Friday before: the same weekdays follow.
    friday_or_earlier = start - timedelta(days=max(0, start.weekday() - 4))
    weeks, extra = divmod(days, WEEKDAYS_PER_WEEK)
    result = friday_or_earlier + timedelta(weeks=weeks, days=extra)
    if friday_or_earlier.weekday() + extra >= WEEKDAYS_PER_WEEK:
        result += timedelta(days=2)  # the part week runs over a weekend
    return result


def add_working_days(start: date, days: int, closures: Iterable[date] = ()) -> date:
    """Return the date ``days`` working days after ``start``.

    ``start`` itself is not counted: one working day after a Friday is the
    following Monday (if that is a working day). ``days`` must not be negative;
    zero returns ``start`` unchanged. The result is the first date with
    ``working_days_between(start, result, closures) == days``.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    closed = frozenset(closures)
    current = start
    remaining = days
    # Each step jumps at most as far as the answer (a working day is a
    # weekday), then counts the days off it jumped over; it ends within a few
    # steps because days off are sparse.
    while remaining:
        current = _add_weekdays(current, remaining)
        remaining = days - working_days_between(start, current, closed)
    return current


def working_days_between(start: date, end: date, closures: Iterable[date] = ()) -> int:
    """Count working days after ``start`` up to and including ``end``.

    This is the inverse of :func:`add_working_days`:
    ``working_days_between(d, add_working_days(d, n)) == n``. It is zero or
    negative when ``end`` is not after ``start``. The cost depends on the
    number of bank holidays and closure days, not on the length of the range.
    """
    closed = frozenset(closures)
    if end < start:
        return -working_days_between(end, start, closed)
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    return weekdays - _days_off_within(start, end, closed)


def closure_days() -> frozenset[date]:
    """Return the administrator's extra closure days from the database."""
    return frozenset(ClosureDay.objects.values_list("day", flat=True))


def add_working_days_db(start: date, days: int) -> date:
    """Like :func:`add_working_days`, with the administrator's closure days."""
    return add_working_days(start, days, closure_days())


def working_days_between_db(start: date, end: date) -> int:
    """Like :func:`working_days_between`, with the administrator's closure days."""
    return working_days_between(start, end, closure_days())
