"""Working-day arithmetic for England and Wales.

A working day is Monday to Friday that is neither an England and Wales bank
holiday (from the ``holidays`` package) nor an extra closure day kept by an
administrator (:class:`commissioning.core.models.ClosureDay`). Standstill
periods, lead times and feedback deadlines are counted with these functions.

The pure functions take the closure days as an argument so they can be
property-tested; the ``*_db`` helpers read the administrator's table.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # The "ENG" subdivision carries the bank holidays England and Wales share.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def bank_holidays(start: date, end: date) -> list[date]:
    """Return the England and Wales bank holidays from ``start`` to ``end`` inclusive.

    Only days off work are listed: when Christmas or Boxing Day falls at a
    weekend, the substitute weekday is the bank holiday.
    """
    days: list[date] = []
    for year in range(start.year, end.year + 1):
        days.extend(d for d in _bank_holidays(year) if start <= d <= end and d.weekday() < 5)
    return sorted(days)


def is_working_day(day: date, closures: Iterable[date] = ()) -> bool:
    """Tell whether ``day`` is a working day (not a weekend, bank holiday or closure)."""
    if day.weekday() >= 5:
        return False
    if day in _bank_holidays(day.year):
        return False
    return day not in set(closures)


def add_working_days(start: date, days: int, closures: Iterable[date] = ()) -> date:
    """Return the date ``days`` working days after ``start``.

    ``start`` itself is not counted: one working day after a Friday is the
    following Monday (if that is a working day). ``days`` must not be negative;
    zero returns ``start`` unchanged.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    closed = frozenset(closures)
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, closed):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, closures: Iterable[date] = ()) -> int:
    """Count working days after ``start`` up to and including ``end``.

    This is the inverse of :func:`add_working_days`:
    ``working_days_between(d, add_working_days(d, n)) == n``. It is zero or
    negative when ``end`` is not after ``start``.
    """
    closed = frozenset(closures)
    if end <= start:
        return -working_days_between(end, start, closed) if end < start else 0
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, closed):
            count += 1
    return count


def closure_days() -> frozenset[date]:
    """Return the administrator's extra closure days from the database."""
    from commissioning.core.models import ClosureDay

    return frozenset(ClosureDay.objects.values_list("day", flat=True))


def add_working_days_db(start: date, days: int) -> date:
    """Like :func:`add_working_days`, with the administrator's closure days."""
    return add_working_days(start, days, closure_days())


def working_days_between_db(start: date, end: date) -> int:
    """Like :func:`working_days_between`, with the administrator's closure days."""
    return working_days_between(start, end, closure_days())
