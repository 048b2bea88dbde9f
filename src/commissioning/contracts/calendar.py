"""One reporting and payment calendar for a provider (CM-3), across all its agreements and commissioners.

Every return due and every payment due under the provider's accepted agreements, whoever let them, in
date order, as a page and as an iCalendar feed at a secret address (:class:`.models.CalendarFeed`).
A return another funder's return covers (a shared return) is shown once, on the return that covers it.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar, Event

from commissioning.audit.services import audit_record
from commissioning.core import clock

from .models import AgreementStatus, CalendarFeed, MonitoringReturn, Payment, ReturnStatus


@dataclass(frozen=True)
class Entry:
    day: date
    kind: str  # "return" or "payment"
    title: str
    agreement: str  # its reference
    commissioner: str
    state: str
    overdue: bool
    uid: str
    done: bool = False  # a return sent or a payment made


def _return_state(r: MonitoringReturn, today: date) -> tuple[str, bool]:
    open_ = r.status in (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.QUERIED)
    return r.get_status_display(), open_ and r.due_on < today


# Only what an entry shows: never the agreement's document or the return's contents.
AGREEMENT_FIELDS = ("agreement__reference", "agreement__title", "agreement__commissioner__name")
RETURN_FIELDS = ("number", "due_on", "status")
PAYMENT_FIELDS = ("number", "due_on", "amount", "paid_on", "invoice_received_on")


def calendar_for(organisation_ids, today: date | None = None) -> list[Entry]:
    """The providers' returns and payments due, in date order, in two queries whatever their number."""
    today = today or clock.today()
    live = {"agreement__provider_id__in": list(organisation_ids), "agreement__status": AgreementStatus.ACCEPTED}
    entries = []
    for r in (
        MonitoringReturn.objects.filter(**live)
        .exclude(status=ReturnStatus.SHARED)
        .select_related("agreement__commissioner")
        .only(*RETURN_FIELDS, *AGREEMENT_FIELDS)
    ):
        state, overdue = _return_state(r, today)
        entries.append(
            Entry(
                r.due_on,
                "return",
                f"Return {r.number} due: {r.agreement.title}",
                r.agreement.reference,
                r.agreement.commissioner.name,
                state,
                overdue,
                f"return-{r.pk}",
                r.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED),
            )
        )
    terms = int(settings.CONTRACTS["payment_terms_days"])
    for p in (
        Payment.objects.filter(**live)
        .select_related("agreement__commissioner")
        .only(*PAYMENT_FIELDS, *AGREEMENT_FIELDS)
    ):
        if p.paid_on:
            state, overdue = f"Paid {p.paid_on:%d/%m/%Y}", False
        elif p.invoice_received_on:
            state, overdue = "Claimed, not paid yet", today > p.invoice_received_on + timedelta(days=terms)
        else:
            state, overdue = "Due", False
        entries.append(
            Entry(
                p.due_on,
                "payment",
                f"Payment {p.number} of £{p.amount:,.2f}: {p.agreement.title}",
                p.agreement.reference,
                p.agreement.commissioner.name,
                state,
                overdue,
                f"payment-{p.pk}",
                p.paid_on is not None,
            )
        )
    return sorted(entries, key=lambda e: (e.day, e.kind, e.agreement))


# The page shows what is past and not done, and what falls due from the start of this month for this many
# months; the rest (done, or further off) is one link away, and always in the iCalendar feed.
MONTHS_AHEAD = 12


def coming_up(entries: list[Entry], today: date) -> list[Entry]:
    """The entries a provider plans by: anything past and not done (a return not sent, a payment not made),
    and everything that falls due this month and the next :data:`MONTHS_AHEAD` months less one."""
    start = today.replace(day=1)
    year, month = divmod(start.month - 1 + MONTHS_AHEAD, 12)
    until = date(start.year + year, month + 1, 1)
    return [e for e in entries if (start <= e.day < until) or (e.day < start and not e.done)]


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_create(*, actor, organisation) -> str:
    """Make (or make again) the organisation's secret calendar address; returns the secret, shown once."""
    secret = secrets.token_urlsafe(24)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            organisation=organisation,
            defaults={"token_digest": _digest(secret), "created_by": actor, "created_at": clock.now()},
        )
        audit_record(actor=actor, verb="calendar.feed_create", obj=organisation)
    return secret


def feed_organisation(secret: str):
    """The organisation whose calendar address this is, or None."""
    if not secret or len(secret) > 64:
        return None
    feed = CalendarFeed.objects.select_related("organisation").filter(token_digest=_digest(secret)).first()
    return feed.organisation if feed else None


def ics(organisation, entries: list[Entry]) -> bytes:
    """The calendar as iCalendar: one all-day event per return or payment due."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SERVICE_NAME}//Reporting and payments//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{organisation.name}: returns and payments")
    stamp = clock.now()
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@{settings.SITE_URL.split('//')[-1]}")
        event.add("summary", entry.title)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("description", f"{entry.commissioner}, {entry.agreement}: {entry.state}")
        event.add("url", settings.SITE_URL + reverse("contracts:provider-agreement", args=[entry.agreement]))
        calendar.add_component(event)
    return calendar.to_ical()
