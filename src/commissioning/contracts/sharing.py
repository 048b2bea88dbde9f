"""Shared returns (CM-3): one return a provider made to one funder covers its return to another for the period.

Commissioners who fund the same provider see each other's monitoring of it (never its bids), and may
agree that one return serves both instead of asking for two:

- a commissioner of agreement A proposes that one of the provider's returns under another body's
  agreement B (same provider, an overlapping period, submitted or accepted) covers A's own return for
  that period, while A's is not started or in progress;
- a commissioner of B (the funder whose return is used), never the proposer, agrees; then A's return
  is covered (``ReturnStatus.SHARED``, through the return's workflow), the provider is told it need
  not submit it, and A's commissioners read the covering return with another body's small counts
  suppressed (unless they commission B too);
- either side may withdraw the proposal before it is agreed.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet

from commissioning.accounts.permissions import commissioning_at
from commissioning.audit.services import audit_record
from commissioning.audit.transitions import transition
from commissioning.core import clock
from commissioning.core.errors import RefusedError

from . import notifications
from .models import AgreementStatus, MonitoringReturn, ReturnStatus
from .permissions import is_agreement_commissioner
from .reading import reading
from .selectors import agreements_commissioned_at
from .workflow import RETURN_WORKFLOW

# The returns that may be covered: the provider has not sent them. And those that may cover: it has.
COVERABLE = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT)
COVERING = (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED)


class ShareError(RefusedError):
    """A shared return the rules refuse, with messages per field."""


def is_proposed(monitoring_return: MonitoringReturn) -> bool:
    """A share is proposed for the return and waiting to be agreed."""
    return monitoring_return.share_proposed_at is not None and monitoring_return.status != ReturnStatus.SHARED


def share_candidates(monitoring_return: MonitoringReturn) -> QuerySet[MonitoringReturn]:
    """The returns that could cover ``monitoring_return``: the same provider's, under another body's accepted
    agreement, for an overlapping period, submitted or accepted."""
    agreement = monitoring_return.agreement
    return (
        MonitoringReturn.objects.filter(
            agreement__provider_id=agreement.provider_id,
            agreement__status=AgreementStatus.ACCEPTED,
            status__in=COVERING,
            period_start__lte=monitoring_return.period_end,
            period_end__gte=monitoring_return.period_start,
        )
        .exclude(agreement__commissioner_id=agreement.commissioner_id)
        .select_related("agreement__commissioner")
        .order_by("agreement__reference", "number")
    )


def _problems(monitoring_return: MonitoringReturn, covering: MonitoringReturn) -> dict[str, list[str]]:
    agreement, other = monitoring_return.agreement, covering.agreement
    if agreement.status != AgreementStatus.ACCEPTED or other.status != AgreementStatus.ACCEPTED:
        return {"": ["Returns are shared between accepted agreements"]}
    if other.provider_id != agreement.provider_id:
        return {"covering": ["Only a return by the same provider can cover this one"]}
    if other.commissioner_id == agreement.commissioner_id:
        return {"covering": ["Choose a return to another commissioning body: one body asks for each return once"]}
    if covering.period_start > monitoring_return.period_end or covering.period_end < monitoring_return.period_start:
        return {"covering": ["The return chosen is for another period: it must overlap this return's period"]}
    if covering.status not in COVERING:
        return {"covering": ["Only a return the provider has submitted can cover another"]}
    if monitoring_return.status not in COVERABLE:
        return {"": ["The provider has already submitted this return, so another cannot cover it"]}
    return {}


def _locked(monitoring_return: MonitoringReturn) -> MonitoringReturn:
    return (
        MonitoringReturn.objects.select_for_update(of=("self",))
        .select_related("agreement__record", "covered_by__agreement__record")
        .get(pk=monitoring_return.pk)
    )


def share_propose(*, actor, monitoring_return: MonitoringReturn, covering: MonitoringReturn) -> MonitoringReturn:
    """A commissioner of the return's agreement proposes that another funder's return covers it for its period.

    Guarantees: only the agreement's commissioners; both agreements accepted; the
    same provider; another commissioning body; overlapping periods; the covering
    return submitted or accepted; this one not yet submitted; one proposal at a
    time (proposing again is refused until it is withdrawn). Audited.
    """
    if not is_agreement_commissioner(actor, monitoring_return.agreement):
        raise PermissionDenied("Only the agreement's commissioners propose a shared return")
    with transaction.atomic():
        locked = _locked(monitoring_return)
        if locked.share_proposed_at is not None:
            raise ShareError.on(
                "",
                "This return is already covered by another"
                if locked.status == ReturnStatus.SHARED
                else "A shared return is already proposed for this one: withdraw it first to propose another",
            )
        covering = MonitoringReturn.objects.select_related("agreement").get(pk=covering.pk)
        errors = _problems(locked, covering)
        if errors:
            raise ShareError(errors)
        locked.covered_by = covering
        locked.share_proposed_by = actor
        locked.share_proposed_at = clock.now()
        locked.save(update_fields=["covered_by", "share_proposed_by", "share_proposed_at"])
        audit_record(
            actor=actor,
            verb="return.share_propose",
            obj=locked,
            after={"covered_by": f"{covering.agreement.reference} return {covering.number}"},
        )
    return locked


def share_withdraw(*, actor, monitoring_return: MonitoringReturn) -> MonitoringReturn:
    """Either funder's commissioner withdraws a proposed share before it is agreed.

    Guarantees: only a commissioner of the return's agreement or of the covering
    return's; only a proposal not yet agreed (an agreed share stays). Audited.
    """
    with transaction.atomic():
        locked = _locked(monitoring_return)
        covering = locked.covered_by
        if not (
            is_agreement_commissioner(actor, locked.agreement)
            or (covering is not None and is_agreement_commissioner(actor, covering.agreement))
        ):
            raise PermissionDenied("Only the two funders' commissioners withdraw a proposed share")
        if not is_proposed(locked):
            raise ShareError.on(
                "",
                "The shared return is agreed already"
                if locked.status == ReturnStatus.SHARED
                else "No shared return is proposed for this return",
            )
        before = {"covered_by": f"{covering.agreement.reference} return {covering.number}"}
        locked.covered_by = None
        locked.share_proposed_by = None
        locked.share_proposed_at = None
        locked.save(update_fields=["covered_by", "share_proposed_by", "share_proposed_at"])
        audit_record(actor=actor, verb="return.share_withdraw", obj=locked, before=before)
    return locked


def share_agree(*, actor, monitoring_return: MonitoringReturn) -> MonitoringReturn:
    """A commissioner of the funder whose return is used agrees that it covers ``monitoring_return``.

    Guarantees: only a commissioner of the covering return's agreement, never
    the person who proposed it; the proposal's checks hold still (the provider
    may have submitted the covered return since, which refuses it); the return
    becomes covered through the workflow's "share" move, audited with who
    agreed; the provider's administrators are told it need not submit it.
    """
    with transaction.atomic():
        locked = _locked(monitoring_return)
        covering = locked.covered_by
        if covering is None or not is_agreement_commissioner(actor, covering.agreement):
            raise PermissionDenied("Only the covering return's commissioners agree to share it")
        if not is_proposed(locked):
            raise ShareError.on(
                "",
                "The shared return is agreed already"
                if locked.status == ReturnStatus.SHARED
                else "No shared return is proposed for this return",
            )
        if locked.share_proposed_by_id == actor.pk:
            raise ShareError.on("", "Someone other than the person who proposed it agrees to share a return")
        errors = _problems(locked, MonitoringReturn.objects.select_related("agreement").get(pk=covering.pk))
        if errors:
            raise ShareError({"": [message for messages in errors.values() for message in messages]})
        shared = transition(
            workflow=RETURN_WORKFLOW,
            obj=locked,
            name="share",
            actor=actor,
            changes={"share_agreed_by": actor, "share_agreed_at": clock.now()},
        )
        transaction.on_commit(lambda: notifications.return_shared(shared))
    return shared


def covering_reading(user, monitoring_return: MonitoringReturn):
    """The return that covers ``monitoring_return``, as the user may read it: another body's small counts are
    suppressed unless the user commissions the covering agreement too. None when it is not covered."""
    covering = monitoring_return.covered_by
    if covering is None or monitoring_return.status != ReturnStatus.SHARED:
        return None
    own = is_agreement_commissioner(user, covering.agreement)
    return reading(covering, suppress=not own)


def proposals_for(*, user, provider=None) -> QuerySet[MonitoringReturn]:
    """The proposed shares waiting for ``user`` to agree: returns that one of the user's bodies' returns would
    cover, proposed by someone else (for one provider when given)."""
    mine = agreements_commissioned_at(commissioning_at(user)).values("pk")
    found = MonitoringReturn.objects.filter(
        Q(covered_by__agreement__in=mine),
        share_proposed_at__isnull=False,
        status__in=COVERABLE,
    ).exclude(share_proposed_by=user)
    if provider is not None:
        found = found.filter(agreement__provider=provider)
    return found.select_related("agreement__commissioner", "covered_by__agreement", "share_proposed_by").order_by(
        "share_proposed_at"
    )


def could_share(views) -> list[tuple[MonitoringReturn, list[MonitoringReturn]]]:
    """From a provider's agreements as a funder sees them (``selectors.provider_monitoring_for``), each of the
    user's own returns not yet sent or shared with the other bodies' submitted returns that could cover it.
    Reads only what the views already hold: no further query."""
    own = [v.agreement for v in views if v.own and v.agreement.status == AgreementStatus.ACCEPTED]
    others = [v.agreement for v in views if v.agreement.status == AgreementStatus.ACCEPTED]
    found = []
    for agreement in own:
        for r in agreement.returns.all():
            if r.status not in COVERABLE or r.share_proposed_at is not None:
                continue
            candidates = [
                c
                for other in others
                if other.commissioner_id != agreement.commissioner_id
                for c in other.returns.all()
                if c.status in COVERING and c.period_start <= r.period_end and c.period_end >= r.period_start
            ]
            if candidates:
                found.append((r, candidates))
    return found
