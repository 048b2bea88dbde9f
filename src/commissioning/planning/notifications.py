"""Who hears about a plan, and what they are told: both bodies' commissioners, when two plans overlap (PL-1).

Messages are queued after the transaction commits and sent by the task worker.
"""

from django.conf import settings
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Membership, Role
from commissioning.core.formats import format_date


def commissioners_of(body_ids) -> list[str]:
    """The e-mail addresses of the active commissioners of the bodies ``body_ids``."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id__in=list(body_ids), role=Role.COMMISSIONER, user__is_active=True
            ).values_list("user__email", flat=True)
        )
    )


def _line(plan) -> str:
    record = plan.record
    return (
        f"- {record.reference}: {record.title} ({record.lead_body.name}), expected to be advertised "
        f"{format_date(plan.expected_advert)}, running {format_date(record.expected_start)} to "
        f"{format_date(record.expected_end)}"
    )


def overlap_found(overlap) -> None:
    """Tell the commissioners of both plans' lead bodies that their plans overlap, once, after commit."""
    first, second = overlap.first, overlap.second
    link = f"{settings.SITE_URL}{reverse('planning:overlap', args=[overlap.pk])}"
    body = (
        "Two plans on the Leeds commissioning pipeline are for the same outcome area, in the same wards "
        f"(or city-wide), at the same time ({first.service_area.name}):\n\n{_line(first)}\n{_line(second)}\n\n"
        "The Code asks commissioners to co-ordinate their funding priorities (PL-1). Talk to each other, then "
        "record how you will co-ordinate: commissioning jointly, aligning your timing, or keeping them apart "
        f"and why.\n\n{link}\n"
    )
    subject = f"Your plan overlaps another body's: {first.record.title} and {second.record.title}"
    for address in commissioners_of({first.record.lead_body_id, second.record.lead_body_id}):
        queue_email(to=[address], subject=subject, body=body)
