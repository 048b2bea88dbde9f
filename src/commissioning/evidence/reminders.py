"""Reminders that evidence is running out: before it does, and on the day it has.

The organisation's provider administrators are e-mailed ``EVIDENCE_REMINDER_DAYS``
(default 30) days before a current version's valid-until date, and again on
the first day it has run out. Each reminder is recorded
(:class:`EvidenceReminder`, one per version and kind), so running this again,
or twice at once, sends nothing twice. A superseded or removed version is
never reminded about, nor is the evidence of an organisation that is
suspended or declined.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Membership, Role
from commissioning.audit.services import audit_record
from commissioning.core import clock

from .models import EvidenceItem, EvidenceReminder, ReminderKind
from .permissions import KEEPING_STATUSES
from .selectors import reminder_days
from .specs import human_date, spec_for


def reminders_due(on: date) -> list[tuple[EvidenceItem, str]]:
    """The (version, kind) reminders due on the day ``on`` and not yet sent."""
    soon = on + timedelta(days=reminder_days())
    candidates = (
        EvidenceItem.objects.current()
        .filter(
            valid_until__isnull=False,
            valid_until__lte=soon,
            organisation__status__in=KEEPING_STATUSES,
        )
        .select_related("organisation")
        .order_by("organisation__name", "item")
    )
    sent = set(EvidenceReminder.objects.filter(version__in=candidates).values_list("version_id", "kind"))
    due = []
    for version in candidates:
        # Once it has run out, only the "expired" reminder is worth sending.
        kind = ReminderKind.EXPIRED if version.valid_until < on else ReminderKind.EXPIRES_SOON
        if (version.pk, kind) not in sent:
            due.append((version, kind))
    return due


def _administrators(organisation) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                organisation=organisation, role=Role.PROVIDER_ADMIN, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def _message(version: EvidenceItem, kind: str) -> tuple[str, str]:
    spec = spec_for(version.item)
    organisation = version.organisation
    link = f"{settings.SITE_URL}{reverse('evidence:item', args=[version.item])}?organisation={organisation.slug}"
    until = human_date(version.valid_until)
    if kind == ReminderKind.EXPIRED:
        subject = f"{organisation.name}: your {spec.noun} {'have' if spec.plural else 'has'} run out"
        first = spec.expired.format(noun=spec.noun, date=until) + "."
        then = "Until you do, bids and applications that ask for it will show it as expired."
    else:
        subject = f"{organisation.name}: your {spec.noun} {'run' if spec.plural else 'runs'} out on {until}"
        verb = "are" if spec.plural else "is"
        first = f"The {spec.noun} in {organisation.name}'s evidence {verb} good until {until}."
        then = "Add the new version before then, so your bids and applications can use it."
    why = f"You get this because you are a provider administrator of {organisation.name}."
    body = f"{first}\n\n{then}\n\n{link}\n\n{why}\n"
    return subject, body


def reminders_send(now: datetime | None = None) -> int:
    """Send every reminder due at ``now`` (default: the clock) that has not been sent; return how many were sent.

    Each reminder is recorded in its own transaction and its e-mail queued
    after that commits; the unique (version, kind) record means a second run,
    or a run racing this one, sends nothing again.
    """
    on = clock.london(now or clock.now()).date()
    sent = 0
    for version, kind in reminders_due(on):
        recipients = _administrators(version.organisation)
        with transaction.atomic():
            reminder, created = EvidenceReminder.objects.get_or_create(
                version=version, kind=kind, defaults={"sent_at": clock.now(), "recipients": recipients}
            )
            if not created:
                continue
            audit_record(
                actor=None,
                verb="evidence.reminder",
                obj=version,
                after={"kind": kind, "valid_until": version.valid_until, "recipients": len(recipients)},
            )
            subject, body = _message(version, kind)
            for address in recipients:
                queue_email(to=[address], subject=subject, body=body)
        sent += 1
    return sent
