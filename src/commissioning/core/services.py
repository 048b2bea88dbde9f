"""Writes to the shared reference data: the administrator's closure days."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from commissioning.audit.services import audit_record

from .models import ClosureDay


class ClosureDayError(ValueError):
    """A closure day that cannot be added."""


def closure_day_add(*, actor, day: date, reason: str) -> ClosureDay:
    """Add a day that working-day deadlines skip (administrators only; one entry per day)."""
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied("Only an administrator can change closure days")
    if day.weekday() >= 5:
        raise ClosureDayError("That day is a weekend, which is never a working day")
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(day=day, reason=reason.strip())
            audit_record(actor=actor, verb="closure_day.add", obj=closure, after={"day": day, "reason": closure.reason})
    except IntegrityError as exc:
        raise ClosureDayError("That day is already a closure day") from exc
    return closure


def closure_day_remove(*, actor, closure: ClosureDay) -> None:
    """Remove a closure day (administrators only)."""
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied("Only an administrator can change closure days")
    with transaction.atomic():
        audit_record(
            actor=actor, verb="closure_day.remove", obj=closure, before={"day": closure.day, "reason": closure.reason}
        )
        closure.delete()
