"""The evidence store's time-driven side effects, run by ``manage.py clock``."""

from datetime import datetime

from commissioning.core.chronograph import clock_job

from .services import evidence_reminders_send


@clock_job("evidence.reminders")
def evidence_reminders(now: datetime) -> int:
    """E-mail provider administrators about evidence that runs out soon or has run out (once each)."""
    return evidence_reminders_send(actor=None, now=now)
