"""The one clock the hub reads.

Every "now" in the product comes from :func:`now`, so tests can move time with
time-machine and deadlines are decided by the server's clock alone.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """Return the current time, timezone-aware (UTC)."""
    return timezone.now()


def today() -> date:
    """Return today's date in Europe/London, the calendar deadlines are set in."""
    return now().astimezone(LONDON).date()


def london(moment: datetime) -> datetime:
    """Return ``moment`` expressed in Europe/London."""
    return moment.astimezone(LONDON)
