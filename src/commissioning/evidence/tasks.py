"""Background work for the evidence store."""

from django_tasks import task

from .services import evidence_reminders_send


@task()
def send_evidence_reminders() -> int:
    """Send the expiry reminders that are due. Idempotent: each reminder is sent once per version."""
    return evidence_reminders_send(actor=None)
