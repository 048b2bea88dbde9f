"""Reads of the audit log, for administrators only."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet

from commissioning.core.clock import LONDON

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None
    until: date | None = None


def audit_events_list(*, user, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """Return audit events matching ``filters``, newest first.

    Only administrators may read the log; anyone else gets an empty list, so a
    caller that forgot its permission check still leaks nothing.
    """
    if not getattr(user, "is_administrator", False):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if filters.actor:
        events = events.filter(actor_label__icontains=filters.actor)
    if filters.verb:
        events = events.filter(verb__startswith=filters.verb)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.since:
        events = events.filter(occurred_at__gte=datetime.combine(filters.since, time.min, LONDON))
    if filters.until:
        events = events.filter(occurred_at__lte=datetime.combine(filters.until, time.max, LONDON))
    return events


def audit_verbs() -> list[str]:
    """Return the distinct verbs in the log, for the filter's choices."""
    return list(AuditEvent.objects.order_by("verb").values_list("verb", flat=True).distinct())


def audit_object_types() -> list[str]:
    """Return the distinct object types in the log, for the filter's choices."""
    return list(AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True).distinct())
