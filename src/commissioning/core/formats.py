"""Dates and times in words, one style everywhere: pages, e-mails, letters, feeds and documents.

The GOV.UK style: "3 March 2027", "Wednesday 3 March 2027", "9:08am",
"3 March 2027 at 12:00pm". A moment is always shown in UK time. Where the
exact second matters (when the server received a bid), it is shown as
"9:08:07pm", never as a 24-hour clock. Text in ISO form (as records keep
their dates) is read and shown the same way, so no ISO date reaches a reader.
"""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime

from . import clock


def _as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value.strip() else date.fromisoformat(value)
    if isinstance(value, datetime):
        return clock.london(value).date() if value.tzinfo else value.date()
    return value


def _as_moment(value) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return localtime(value) if value.tzinfo else value


def format_date(value, *, weekday: bool = False) -> str:
    """A day: "3 March 2027", or "Wednesday 3 March 2027" with ``weekday``; "" for nothing."""
    day = _as_date(value)
    if day is None:
        return ""
    return date_format(day, "l j F Y" if weekday else "j F Y")


def format_time(value, *, seconds: bool = False) -> str:
    """A time of day in UK time: "9:08am", "12:00pm", or "9:08:07pm" with ``seconds``; "" for nothing."""
    moment = _as_moment(value)
    if moment is None:
        return ""
    hour = moment.hour % 12 or 12
    clock_part = f"{hour}:{moment.minute:02d}" + (f":{moment.second:02d}" if seconds else "")
    return clock_part + ("am" if moment.hour < 12 else "pm")


def format_datetime(value, *, weekday: bool = False, seconds: bool = False) -> str:
    """A moment in UK time: "3 March 2027 at 9:08am" (the weekday and the seconds when asked for)."""
    moment = _as_moment(value)
    if moment is None:
        return ""
    return f"{format_date(moment, weekday=weekday)} at {format_time(moment, seconds=seconds)}"
