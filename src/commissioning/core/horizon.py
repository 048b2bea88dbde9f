"""How far back and ahead a typed date may reach.

A date beyond these (31/12/9999 as a deadline) is a slip of the keyboard, and it
would make working-day counts and the Code's checks meaningless. The figures are
settings: ``INPUT_EARLIEST_YEAR`` and ``INPUT_YEARS_AHEAD``.
"""

from datetime import date

from django.conf import settings

from . import clock


def date_horizon() -> tuple[date, date]:
    """The first day a typed date may be, and the first day it may no longer be (exclusive).

    With 10 years ahead, on any day of 2026 the last accepted date is 31 December 2036.
    """
    earliest = date(settings.INPUT_EARLIEST_YEAR, 1, 1)
    latest = date(clock.today().year + settings.INPUT_YEARS_AHEAD + 1, 1, 1)
    return earliest, latest


def horizon_limit(day: date) -> str | None:
    """The limit ``day`` breaks ("before 1 January 2037", "on or after 1 January 2000"), or None."""
    earliest, latest = date_horizon()
    if day < earliest:
        return f"on or after {earliest.day} {earliest:%B %Y}"
    if day >= latest:
        return f"before {latest.day} {latest:%B %Y}"
    return None


def horizon_problem(day: date, *, what: str) -> str | None:
    """Why ``day`` is outside the horizon, in a sentence about ``what`` ("The deadline"), or None."""
    limit = horizon_limit(day)
    return None if limit is None else f"{what} must be {limit}"
