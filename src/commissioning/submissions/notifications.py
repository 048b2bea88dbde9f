"""What bidders are told: the receipt of a submission, and an invitation to join a consortium.

Queued after the transaction commits and sent by the task worker. Nothing
about a bid is ever sent to anyone outside the organisations bidding.
"""

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Membership, Role
from commissioning.core import clock
from commissioning.core.formats import format_datetime

from .models import ConsortiumMember, MemberStatus, Submission


def _bidder_emails(organisation, *, roles=(Role.PROVIDER_ADMIN,)) -> set[str]:
    return set(
        Membership.objects.filter(organisation=organisation, role__in=roles, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )


def receipt(record) -> None:
    """The receipt: when the server received the submission and the SHA-256 of what it received."""
    submission = record.submission
    opportunity = submission.opportunity
    link = settings.SITE_URL + reverse("submissions:receipt", args=[submission.public_id, record.number])
    received = clock.london(record.submitted_at)
    body = (
        f"{submission.organisation.name} submitted its {'application' if opportunity.kind == 'grant' else 'bid'} "
        f"for {opportunity.title} ({opportunity.reference}).\n\n"
        f"Received: {format_datetime(received, seconds=True)} (UK time)\n"
        f"Submission number: {record.number}\n"
        f"SHA-256 digest: {record.sha256}\n\n"
        "The digest is taken over everything submitted. Keep this e-mail: it is your receipt.\n\n"
        f"{link}\n"
    )
    for address in sorted(_bidder_emails(submission.organisation) | {record.submitted_by.email}):
        queue_email(to=[address], subject=f"Receipt: {opportunity.title}", body=body)


def member_invited(member) -> None:
    """Tell the invited organisation's administrators that a bid names them as a consortium member."""
    submission = member.submission
    link = settings.SITE_URL + reverse("review:bids")
    body = (
        f"{submission.organisation.name} has invited {member.organisation.name} to bid with it, as a member of a "
        f"consortium, for {submission.opportunity.title}.\n\nYour part: {member.role}\n\n"
        f"Confirm or decline, and confirm your evidence for the bid, here:\n{link}\n"
    )
    for address in sorted(_bidder_emails(member.organisation)):
        queue_email(to=[address], subject=f"Invitation to bid together: {submission.opportunity.title}", body=body)


def bidder_recipients(opportunity) -> list[str]:
    """The people of every organisation with a draft or a bid for the opportunity, lead or partner.

    For amendments: each is sent its own message, so nobody learns who else is bidding.
    """
    leads = Submission.objects.filter(opportunity=opportunity).values("organisation")
    partners = (
        ConsortiumMember.objects.filter(submission__opportunity=opportunity)
        .exclude(status=MemberStatus.DECLINED)
        .values("organisation")
    )
    return sorted(
        set(
            Membership.objects.filter(
                Q(organisation__in=leads) | Q(organisation__in=partners),
                role__in=[Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER],
                user__is_active=True,
            ).values_list("user__email", flat=True)
        )
    )
