"""References people read and type: a prefix, the year and a number, as ``LCH-2026-0042``."""

from django.db import models

from . import clock


def next_reference(model: type[models.Model], prefix: str, *, field: str = "reference") -> str:
    """One more than the highest of this year's references of ``model`` with ``prefix``, from 0001.

    Two writers at once may draw the same reference: the field's unique
    constraint refuses the second, whose service draws again.
    """
    start = f"{prefix}-{clock.today().year}-"
    last = (
        model._default_manager.filter(**{f"{field}__startswith": start})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{start}{number:04d}"
