"""The one clock the hub reads.

Every "now" in the product comes from :func:`now`, so tests can move time with
time-machine and deadlines are decided by the server's clock alone.
:func:`replaying` lets the demo loader tell what happened earlier (a bid made
before a deadline that has since passed) through the same services; requests
never use it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")

_behind: ContextVar[timedelta] = ContextVar("clock_behind", default=timedelta(0))


def now() -> datetime:
    """Return the current time, timezone-aware (UTC)."""
    return timezone.now() - _behind.get()


def today() -> date:
    """Return today's date in Europe/London, the calendar deadlines are set in."""
    return now().astimezone(LONDON).date()


def london(moment: datetime) -> datetime:
    """Return ``moment`` expressed in Europe/London."""
    return moment.astimezone(LONDON)


@contextmanager
def replaying(moment: datetime) -> Iterator[None]:
    """Inside the block the clock reads as if it were ``moment`` (and runs on from there).

    For loading demo data that happened in the past, through the services and
    their rules. Only the code inside the block, in this thread, sees it.
    """
    token = _behind.set(timezone.now() - moment)
    try:
        yield
    finally:
        _behind.reset(token)
