"""Reads of opportunities, scoped to who is asking.

The public sees what has been published (open, closed, withdrawn); a draft is
seen only by its commissioners. A reference that may not be seen answers 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import commissioning_at
from commissioning.core import clock
from commissioning.core.models import Ward

from .models import AlertSubscription, Clarification, Interest, Opportunity, Status, deadline_passed_q
from .permissions import is_commissioner_for
from .search import matching

VALUE_BANDS = {
    "up_to_25k": (Decimal(0), Decimal(25_000)),
    "25k_100k": (Decimal("25000.01"), Decimal(100_000)),
    "100k_500k": (Decimal("100000.01"), Decimal(500_000)),
    "over_500k": (Decimal("500000.01"), None),
}
# "Suitable for small organisations": lots a micro or small provider could take on.
SMALL_ORGANISATION_LOT_VALUE = Decimal(100_000)


@dataclass(frozen=True)
class FinderFilter:
    """What the finder is narrowed by; blank fields narrow nothing."""

    query: str = ""
    kind: str = ""
    service_area: str = ""
    ward: str = ""
    value_band: str = ""
    closing_before: date | None = None
    small_organisations: bool = False
    state: str = "open"  # open, closed or all
    sort: str = "closing"  # closing, newest, value


def _narrowed(found: QuerySet[Opportunity], filters: FinderFilter) -> QuerySet[Opportunity]:
    """``found`` narrowed by the finder's search words, kind, area, ward, value, closing date and size."""
    if filters.query:
        found = found.filter(matching(filters.query))
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.service_area:
        found = found.filter(service_area__slug=filters.service_area)
    if filters.ward:
        # EXISTS rather than a join, so no DISTINCT has to sort the whole result.
        # The ward's opportunities are listed once (not probed for each row), with no DISTINCT.
        ward_id = Subquery(Ward.objects.filter(code=filters.ward).values("pk")[:1])
        in_ward = Opportunity.wards.through.objects.filter(ward_id=ward_id).values("opportunity_id")
        found = found.filter(Q(city_wide=True) | Q(pk__in=in_ward))
    if filters.value_band in VALUE_BANDS:
        low, high = VALUE_BANDS[filters.value_band]
        found = found.filter(total_value__gte=low)
        if high is not None:
            found = found.filter(total_value__lte=high)
    if filters.closing_before:
        # Before the start of the next London day: a plain comparison an index can answer.
        next_day = datetime.combine(filters.closing_before + timedelta(days=1), time.min, clock.LONDON)
        found = found.filter(submission_deadline__lt=next_day)
    if filters.small_organisations:
        found = found.filter(smallest_lot_value__lte=SMALL_ORGANISATION_LOT_VALUE)
    return found


def finder(*, filters: FinderFilter) -> QuerySet[Opportunity]:
    """Published opportunities matching ``filters``, with what the list shows prefetched."""
    now = clock.now()
    if filters.state == "open":
        # Only publishing sets the status to published (and the date with it), so the status alone
        # decides, and each index that starts with the status answers without reading the table.
        found = Opportunity.objects.open_at(now)
    elif filters.state == "closed":
        found = Opportunity.objects.public().filter(
            Q(deadline_passed_q(now), status=Status.PUBLISHED) | ~Q(status=Status.PUBLISHED)
        )
    else:
        found = Opportunity.objects.public()
    found = _narrowed(found.select_related("service_area", "lead_commissioner"), filters)
    # "Closing" means soonest first while open; among closed ones, the most recently closed first.
    closing = (
        ["-submission_deadline", "-reference"] if filters.state == "closed" else ["submission_deadline", "reference"]
    )
    order = {"newest": ["-published_at"], "value": ["-total_value", "submission_deadline"]}.get(filters.sort, closing)
    return found.order_by(*order).prefetch_related("wards")


def opportunity_get_for(*, user, reference: str) -> Opportunity:
    """One opportunity as ``user`` may see it, with its parts prefetched, or 404."""
    try:
        opportunity = (
            Opportunity.objects.select_related("service_area", "lead_commissioner")
            .prefetch_related(
                "wards",
                "joint_commissioners",
                "lots__wards",
                "questions",
                "documents",
                "events",
                "amendments",
                Prefetch("clarifications", queryset=Clarification.objects.filter(published_at__isnull=False)),
            )
            .get(reference=reference)
        )
    except Opportunity.DoesNotExist as exc:
        raise Http404 from exc
    if opportunity.published_at is not None and opportunity.status != Status.DRAFT:
        return opportunity
    if is_commissioner_for(user, opportunity):
        return opportunity
    raise Http404


def opportunity_get_for_commissioner(*, user, reference: str) -> Opportunity:
    """An opportunity the user commissions (lead or joint body), for its management pages, or 404."""
    opportunity = (
        Opportunity.objects.select_related("service_area", "lead_commissioner", "record")
        .prefetch_related(
            "wards",
            "joint_commissioners",
            "lots__wards",
            "questions",
            "events__registrations__organisation",
            "amendments",
            "clarifications",
        )
        .filter(reference=reference)
        .first()
    )
    if opportunity is None or not is_commissioner_for(user, opportunity):
        raise Http404
    return opportunity


def opportunities_commissioned_by(*, user) -> QuerySet[Opportunity]:
    """Every opportunity of the bodies the user commissions for, newest first."""
    bodies = commissioning_at(user)
    # A subquery, not a join: each opportunity is one row, so the result can be counted and grouped as it is.
    joint = Opportunity.joint_commissioners.through.objects.filter(organisation_id__in=bodies).values("opportunity_id")
    return (
        Opportunity.objects.filter(Q(lead_commissioner__in=bodies) | Q(pk__in=joint))
        .select_related("service_area", "lead_commissioner")
        .order_by("-created_at", "-pk")
    )


def commissioning_bodies_for(*, user):
    """The commissioning bodies the user may start an opportunity for."""
    return [m.organisation for m in user.active_memberships if m.role == Role.COMMISSIONER]


def provider_organisations_for(*, user):
    """The verified providers the user acts for (to ask, register interest or book)."""
    return [
        m.organisation
        for m in user.active_memberships
        if m.role in (Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER) and m.organisation.is_verified
    ]


def interests_by_organisation_for(*, user, opportunity: Opportunity) -> dict[int, Interest]:
    """The interest each organisation the user acts for has registered in the opportunity, by organisation id.

    Only the user's own verified providers appear: another organisation's interest is never shown.
    """
    organisations = provider_organisations_for(user=user)
    return {i.organisation_id: i for i in opportunity.interests.filter(organisation__in=organisations)}


def alert_choices_for(*, user) -> dict:
    """The service areas and ward codes the user's own e-mail alerts are for (empty if they have none)."""
    subscription = AlertSubscription.objects.filter(user=user).first()
    if subscription is None:
        return {}
    return {
        "service_areas": list(subscription.service_areas.all()),
        "wards": list(subscription.wards.values_list("code", flat=True)),
    }


def clarifications_asked_by(*, user) -> list[Clarification]:
    """The questions asked for the providers ``user`` acts for, newest first, with their opportunities.

    Guarantees: only those organisations' own questions, in the asker's own
    words (``question``) beside the wording published (``published_question``,
    empty until answered); nobody else's; two queries whatever the number.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    organisations = [
        m.organisation_id for m in user.active_memberships if m.role in (Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER)
    ]
    if not organisations:
        return []
    return list(
        Clarification.objects.filter(asked_for_id__in=organisations)
        .select_related("opportunity", "asked_for", "asked_by")
        .order_by("-asked_at", "-id")
    )
