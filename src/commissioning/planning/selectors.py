"""Reads of plans, scoped to who is asking.

The pipeline is every plan on it, by every body, for anyone. A draft plan is
read only by its commissioners and its partners' people; a reference anyone
else asks for answers 404, whether or not it exists. Lists select and
prefetch what they show, so a page costs the same few queries however long.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Subquery, Sum, Value, When
from django.http import Http404

from commissioning.accounts.models import Organisation, Side
from commissioning.accounts.permissions import commissioning_at
from commissioning.core.models import Ward
from commissioning.records.models import CommissioningRecord

from .models import Overlap, Partner, Plan, PlanStatus
from .permissions import is_plan_commissioner, may_see_plan, partner_organisations_of


@dataclass(frozen=True)
class PipelineFilter:
    """What the pipeline is narrowed by; blank fields narrow nothing (a blank status hides withdrawn plans)."""

    query: str = ""
    service_area: str = ""  # an outcome area's slug
    ward: str = ""  # a ward's ONS code; city-wide plans are included
    body: str = ""  # a commissioning body's slug, lead or joint
    status: str = ""
    funding_type: str = ""


def _open_overlaps() -> Q:
    return Q(cleared_at__isnull=True, resolved_at__isnull=True)


# What a list shows of an overlap and the other plan: enough to name and link it, read without the rest
# of either row, so a page of plans that overlap many others stays cheap.
_LISTED_OVERLAP = ("id", "first_id", "second_id", "found_at", "cleared_at", "resolved_at", "coordination")
_LISTED_OTHER = ("id", "expected_advert", "record_id", "record__id", "record__reference", "record__title")


def _with_overlaps(found: QuerySet[Plan], *, open_only: bool) -> QuerySet[Plan]:
    """Prefetch each plan's current overlaps (both sides) with the other plan's record: two queries.

    ``open_only`` (the lists) reads only the open ones, and of them only what a list shows.
    """
    current = Q(cleared_at__isnull=True)
    if open_only:
        current &= _open_overlaps()
    prefetches = []
    for side, other in (("first", "second"), ("second", "first")):
        overlaps = Overlap.objects.filter(current)
        if open_only:
            overlaps = overlaps.select_related(f"{other}__record").only(
                *_LISTED_OVERLAP, *(f"{other}__{name}" for name in _LISTED_OTHER)
            )
        else:
            overlaps = overlaps.select_related(f"{other}__record__lead_body")
        prefetches.append(Prefetch(f"overlaps_as_{side}", queryset=overlaps, to_attr=f"current_as_{side}"))
    return found.prefetch_related(*prefetches)


def _listed(found: QuerySet[Plan]) -> QuerySet[Plan]:
    return found.select_related("record__lead_body", "service_area").prefetch_related(
        "record__wards", "record__joint_bodies"
    )


def _narrowed(found: QuerySet[Plan], filters: PipelineFilter) -> QuerySet[Plan]:
    words = filters.query.strip()
    if words:
        found = found.filter(
            Q(record__title__icontains=words) | Q(record__summary__icontains=words) | Q(record__reference__iexact=words)
        )
    if filters.service_area:
        found = found.filter(service_area__slug=filters.service_area)
    if filters.ward:
        # A subquery rather than a join, so each plan is one row and no DISTINCT is needed.
        ward_id = Subquery(Ward.objects.filter(code=filters.ward).values("pk")[:1])
        in_ward = CommissioningRecord.wards.through.objects.filter(ward_id=ward_id).values("commissioningrecord_id")
        found = found.filter(Q(record__city_wide=True) | Q(record_id__in=in_ward))
    if filters.body:
        body_id = Subquery(Organisation.objects.filter(slug=filters.body).values("pk")[:1])
        joint = CommissioningRecord.joint_bodies.through.objects.filter(organisation_id=body_id).values(
            "commissioningrecord_id"
        )
        found = found.filter(Q(record__lead_body_id=body_id) | Q(record_id__in=joint))
    if filters.status:
        found = found.filter(status=filters.status)
    else:
        found = found.exclude(status=PlanStatus.WITHDRAWN)
    if filters.funding_type:
        found = found.filter(funding_type=filters.funding_type)
    return found


def pipeline(*, filters: PipelineFilter = PipelineFilter()) -> QuerySet[Plan]:
    """Every plan on the pipeline matching ``filters``, soonest to be advertised first.

    Guarantees: never a draft; the record, its bodies, wards, the outcome area
    and the open overlaps (with the other plans' references) are loaded with
    the page, in a fixed number of queries whatever its length.
    """
    found = _narrowed(Plan.objects.filter(published_at__isnull=False), filters)
    return _with_overlaps(_listed(found), open_only=True).order_by("expected_advert", "pk")


def timeline(*, filters: PipelineFilter = PipelineFilter(), quarters: list[tuple[date, date]]) -> list[dict]:
    """The pipeline by quarter of expected advert and lead body: how many plans and their expected value.

    ``quarters`` are the (first day, last day) of each quarter shown, in
    order. One query, grouped in the database, reading only the plans advertised
    within them (the pipeline's index on publication and advert): each row has
    ``quarter`` (its position in ``quarters``), ``body`` (the lead body's name),
    ``plans`` and ``value`` (a Decimal; plans of unknown value count as nothing).
    """
    if not quarters:
        return []
    found = _narrowed(
        Plan.objects.filter(
            published_at__isnull=False, expected_advert__gte=quarters[0][0], expected_advert__lte=quarters[-1][1]
        ),
        filters,
    )
    # Which quarter, by plain comparisons of the date: no function called for each row.
    which = Case(
        *(When(expected_advert__lte=last, then=Value(n)) for n, (_first, last) in enumerate(quarters)),
        output_field=IntegerField(),
    )
    rows = (
        found.annotate(quarter=which)
        .values("quarter", "record__lead_body__name")
        .annotate(plans=Count("pk"), value=Sum("record__estimated_value"))
        .order_by("quarter", "record__lead_body__name")
    )
    return [
        {
            "quarter": row["quarter"],
            "body": row["record__lead_body__name"],
            "plans": row["plans"],
            "value": row["value"] or 0,
        }
        for row in rows
    ]


def bodies_on_pipeline() -> list[Organisation]:
    """The commissioning bodies, by name (for the pipeline's filter): a small table, read without the plans."""
    return list(Organisation.objects.filter(side=Side.COMMISSIONER).order_by("name"))


def _one(reference: str) -> Plan | None:
    found = (
        Plan.objects.select_related("record__lead_body", "service_area", "assessment", "approved_by")
        .prefetch_related(
            "record__wards",
            "record__joint_bodies",
            Prefetch("partners", queryset=Partner.objects.select_related("organisation").order_by("stage", "pk")),
        )
        .filter(record__reference=str(reference))
    )
    return _with_overlaps(found, open_only=False).first()


def plan_get_for(*, user, reference: str) -> Plan:
    """One plan as ``user`` may see it, with its record, partners and current overlaps, or 404.

    Guarantees: a plan on the pipeline for anyone; a draft only for its
    commissioners and the people of its partner organisations; everyone else
    gets 404, the same as for a reference that does not exist.
    """
    plan = _one(reference)
    if plan is None or not may_see_plan(user, plan):
        raise Http404
    return plan


def plan_get_for_commissioner(*, user, reference: str) -> Plan:
    """A plan ``user`` commissions (its record's lead or joint body), for its management pages, or 404."""
    plan = _one(reference)
    if plan is None or not is_plan_commissioner(user, plan):
        raise Http404
    return plan


def plans_commissioned_by(*, user) -> QuerySet[Plan]:
    """The plans of the bodies ``user`` commissions for, drafts included, soonest to be advertised first.

    Guarantees: only those bodies' plans (lead or joint); none for anyone else,
    administrators included. A fixed number of queries for a page of them.
    """
    bodies = commissioning_at(user)
    if not bodies:
        return Plan.objects.none()
    joint = CommissioningRecord.joint_bodies.through.objects.filter(organisation_id__in=bodies).values(
        "commissioningrecord_id"
    )
    found = Plan.objects.filter(Q(record__lead_body_id__in=bodies) | Q(record_id__in=joint))
    return _with_overlaps(_listed(found), open_only=True).order_by("expected_advert", "pk")


def plans_partnered_by(*, user) -> QuerySet[Plan]:
    """The plans an organisation ``user`` acts for is a partner on, drafts included, soonest first.

    Guarantees: only those plans, each once; none for someone who acts for no organisation.
    """
    organisations = partner_organisations_of(user)
    if not organisations:
        return Plan.objects.none()
    partnered = Partner.objects.filter(organisation_id__in=organisations).values("plan_id")
    found = Plan.objects.filter(pk__in=partnered).prefetch_related(
        Prefetch(
            "partners",
            queryset=Partner.objects.filter(organisation_id__in=organisations).select_related("organisation"),
            to_attr="own_partnerships",
        )
    )
    return _listed(found).order_by("expected_advert", "pk")


def current_overlaps(plan: Plan) -> list[tuple[Overlap, Plan]]:
    """The plan's current (not cleared) overlaps, each with the other plan, from what the selector loaded."""
    pairs = [(o, o.second) for o in getattr(plan, "current_as_first", [])]
    pairs += [(o, o.first) for o in getattr(plan, "current_as_second", [])]
    return sorted(pairs, key=lambda pair: (pair[0].resolved_at is not None, pair[1].expected_advert, pair[1].pk))


def overlap_get_for_commissioner(*, user, overlap_id: int) -> Overlap:
    """An overlap one of whose plans ``user`` commissions, with both plans, or 404."""
    overlap = (
        Overlap.objects.select_related("first__record__lead_body", "second__record__lead_body", "resolved_by")
        .prefetch_related("first__record__joint_bodies", "second__record__joint_bodies")
        .filter(pk=overlap_id)
        .first()
    )
    if overlap is None or not (is_plan_commissioner(user, overlap.first) or is_plan_commissioner(user, overlap.second)):
        raise Http404
    return overlap


def open_overlaps_for(*, bodies) -> list[Overlap]:
    """The open (not cleared, not resolved) overlaps of the plans that ``bodies`` lead, with both plans."""
    if not bodies:
        return []
    return list(
        Overlap.objects.filter(_open_overlaps())
        .filter(Q(first__record__lead_body_id__in=bodies) | Q(second__record__lead_body_id__in=bodies))
        .select_related("first__record", "second__record")
        .order_by("found_at", "pk")
    )


def plan_in_record(record) -> Plan | None:
    """The record's plan with its partners and current overlaps, or None.

    No access check: the caller has loaded ``record`` through ``record_get_for``.
    """
    return _one(record.reference)
