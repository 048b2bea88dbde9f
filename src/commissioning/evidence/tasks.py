"""Background work for the evidence store."""

from django_tasks import task

from .reminders import reminders_send


@task()
def send_evidence_reminders() -> int:
    """Send the expiry reminders that are due. Idempotent: each reminder is sent once per version."""
    return reminders_send()
