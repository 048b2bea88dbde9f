"""Dates of a piece of commissioning, as plain functions."""

import calendar
from datetime import date, timedelta


def service_end(start: date | None, months: int | None) -> date | None:
    """The last day of a service of ``months`` months beginning on ``start`` (None when either is unknown).

    A twelve-month service beginning on 1 April 2027 ends on 31 March 2028 (the
    day before the same day its length later); one beginning on 31 January
    for one month ends on 28 February, as February has no 31st.
    """
    if start is None or not months:
        return None
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        # The same day does not come in that month (31 January, a month on): its last day is the end.
        return date(year, month, last)
    return date(year, month, start.day) - timedelta(days=1)
