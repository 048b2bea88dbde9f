"""The standstill after an award decision: counted per regime from the award notice's publication.

The counting rule is data (:class:`commissioning.opportunities.models.StandstillRule`),
copied onto the evaluation at the award decision as a plain dict:

- ``starts_days_after_publication``: calendar days from the day the notice
  is published to the day the standstill begins;
- ``first_day_counts``: whether that day is the standstill's first working
  day (when it is one), or the working days are counted after it.

Under the Procurement Act 2023 (s51) the standstill is eight working days
*beginning with* the day the contract award notice is published: day 1 is the
publication day when it is a working day. Under the Provider Selection Regime
(regulation 12) it begins on the day after the notice of intention to award
is published and ends at the end of the eighth working day after that day. A
voluntary standstill below the threshold is counted as the Act counts.

Either way it ends at midnight (UK time) at the end of its last working day;
the contract may be concluded from then on. Weekends, England and Wales bank
holidays and the administrators' closure days do not count. No standstill (0
working days) ends the moment it starts.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from commissioning.core import clock
from commissioning.core.workdays import add_working_days

# The Act's counting: also what an award made before the counting rule was recorded is read as.
ACT_COUNTING = {"starts_days_after_publication": 0, "first_day_counts": True}


def _start(rule: Mapping) -> tuple[int, bool]:
    offset = int(rule.get("starts_days_after_publication", 0) or 0)
    if offset < 0:
        raise ValueError("A standstill cannot begin before its notice is published")
    return offset, bool(rule.get("first_day_counts", True))


def standstill_last_day(published_on: date, working_days: int, rule: Mapping, closures: Iterable[date] = ()) -> date:
    """The standstill's last working day, for a notice published on ``published_on``.

    ``working_days`` must be at least 1 (a standstill of none has no last day).
    """
    if working_days < 1:
        raise ValueError("A standstill of no working days has no last day")
    offset, first_day_counts = _start(rule)
    begins = published_on + timedelta(days=offset)
    # add_working_days counts the days after its start: step back one day so the first day can count.
    counted_from = begins - timedelta(days=1) if first_day_counts else begins
    return add_working_days(counted_from, working_days, closures)


def standstill_first_day(published_on: date, rule: Mapping, closures: Iterable[date] = ()) -> date:
    """The first working day the standstill counts, for a notice published on ``published_on``."""
    return standstill_last_day(published_on, 1, rule, closures)


def standstill_ends(
    published_at: datetime, working_days: int, rule: Mapping = ACT_COUNTING, closures: Iterable[date] = ()
) -> datetime:
    """The moment the standstill ends: the start of the day after its last working day, in London.

    ``published_at`` is when the notice was published; with no working days
    the standstill ends at that moment (there is none).
    """
    if working_days < 0:
        raise ValueError("A standstill cannot be negative")
    if working_days == 0:
        return published_at
    last = standstill_last_day(clock.london(published_at).date(), working_days, rule, closures)
    return datetime.combine(last + timedelta(days=1), time.min, clock.LONDON)


def in_standstill(
    published_at: datetime,
    working_days: int,
    moment: datetime,
    rule: Mapping = ACT_COUNTING,
    closures: Iterable[date] = (),
) -> bool:
    """Whether ``moment`` falls before the standstill's end (the contract cannot be concluded yet)."""
    return moment < standstill_ends(published_at, working_days, rule, closures)


def last_day_of(ends: datetime) -> date:
    """The last day of a standstill that ends at ``ends`` (midnight at the start of the next day)."""
    return clock.london(ends - timedelta(microseconds=1)).date()


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def counting_in_words(rule: Mapping, working_days: int | None) -> str:
    """The counting rule in one phrase, naming the notice ("8 working days beginning with the day ...");
    with ``working_days`` None, how any length is counted ("working days beginning with ...")."""
    offset, first_day_counts = _start(rule)
    notice = rule.get("notice") or "award notice"
    if working_days is None:
        days = "working days"
    else:
        days = f"{working_days} working {'day' if working_days == 1 else 'days'}"
    nth = "last" if working_days is None else _ordinal(working_days)
    if offset == 0 and first_day_counts:
        return f"{days} beginning with the day the {notice} is published"
    if offset == 0:
        return f"{days} counted from the working day after the {notice} is published"
    begins = "on the day after" if offset == 1 else f"{offset} days after"
    if first_day_counts:
        return f"{days} beginning {begins} the {notice} is published"
    return (
        f"{days}, beginning {begins} the {notice} is published and ending at midnight at the end of the "
        f"{nth} working day after that day"
    )


def rule_in_words(rule: Mapping, working_days: int | None) -> str:
    """Which rule applies, in sentences: "8 working days beginning with the day the contract award notice
    is published. It follows the Procurement Act 2023, section 51."."""
    counting = counting_in_words(rule, working_days)
    basis = (rule.get("basis") or "").strip()
    return f"{counting[:1].upper()}{counting[1:]}." + (f" It follows {basis}." if basis else "")
