"""Reads of agreements, scoped to who is asking.

- An agreement's commissioners (at the body that let it, or a body of its
  record) see it from its draft on; an administrator sees every one.
- Its provider's administrators and members see it once it is issued: a
  draft is the commissioner's working copy.
- Anyone else asking for a reference gets 404, whether or not it exists.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from commissioning.accounts.models import Organisation
from commissioning.accounts.permissions import commissioning_at
from commissioning.core import clock
from commissioning.evaluation.models import Evaluation
from commissioning.evaluation.services import may_conclude_contract
from commissioning.records.models import CommissioningRecord

from .models import (
    Agreement,
    AgreementStatus,
    InflationRate,
    MonitoringReturn,
    Payment,
    ReturnStatus,
    VariationStatus,
)
from .permissions import PROVIDER_ROLES
from .suppression import suppressed

VISIBLE_TO_PROVIDER = (AgreementStatus.ISSUED, AgreementStatus.ACCEPTED)


def _signed_in(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def _commissioned_q(bodies) -> Q:
    joint = CommissioningRecord.joint_bodies.through.objects.filter(organisation_id__in=bodies).values(
        "commissioningrecord_id"
    )
    return Q(commissioner_id__in=bodies) | Q(record__lead_body_id__in=bodies) | Q(record_id__in=joint)


def agreements_commissioned_at(bodies) -> QuerySet[Agreement]:
    """The agreements let by, or recorded under, the commissioning bodies with ids ``bodies``."""
    if not bodies:
        return Agreement.objects.none()
    return Agreement.objects.filter(_commissioned_q(bodies))


def _commissioned(user) -> QuerySet[Agreement]:
    if not _signed_in(user):
        return Agreement.objects.none()
    if user.is_administrator:
        return Agreement.objects.all()
    return agreements_commissioned_at(commissioning_at(user))


def provider_organisations(user) -> list[int]:
    """The ids of the providers ``user`` acts for (as an administrator or member)."""
    if not _signed_in(user):
        return []
    return sorted({m.organisation_id for m in user.active_memberships if m.role in PROVIDER_ROLES})


STATUS_FILTERS = {
    "draft": Q(status=AgreementStatus.DRAFT),
    "issued": Q(status=AgreementStatus.ISSUED),
    "accepted": Q(status=AgreementStatus.ACCEPTED),
}


def _counted(rows) -> Subquery:
    """How many of ``rows`` (returns or payments) belong to each agreement, as a subquery per row."""
    return Coalesce(
        Subquery(
            rows.filter(agreement=OuterRef("pk")).order_by().values("agreement").annotate(n=Count("pk")).values("n")
        ),
        0,
    )


def _earliest(rows) -> Subquery:
    """The earliest due date among each agreement's ``rows`` (returns or payments), as a subquery per row."""
    return Subquery(rows.filter(agreement=OuterRef("pk")).order_by("due_on").values("due_on")[:1])


def agreements_for_commissioner(*, user, status: str = "", query: str = "") -> QuerySet[Agreement]:
    """The agreements ``user`` commissions (every one for an administrator), soonest-starting last.

    Guarantees: only the user's bodies' agreements; each row carries its
    provider, commissioning body and counts of returns waiting for review and
    payments not yet paid, so a page of them costs the same few queries
    whatever its length.
    """
    found = _commissioned(user)
    if status in STATUS_FILTERS:
        found = found.filter(STATUS_FILTERS[status])
    words = query.strip()
    if words:
        found = found.filter(
            Q(reference__icontains=words) | Q(title__icontains=words) | Q(provider__name__icontains=words)
        )
    return (
        found.select_related("provider", "commissioner", "record")
        .defer("document", "special_conditions", "description", "outcomes")
        .annotate(
            # Counted per row by subqueries, not a join of returns and payments (their product per agreement).
            returns_waiting=_counted(MonitoringReturn.objects.filter(status=ReturnStatus.SUBMITTED)),
            payments_unpaid=_counted(Payment.objects.filter(paid_on__isnull=True)),
        )
        .order_by("-starts_on", "-pk")
    )


def agreement_get_for_commissioner(*, user, reference: str, acting: bool = False) -> Agreement:
    """One agreement as its commissioner (or an administrator) sees it, with its KPIs, or 404.

    With ``acting``, only its commissioners: the pages that change an agreement are theirs alone, and
    an administrator who reads every agreement gets 404 there.
    """
    scope = agreements_commissioned_at(commissioning_at(user)) if acting else _commissioned(user)
    agreement = (
        scope.select_related("provider", "commissioner", "record__lead_body", "opportunity", "lot", "issued_by")
        .prefetch_related("measures", "record__joint_bodies", "provider__identifiers", "commissioner__identifiers")
        .filter(reference=str(reference))
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def agreements_for_provider(*, user) -> QuerySet[Agreement]:
    """The issued and accepted agreements of the providers ``user`` acts for, newest first (never drafts)."""
    return (
        Agreement.objects.filter(provider_id__in=provider_organisations(user), status__in=VISIBLE_TO_PROVIDER)
        .select_related("provider", "commissioner")
        .order_by("-starts_on", "-pk")
    )


def agreement_get_for_provider(*, user, reference: str) -> Agreement:
    """One of the user's providers' issued or accepted agreements, with its KPIs, or 404 (drafts too)."""
    agreement = (
        agreements_for_provider(user=user)
        .select_related("record", "accepted_by")
        .prefetch_related("measures", "provider__identifiers", "commissioner__identifiers")
        .filter(reference=str(reference))
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


@dataclass(frozen=True)
class AwardAgreements:
    """An award's agreements: drafted once its standstill ends, one per successful bid and lot."""

    evaluation: Evaluation | None
    agreements: list[Agreement]
    may_conclude: bool
    undrafted: int


def award_agreements_for(*, opportunity) -> AwardAgreements:
    """The agreements drafted from an opportunity's award, and how many successful bids still have none."""
    evaluation = Evaluation.objects.filter(opportunity=opportunity).first()
    agreements = list(
        Agreement.objects.filter(opportunity=opportunity).select_related("provider", "lot").order_by("lot__number")
    )
    undrafted = evaluation.decisions.filter(outcome="awarded", agreement__isnull=True).count() if evaluation else 0
    return AwardAgreements(
        evaluation=evaluation,
        agreements=agreements,
        may_conclude=bool(evaluation and may_conclude_contract(evaluation, clock.now())),
        undrafted=undrafted,
    )


def return_get_for_provider(*, user, reference: str, number: int) -> MonitoringReturn:
    """One return of the user's providers' accepted agreement, with its agreement, or 404."""
    found = (
        MonitoringReturn.objects.filter(
            agreement__provider_id__in=provider_organisations(user),
            agreement__status=AgreementStatus.ACCEPTED,
            agreement__reference=str(reference),
            number=number,
        )
        .select_related(
            "agreement__provider", "agreement__commissioner", "submitted_by", "covered_by__agreement__commissioner"
        )
        .prefetch_related("agreement__measures", "reviews__reviewed_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def return_get_for_commissioner(*, user, reference: str, number: int, acting: bool = False) -> MonitoringReturn:
    """One return of an agreement the user commissions (an administrator reads every one unless ``acting``)."""
    agreement = agreement_get_for_commissioner(user=user, reference=reference, acting=acting)
    found = (
        agreement.returns.filter(number=number)
        .select_related("submitted_by", "covered_by__agreement__commissioner")
        .prefetch_related("reviews__reviewed_by")
        .first()
    )
    if found is None:
        raise Http404
    found.agreement = agreement
    return found


def returns_of(agreement) -> list[MonitoringReturn]:
    """An agreement's returns in order, each with its reviews and any return covering it, in two queries."""
    return list(
        agreement.returns.select_related("covered_by__agreement").prefetch_related("reviews").order_by("number")
    )


@dataclass(frozen=True)
class FunderView:
    """One of a provider's agreements as another funder sees it: states and counts, never bids or named people."""

    agreement: Agreement
    own: bool
    returns_by_status: dict
    latest_people: str
    payments_paid: int
    payments_late: int
    feedback: int


def provider_monitoring_for(*, user, slug: str) -> tuple[object, list[FunderView]]:
    """A provider's monitoring under every commissioner's agreements, for a commissioner who funds it (CM-3).

    Guarantees: 404 unless the user commissions an issued or accepted agreement with this provider (or
    is an administrator); only issued and accepted agreements; the people reached under another body's
    agreement are shown suppressed below the set threshold; no bid is read. A fixed number of queries.
    """
    provider = Organisation.objects.filter(slug=str(slug)).first()
    if provider is None:
        raise Http404
    published = Agreement.objects.filter(provider=provider, status__in=VISIBLE_TO_PROVIDER)
    mine = set(
        agreements_commissioned_at(commissioning_at(user)).filter(provider=provider).values_list("pk", flat=True)
    )
    shown = set(published.values_list("pk", flat=True))
    if not shown or not (mine & shown or getattr(user, "is_administrator", False)):
        raise Http404
    agreements = list(
        published.select_related("commissioner").prefetch_related("returns", "payments", "beneficiary_feedback")
    )
    terms = int(settings.CONTRACTS["payment_terms_days"])
    views = []
    for agreement in agreements:
        listed = list(agreement.returns.all())
        by_status: dict[str, int] = {}
        for r in listed:
            by_status[r.get_status_display()] = by_status.get(r.get_status_display(), 0) + 1
        accepted = [r for r in listed if r.status == ReturnStatus.ACCEPTED and r.people_reached is not None]
        own = agreement.pk in mine
        latest = accepted[-1].people_reached if accepted else None
        paid = [p for p in agreement.payments.all() if p.paid_on and p.invoice_received_on]
        views.append(
            FunderView(
                agreement=agreement,
                own=own,
                returns_by_status=by_status,
                latest_people=("" if latest is None else (f"{latest:,}" if own else suppressed(latest))),
                payments_paid=len(paid),
                payments_late=sum(1 for p in paid if (p.paid_on - p.invoice_received_on).days > terms),
                feedback=sum(1 for f in agreement.beneficiary_feedback.all() if not f.hidden),
            )
        )
    return provider, views


def agreements_for_person(*, user, status: str = "") -> QuerySet[Agreement]:
    """Every agreement ``user`` is party to, for the API: those its bodies commission (drafts too) and those
    issued to its providers (never their drafts), newest first.

    Each row carries its parties and its returns and payments counted by state, so a page of them costs
    the same few queries whatever its length; prefetch nothing else per row.
    """
    providers = provider_organisations(user)
    found = _commissioned(user) | Agreement.objects.filter(provider_id__in=providers, status__in=VISIBLE_TO_PROVIDER)
    if status in STATUS_FILTERS:
        found = found.filter(STATUS_FILTERS[status])
    counts = {
        f"returns_{state}": _counted(MonitoringReturn.objects.filter(status=state)) for state in ReturnStatus.values
    }
    open_returns = MonitoringReturn.objects.filter(
        status__in=[ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.QUERIED]
    )
    return (
        found.distinct()
        .select_related("provider", "commissioner")
        .defer("document", "special_conditions")
        .prefetch_related("provider__identifiers", "commissioner__identifiers")
        .annotate(
            **counts,
            payments_count=_counted(Payment.objects.all()),
            payments_paid=_counted(Payment.objects.filter(paid_on__isnull=False)),
            next_return_due=_earliest(open_returns),
            next_payment_due=_earliest(Payment.objects.filter(paid_on__isnull=True)),
        )
        .order_by("-starts_on", "-pk")
    )


def agreement_get_for_person(*, user, reference: str) -> Agreement:
    """One agreement ``user`` is party to (as :func:`agreements_for_person` lists them) with its KPIs, returns
    and payments, or 404."""
    agreement = (
        agreements_for_person(user=user)
        .prefetch_related("measures", "returns", "payments")
        .filter(reference=str(reference))
        .first()
    )
    if agreement is None:
        raise Http404
    return agreement


def variations_of(agreement, *, approved_only: bool = False) -> list:
    """An agreement's variations in order, with who proposed and decided each, in one query."""
    found = agreement.variations.select_related("proposed_by", "decided_by").order_by("number")
    if approved_only:
        found = found.filter(status=VariationStatus.APPROVED)
    return list(found)


def variation_get_for_commissioner(*, user, reference: str, number: int):
    """One variation of an agreement the user commissions (an administrator reads and decides every one), or 404."""
    agreement = agreement_get_for_commissioner(user=user, reference=reference)
    found = agreement.variations.select_related("proposed_by", "decided_by").filter(number=number).first()
    if found is None:
        raise Http404
    found.agreement = agreement
    return found


def inflation_rates_for(*, user):
    """Every CPI figure, by year and month, for an administrator; 404 for anyone else."""
    if not (_signed_in(user) and user.is_administrator):
        raise Http404
    return InflationRate.objects.order_by("-year", "month")
