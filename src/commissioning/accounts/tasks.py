"""Background work for accounts: e-mail, sent by the task worker."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    """Send one plain-text e-mail. Safe to run again: a retry sends the same message."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=False)
