"""The standstill period after an award decision, counted in working days.

The period runs from the day after the decision and ends at midnight (UK
time) at the end of its last working day; the contract may be concluded from
then on. Weekends, England and Wales bank holidays and the administrators'
closure days do not count.
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from commissioning.core import clock
from commissioning.core.workdays import add_working_days


def standstill_ends(decided_at: datetime, working_days: int, closures: Iterable[date] = ()) -> datetime:
    """The moment the standstill ends: the start of the day after its last working day, in London."""
    if working_days < 0:
        raise ValueError("A standstill cannot be negative")
    decision_day = clock.london(decided_at).date()
    last = add_working_days(decision_day, working_days, closures)
    return datetime.combine(last + timedelta(days=1), time.min, clock.LONDON)


def in_standstill(decided_at: datetime, working_days: int, moment: datetime, closures: Iterable[date] = ()) -> bool:
    """Whether ``moment`` falls before the standstill's end (the contract cannot be concluded yet)."""
    return moment < standstill_ends(decided_at, working_days, closures)
