"""Who hears about an opportunity, and what they are told (PR-1).

Alerts go to people who subscribed to its service area or one of its wards
(a city-wide opportunity matches every ward); updates go to the people of
organisations that registered interest and follow it. Everything is queued
after the transaction commits and sent by the task worker.
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Membership, Role
from commissioning.core import clock
from commissioning.core.formats import format_date, format_datetime

from .models import AlertSubscription, EventRegistration, Interest
from .rules import PUBLISHED_TIMES

# Later stages name the people they know must hear of every amendment (those with a draft or a bid),
# without this stage knowing of them.
_amendment_audiences: list[Callable[[object], Iterable[str]]] = []


def amendment_audience(find: Callable[[object], Iterable[str]]) -> None:
    """Add ``find(opportunity)``, giving more e-mail addresses that every amendment is sent to."""
    if find not in _amendment_audiences:
        _amendment_audiences.append(find)


def _link(opportunity) -> str:
    return f"{settings.SITE_URL}{reverse('opportunities:detail', args=[opportunity.reference])}"


def alert_recipients(opportunity) -> list[str]:
    """E-mail addresses of active subscriptions that match the opportunity's service area or wards."""
    return subscribers_to(opportunity.service_area_id, city_wide=opportunity.city_wide, wards=opportunity.wards.all())


def subscribers_to(service_area_id: int, *, city_wide: bool, wards) -> list[str]:
    """E-mail addresses of active subscriptions to the service area or to one of ``wards``.

    Work for the whole city matches everyone who chose any ward. The pipeline's
    planned commissioning is matched the same way as opportunities.
    """
    match = Q(service_areas=service_area_id)
    if city_wide:
        match |= Q(wards__isnull=False)
    else:
        match |= Q(wards__in=wards)
    return sorted(
        set(
            AlertSubscription.objects.filter(match, active=True, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )


def follower_recipients(opportunity) -> list[str]:
    """E-mail addresses of the people of organisations that follow the opportunity."""
    organisations = Interest.objects.filter(opportunity=opportunity, following=True).values("organisation")
    return sorted(
        set(
            Membership.objects.filter(
                organisation__in=organisations,
                role__in=[Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER],
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )


def _each(recipients: list[str], subject: str, body: str) -> None:
    # One message per person: nobody sees who else is following.
    for address in recipients:
        queue_email(to=[address], subject=subject, body=body)


def published(opportunity) -> None:
    deadline = clock.london(opportunity.submission_deadline)
    _each(
        alert_recipients(opportunity),
        f"New opportunity: {opportunity.title}",
        f"{opportunity.summary}\n\nValue: £{opportunity.total_value:,.0f}. "
        f"Closes {format_datetime(deadline)}.\n\n{_link(opportunity)}\n\n"
        "You get this because you asked for alerts. Change them on your account page.\n",
    )


def booker_recipients(opportunity) -> list[str]:
    """E-mail addresses of the people who booked a place at one of the opportunity's events."""
    return sorted(
        set(
            EventRegistration.objects.filter(event__opportunity=opportunity, user__is_active=True).values_list(
                "user__email", flat=True
            )
        )
    )


def amendment_recipients(opportunity) -> list[str]:
    """Everyone told of an amendment: followers, alert subscribers, event bookers, and each later
    stage's audience (those with a draft or a bid)."""
    recipients = set(follower_recipients(opportunity)) | set(alert_recipients(opportunity))
    recipients |= set(booker_recipients(opportunity))
    for find in _amendment_audiences:
        recipients |= set(find(opportunity))
    return sorted(recipients)


def _time_changes(amendment) -> list[str]:
    lines = []
    for key, label in PUBLISHED_TIMES.items():
        change = amendment.changes.get(key)
        if change:
            old, new = (datetime.fromisoformat(change[end]) if change[end] else None for end in ("from", "to"))
            lines.append(f"{label}: was {format_datetime(old) or 'not set'}, now {format_datetime(new)}.")
    return lines


def amended(opportunity, amendment) -> None:
    times = _time_changes(amendment)
    kind = "A material amendment" if amendment.material else "An amendment"
    body = f"{kind} to {opportunity.title} ({opportunity.reference}) has been published.\n\n{amendment.summary}\n"
    if times:
        body += "\n" + "\n".join(times) + "\n"
    _each(
        amendment_recipients(opportunity),
        f"Amendment {amendment.number} to {opportunity.title}",
        f"{body}\n{_link(opportunity)}\n",
    )


def withdrawn(opportunity) -> None:
    _each(
        follower_recipients(opportunity),
        f"Withdrawn: {opportunity.title}",
        f"The opportunity has been withdrawn, for this reason:\n\n{opportunity.status_reason}\n\n"
        f"{_link(opportunity)}\n",
    )


def clarification_published(opportunity, clarification) -> None:
    _each(
        follower_recipients(opportunity),
        f"A question about {opportunity.title} has been answered",
        f"Question: {clarification.published_question}\n\nAnswer: {clarification.answer}\n\n{_link(opportunity)}\n",
    )


def clarification_reworded(opportunity, clarification) -> None:
    """Tell the asker that their question was published in other words, with both wordings."""
    queue_email(
        to=[clarification.asked_by.email] if clarification.asked_by.is_active else [],
        subject=f"Your question about {opportunity.title} was published in edited words",
        body=(
            "Your question has been answered. Before publishing it, the commissioner edited its wording, "
            "usually to take out anything that could identify who asked. Everyone sees the published "
            "wording; your own words are kept and only you and your colleagues see them.\n\n"
            f"You asked:\n{clarification.question}\n\n"
            f"Published as:\n{clarification.published_question}\n\n"
            f"Answer:\n{clarification.answer}\n\n"
            f"Your questions: {settings.SITE_URL}{reverse('opportunities:my-questions')}\n"
        ),
    )


def plan_published(plan, link: str) -> None:
    """Tell alert subscribers of planned commissioning in their service areas or wards, put on the pipeline."""
    record = plan.record
    value = f" Expected value: £{record.estimated_value:,.0f}." if record.estimated_value is not None else ""
    _each(
        subscribers_to(plan.service_area_id, city_wide=record.city_wide, wards=record.wards.all()),
        f"Planned: {record.title}",
        f"{record.lead_body.name} plans this commissioning: {record.summary}\n\n"
        f"Expected to be advertised by {format_date(plan.expected_advert)}.{value}\n\n{link}\n\n"
        "It is not open for bids yet: it is on the shared pipeline so you can prepare, partner and ask "
        "questions of the contact named on the plan.\n\n"
        "You get this because you asked for alerts. Change them on your account page.\n",
    )
