"""The one way to write to the audit log."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from commissioning.core import clock
from commissioning.core.middleware import current_request_id

from .models import AuditEvent


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON keeps exactly."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def object_type_of(obj: models.Model) -> str:
    """Return the "app.model" label the log files an object under."""
    return obj._meta.label_lower


def audit_record(
    *,
    actor: Any,
    verb: str,
    obj: models.Model,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the audit log and return it.

    Call it inside the service's transaction, so the event is written if and
    only if the change it describes is. ``actor`` may be None for the system
    (the clock command, the task worker).
    """
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        occurred_at=clock.now(),
        actor=user,
        actor_label=(user.email if user else "system"),
        verb=verb,
        object_type=object_type_of(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        before=_plain(before or {}),
        after=_plain(after or {}),
        reason=reason,
        request_id=current_request_id(),
    )
