"""The e-mails accounts sends, queued for the worker after the transaction commits."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from commissioning.core.formats import format_date

from .tasks import send_email


def queue_email(*, to: list[str], subject: str, body: str) -> None:
    """Queue an e-mail to go once the current transaction has committed (never for a rolled-back change)."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    transaction.on_commit(lambda: send_email.enqueue(to=recipients, subject=subject, body=body))


def absolute(path_name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(path_name, args=args or None)}"


def registration_received(*, user, organisation, administrators: list[str]) -> None:
    queue_email(
        to=[user.email],
        subject=f"{organisation.name} is registered and waiting for verification",
        body=(
            f"Dear {user.full_name},\n\n"
            f"Thank you for registering {organisation.name} with {settings.SERVICE_NAME}.\n"
            "An administrator will check your organisation's details, usually within 2 working days. "
            "We will e-mail you when it is verified.\n\n"
            f"Your account: {absolute('accounts:my-account')}\n"
        ),
    )
    queue_email(
        to=administrators,
        subject=f"New organisation to verify: {organisation.name}",
        body=(
            f"{organisation.name} has registered and is waiting for verification.\n\n"
            f"Check it: {absolute('accounts:verification-detail', organisation.slug)}\n"
        ),
    )


def verification_decided(*, organisation, recipients: list[str]) -> None:
    if organisation.status == "verified":
        subject = f"{organisation.name} is verified"
        text = "Your organisation is verified and now appears in the public directory of providers."
    else:
        subject = f"{organisation.name} could not be verified"
        text = f"Your organisation could not be verified, for this reason:\n\n{organisation.status_reason}"
    queue_email(
        to=recipients,
        subject=subject,
        body=f"{text}\n\n{absolute('accounts:organisation', organisation.slug)}\n",
    )


def invitation_sent(*, invitation, token: str) -> None:
    queue_email(
        to=[invitation.email],
        subject=f"Join {invitation.organisation.name} on {settings.SERVICE_NAME}",
        body=(
            f"{invitation.invited_by.full_name} has invited you to join {invitation.organisation.name} "
            f"as {invitation.get_role_display().lower()}.\n\n"
            f"Accept the invitation: {absolute('accounts:invitation', token)}\n\n"
            f"The link works until {format_date(invitation.expires_at)}. "
            "If you did not expect this, you can ignore this e-mail.\n"
        ),
    )
