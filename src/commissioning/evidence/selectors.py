"""Reads of the evidence store, always scoped to who is asking.

Only the owning organisation's provider administrators and members see its
evidence; anyone else gets 404, as if it did not exist. Two reads take an
organisation without a user: :func:`evidence_current_for` and
:func:`evidence_readiness`, for code that has already checked access (a bid's
own selector, the reminder job).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from commissioning.accounts.models import Organisation, Side

from .models import EvidenceItem
from .permissions import KEEPER_ROLES, KEEPING_STATUSES, keeps_evidence_for
from .specs import readiness_message
from .standard_items import StandardItem

MISSING, CURRENT, EXPIRED = "missing", "current", "expired"


@dataclass(frozen=True)
class Readiness:
    """Where one standard item stands on a day: missing, current or expired, with a sentence saying so."""

    item: str
    label: str
    state: str
    version: EvidenceItem | None
    message: str


def reminder_days() -> int:
    """How many days before an item runs out its organisation is reminded (and the list says "expires soon")."""
    return int(getattr(settings, "EVIDENCE_REMINDER_DAYS", 30))


def evidence_current_for(*, organisation: Organisation) -> dict[str, EvidenceItem]:
    """The current version of each item the organisation keeps, by item code, in one query.

    No access check: call it only for an organisation the caller may see.
    """
    return {version.item: version for version in EvidenceItem.objects.current().filter(organisation=organisation)}


def evidence_readiness(*, organisation: Organisation, items: list[str], on: date) -> list[Readiness]:
    """Whether each of ``items`` is missing, current or expired on the day ``on``, in the order given.

    An item is current on its valid-until date itself and expired from the
    next day. An item without a valid-until date (identifiers, address,
    references) stays current until it is changed or removed. Each answer
    carries a plain sentence for the GOV.UK error summary. Unknown codes
    raise ValueError. No access check: as :func:`evidence_current_for`.
    """
    unknown = set(items) - set(StandardItem.values)
    if unknown:
        raise ValueError(f"Unknown evidence items: {', '.join(sorted(unknown))}")
    current = evidence_current_for(organisation=organisation)
    answers = []
    for item in dict.fromkeys(items):
        version = current.get(item)
        if version is None:
            state = MISSING
        elif version.is_expired_on(on):
            state = EXPIRED
        else:
            state = CURRENT
        answers.append(
            Readiness(
                item=item,
                label=StandardItem(item).label,
                state=state,
                version=version,
                message=readiness_message(item, state, version.valid_until if version else None),
            )
        )
    return answers


@dataclass(frozen=True)
class OverviewRow:
    """One line of "Your evidence": its tag adds "expires soon" to the three readiness states."""

    item: str
    label: str
    tag: str
    version: EvidenceItem | None


def evidence_overview(*, user, organisation: Organisation, on: date) -> list[OverviewRow]:
    """Every standard item for the organisation's "Your evidence" page, in the catalogue's order.

    The tag is missing, current, expires_soon (current, running out within
    the reminder window) or expired. 404 unless ``user`` keeps the
    organisation's evidence.
    """
    if not keeps_evidence_for(user, organisation):
        raise Http404
    soon = on + timedelta(days=reminder_days())
    rows = []
    for answer in evidence_readiness(organisation=organisation, items=StandardItem.values, on=on):
        tag = answer.state
        if tag == CURRENT and answer.version.valid_until is not None and answer.version.valid_until <= soon:
            tag = "expires_soon"
        rows.append(OverviewRow(item=answer.item, label=answer.label, tag=tag, version=answer.version))
    return rows


def evidence_organisations_for(*, user) -> list[Organisation]:
    """The providers whose evidence ``user`` keeps (verified or waiting), by name."""
    if not (user and user.is_authenticated):
        return []
    found = {
        m.organisation.pk: m.organisation
        for m in user.active_memberships
        if m.role in KEEPER_ROLES and m.organisation.side == Side.PROVIDER and m.organisation.status in KEEPING_STATUSES
    }
    return sorted(found.values(), key=lambda organisation: organisation.name)


def evidence_organisation_get_for(*, user, slug: str) -> Organisation:
    """A provider whose evidence ``user`` keeps, by slug, or 404."""
    found = next((o for o in evidence_organisations_for(user=user) if o.slug == slug), None)
    if found is None:
        raise Http404
    return found


def evidence_for_owner(*, user, organisation: Organisation) -> QuerySet[EvidenceItem]:
    """The organisation's current versions, by item, for its own people; 404 for anyone else."""
    if not keeps_evidence_for(user, organisation):
        raise Http404
    return EvidenceItem.objects.current().filter(organisation=organisation).order_by("item")


def evidence_history_for(*, user, organisation: Organisation, item: str) -> QuerySet[EvidenceItem]:
    """Every version of one item, newest first, with who saved it; 404 unless ``user`` keeps the evidence."""
    if not keeps_evidence_for(user, organisation) or item not in StandardItem.values:
        raise Http404
    return (
        EvidenceItem.objects.filter(organisation=organisation, item=item)
        .select_related("created_by")
        .order_by("-version")
    )


def evidence_item_get_for(*, user, pk: int) -> EvidenceItem:
    """One version (current or not) of an item, for the owning organisation's people; 404 for anyone else."""
    try:
        version = EvidenceItem.objects.select_related("organisation").get(pk=pk)
    except (EvidenceItem.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if not keeps_evidence_for(user, version.organisation):
        raise Http404
    return version


def evidence_visible_to(*, user) -> QuerySet[EvidenceItem]:
    """Every version of every item of the organisations whose evidence ``user`` keeps (empty for anyone else)."""
    organisations = [o.pk for o in evidence_organisations_for(user=user)]
    return EvidenceItem.objects.filter(organisation_id__in=organisations).select_related("organisation")
