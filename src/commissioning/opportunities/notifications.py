"""Who hears about an opportunity, and what they are told (PR-1).

Alerts go to people who subscribed to its service area or one of its wards
(a city-wide opportunity matches every ward); updates go to the people of
organisations that registered interest and follow it. Everything is queued
after the transaction commits and sent by the task worker.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Membership, Role
from commissioning.core import clock
from commissioning.core.formats import format_datetime

from .models import AlertSubscription, Interest


def _link(opportunity) -> str:
    return f"{settings.SITE_URL}{reverse('opportunities:detail', args=[opportunity.reference])}"


def alert_recipients(opportunity) -> list[str]:
    """E-mail addresses of active subscriptions that match the opportunity's service area or wards."""
    match = Q(service_areas=opportunity.service_area)
    if opportunity.city_wide:
        match |= Q(wards__isnull=False)
    else:
        match |= Q(wards__in=opportunity.wards.all())
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


def amended(opportunity, amendment) -> None:
    recipients = sorted(set(follower_recipients(opportunity)) | set(alert_recipients(opportunity)))
    _each(
        recipients,
        f"Amendment {amendment.number} to {opportunity.title}",
        f"{amendment.summary}\n\n{_link(opportunity)}\n",
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
        f"Question: {clarification.question}\n\nAnswer: {clarification.answer}\n\n{_link(opportunity)}\n",
    )
