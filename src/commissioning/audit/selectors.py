"""Reads of the audit log, for administrators only."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet

from commissioning.core.clock import LONDON

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log is narrowed by; blank fields narrow nothing."""

    actor: str = ""
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None


# Object types whose events stay out of every read of the log for now, each with a function
# giving the ids (as text, as the log files them) of the objects still withheld.
_withheld: dict[str, Callable[[], QuerySet]] = {}


# Object types renamed when a model moved to another app: the old name, as events written before
# the move file it, to the name the model has now.
_renamed: dict[str, str] = {}


def audit_type_renamed(old: str, new: str) -> None:
    """Read events filed under object type ``old`` as ``new`` (a model that moved to another app).

    The log is append-only, so events keep the name they were written with;
    the filter's choices list the current name once, and filtering by it
    finds the events filed under either.
    """
    _renamed[old] = new


def _names_for(object_type: str) -> list[str]:
    """Every name events about ``object_type`` may be filed under: itself and any older names."""
    return [object_type] + [old for old, new in _renamed.items() if new == object_type]


def audit_object_type_current(object_type: str) -> str:
    """The name an object type has now (``object_type`` itself unless it was renamed)."""
    return _renamed.get(object_type, object_type)


def audit_withhold_while(object_type: str, ids: Callable[[], QuerySet]) -> None:
    """Keep events about objects of ``object_type`` out of the log's readers while ``ids()`` names them.

    Sealed bids use it: until an opportunity's deadline, nobody (administrators
    included) learns from the log who has started or submitted a bid, or that
    anyone has. The events are written as always, and read once the objects
    leave ``ids()``: the log loses nothing.
    """
    _withheld[object_type] = ids


def audit_events_visible() -> QuerySet[AuditEvent]:
    """Every event except those withheld for now (see :func:`audit_withhold_while`). No access check."""
    events = AuditEvent.objects.all()
    for object_type, ids in _withheld.items():
        events = events.exclude(object_type=object_type, object_id__in=ids())
    return events


def audit_events_list(*, user, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Return audit events matching ``filters``, newest first, leaving out those withheld for now.

    Only administrators may read the log; anyone else gets an empty list, so a
    caller that forgot its permission check still leaks nothing.
    """
    if not getattr(user, "is_administrator", False):
        return AuditEvent.objects.none()
    events = audit_events_visible()
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.verb:
        events = events.filter(verb__startswith=filters.verb)
    if filters.object_type:
        events = events.filter(object_type__in=_names_for(audit_object_type_current(filters.object_type)))
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.since:
        events = events.filter(occurred_at__gte=datetime.combine(filters.since, time.min, LONDON))
    if filters.until:
        events = events.filter(occurred_at__lte=datetime.combine(filters.until, time.max, LONDON))
    return events


def audit_verbs() -> list[str]:
    """Return the distinct verbs of the events that may be read now, for the filter's choices."""
    return list(audit_events_visible().order_by("verb").values_list("verb", flat=True).distinct())


def audit_object_types() -> list[str]:
    """Return the distinct object types of the events that may be read now, for the filter's choices, each
    by its current name (see :func:`audit_type_renamed`)."""
    filed = audit_events_visible().order_by("object_type").values_list("object_type", flat=True).distinct()
    return sorted({audit_object_type_current(name) for name in filed})
