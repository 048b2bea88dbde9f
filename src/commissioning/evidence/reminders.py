"""Reminders that evidence is running out: before it does, and on the day it has.

The organisation's provider administrators are e-mailed ``EVIDENCE_REMINDER_DAYS``
(default 30) days before a current version's valid-until date, and again on
the first day it has run out. Each reminder is recorded
(:class:`EvidenceReminder`, one per version and kind), so running this again,
or twice at once, sends nothing twice. A superseded or removed version is
never reminded about, nor is the evidence of an organisation that is
suspended or declined.

This module says what is due, to whom and in what words; sending (the record,
the audit event, the e-mails) is ``services.evidence_reminders_send``.
"""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from commissioning.accounts.models import Membership, Role

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


def reminder_recipients(organisation) -> list[str]:
    """The addresses of the organisation's active provider administrators, each once, sorted."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation=organisation, role=Role.PROVIDER_ADMIN, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def reminder_message(version: EvidenceItem, kind: str) -> tuple[str, str]:
    """The subject and body of one reminder about ``version``."""
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
