"""Reads of commissioning records, scoped to who is asking.

A record is seen by the commissioners of its lead and joint bodies and by
administrators. A reference anyone else asks for answers 404, whether or not
it exists.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from commissioning.accounts.permissions import commissioning_at

from .models import CommissioningRecord
from .permissions import may_see_record


def _scoped(user) -> QuerySet[CommissioningRecord]:
    if not (user and getattr(user, "is_authenticated", False)):
        return CommissioningRecord.objects.none()
    if user.is_administrator:
        return CommissioningRecord.objects.all()
    bodies = commissioning_at(user)
    if not bodies:
        return CommissioningRecord.objects.none()
    # A subquery, not a join: each record is one row, so the list can be counted and paged as it is.
    joint = CommissioningRecord.joint_bodies.through.objects.filter(organisation_id__in=bodies).values(
        "commissioningrecord_id"
    )
    return CommissioningRecord.objects.filter(Q(lead_body__in=bodies) | Q(pk__in=joint))


def records_for(*, user, query: str = "") -> QuerySet[CommissioningRecord]:
    """The records ``user`` may see, newest first, optionally those whose reference or title has ``query``.

    Guarantees: a commissioner sees only their bodies' records (lead or
    joint), an administrator every record, anyone else none. The lead body is
    selected with each row, so a page of them costs the same few queries
    whatever its length.
    """
    found = _scoped(user)
    words = query.strip()
    if words:
        found = found.filter(Q(reference__icontains=words) | Q(title__icontains=words))
    return found.select_related("lead_body").order_by("-created_at", "-pk")


def records_startable_by(*, user, lead_body) -> list[CommissioningRecord]:
    """The records ``user`` may start a new opportunity in for ``lead_body``: that body's own records.

    Guarantees: only records ``lead_body`` leads or joins, and only when
    ``user`` commissions for it; empty otherwise (administrators too).
    """
    if lead_body is None or lead_body.pk not in commissioning_at(user):
        return []
    joint = CommissioningRecord.joint_bodies.through.objects.filter(organisation_id=lead_body.pk).values(
        "commissioningrecord_id"
    )
    return list(
        CommissioningRecord.objects.filter(Q(lead_body=lead_body) | Q(pk__in=joint)).order_by("-created_at", "-pk")
    )


def record_get_for(*, user, reference: str) -> CommissioningRecord:
    """One record as ``user`` may see it, with its bodies and wards prefetched, or 404.

    Guarantees: the record's commissioners and administrators get it;
    everyone else (other bodies' commissioners, providers, evaluators, the
    signed out) gets 404, the same as for a reference that does not exist.
    """
    record = (
        CommissioningRecord.objects.select_related("lead_body", "created_by")
        .prefetch_related("joint_bodies", "wards")
        .filter(reference=str(reference))
        .first()
    )
    if record is None or not may_see_record(user, record):
        raise Http404
    return record
