"""Dates of a piece of commissioning, as plain functions."""

import calendar
from datetime import date, timedelta


def service_end(start: date | None, months: int | None) -> date | None:
    """The last day of a service of ``months`` months beginning on ``start`` (None when either is unknown).

    A twelve-month service beginning on 1 April 2027 ends on 31 March 2028; one
    beginning on 31 January for one month ends on 27 February (the day before
    the same day a month on, which February does not have, so its last day).
    """
    if start is None or not months:
        return None
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) - timedelta(days=1)
