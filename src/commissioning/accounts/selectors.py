"""Reads of organisations and people, always scoped to who is asking.

Functions that load one object take the user and raise Http404 when that
user may not see it, so a page never holds an object it should not show and
never reveals that a hidden object exists.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from commissioning.core import clock
from commissioning.core.models import ClosureDay
from commissioning.core.sizebands import income_range

from .models import (
    ApiToken,
    ApiTokenFailure,
    Invitation,
    Membership,
    Organisation,
    OrganisationIdentifier,
    OrganisationStatus,
    Side,
    User,
)
from .permissions import is_administrator, is_member, is_organisation_admin


@dataclass(frozen=True)
class DirectoryFilter:
    """What the directory of organisations is narrowed by; blank fields narrow nothing."""

    query: str = ""
    ward: str = ""
    size_band: str = ""
    legal_form: str = ""
    based_in_leeds: bool | None = None


def _with_profile(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return organisations.prefetch_related(
        "wards", Prefetch("identifiers", queryset=OrganisationIdentifier.objects.order_by("-is_primary", "scheme"))
    )


def provider_directory(*, filters: DirectoryFilter) -> QuerySet[Organisation]:
    """Verified providers matching ``filters``, by name, with wards and identifiers prefetched.

    Public: it never includes an organisation that is waiting, declined or
    suspended, nor a commissioning body.
    """
    providers = Organisation.objects.filter(side=Side.PROVIDER, status=OrganisationStatus.VERIFIED)
    if filters.query:
        q = filters.query.strip()
        providers = providers.filter(
            Q(name__icontains=q)
            | Q(description__icontains=q)
            | Q(identifiers__value__iexact=q.replace(" ", "").upper())
        ).distinct()
    if filters.ward:
        providers = providers.filter(Q(wards__code=filters.ward) | Q(city_wide=True)).distinct()
    if filters.size_band:
        low, high = income_range(filters.size_band)
        providers = providers.filter(latest_income__gte=low)
        if high is not None:
            providers = providers.filter(latest_income__lt=high)
    if filters.legal_form:
        providers = providers.filter(legal_form=filters.legal_form)
    if filters.based_in_leeds is not None:
        providers = providers.filter(based_in_leeds=filters.based_in_leeds)
    return _with_profile(providers.order_by("name"))


def verified_provider_count() -> int:
    """How many verified providers the directory lists (the home page shows it)."""
    return Organisation.objects.filter(side=Side.PROVIDER, status=OrganisationStatus.VERIFIED).count()


def organisation_get_for(*, user, slug: str) -> Organisation:
    """An organisation's profile as ``user`` may see it.

    Verified organisations are public. One that is waiting, declined or
    suspended is seen only by its own people and administrators; anyone else
    gets 404, as if it did not exist.
    """
    try:
        organisation = _with_profile(Organisation.objects.all()).get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    if organisation.is_verified or is_member(user, organisation) or is_administrator(user):
        return organisation
    raise Http404


def organisation_get_administered_by(*, user, slug: str) -> Organisation:
    """An organisation ``user`` administers, or 404 (never "forbidden")."""
    try:
        organisation = _with_profile(Organisation.objects.all()).get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc
    if not is_organisation_admin(user, organisation):
        raise Http404
    return organisation


def organisations_for_verification(*, user, status: str = OrganisationStatus.PENDING) -> QuerySet[Organisation]:
    """Organisations in ``status`` for an administrator to decide on; empty for anyone else."""
    if not is_administrator(user):
        return Organisation.objects.none()
    return _with_profile(Organisation.objects.filter(status=status)).order_by("created_at")


def organisation_get_for_verification(*, user, slug: str) -> Organisation:
    """One organisation for an administrator's verification page, or 404."""
    if not is_administrator(user):
        raise Http404
    try:
        return _with_profile(Organisation.objects.all()).get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def organisation_members(*, user, organisation: Organisation) -> QuerySet[Membership]:
    """The people of an organisation, for its administrators only."""
    if not is_organisation_admin(user, organisation):
        return Membership.objects.none()
    return organisation.memberships.select_related("user").order_by("user__full_name", "role")


def organisation_people_for_verification(*, user, organisation: Organisation) -> QuerySet[Membership]:
    """Everyone with a membership of an organisation being verified, for the hub's administrators only (else 404)."""
    if not is_administrator(user):
        raise Http404
    return organisation.memberships.select_related("user")


def invitations_waiting(*, user, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not yet accepted, for the organisation's administrators."""
    if not is_organisation_admin(user, organisation):
        return Invitation.objects.none()
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=clock.now()
    ).select_related("invited_by")


def invitation_get_by_token(token: str) -> Invitation | None:
    """The live invitation a link's token opens, or None (expired, revoked, used or unknown)."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(
            token_digest=ApiToken.digest_of(token),
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=clock.now(),
        )
        .first()
    )


def organisation_member_get(*, user, organisation: Organisation, membership_id) -> Membership:
    """One active membership of ``organisation``, as ``organisation_members`` lets ``user`` see them; else 404."""
    membership = organisation_members(user=user, organisation=organisation).filter(pk=membership_id or 0).first()
    if membership is None:
        raise Http404
    return membership


def memberships_awaiting_verification(*, user: User) -> list[Membership]:
    """The user's own memberships of organisations not verified yet (shown on their account page)."""
    return [
        m
        for m in user.memberships.select_related("organisation")
        if m.organisation.status != OrganisationStatus.VERIFIED
    ]


def closure_days_from(*, user: User, day) -> QuerySet[ClosureDay]:
    """The closure days on or after ``day``, earliest first; administrators only (anyone else gets 404)."""
    if not is_administrator(user):
        raise Http404
    return ClosureDay.objects.filter(day__gte=day).order_by("day")


def closure_day_get(*, user: User, closure_id) -> ClosureDay:
    """One closure day; administrators only, and 404 if there is no such day."""
    if not is_administrator(user):
        raise Http404
    closure = ClosureDay.objects.filter(pk=closure_id or 0).first()
    if closure is None:
        raise Http404
    return closure


def api_tokens_for(*, user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first."""
    return user.api_tokens.all()


def api_token_get_for(*, user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens, or 404."""
    try:
        return user.api_tokens.get(pk=token_id)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc


def api_token_cool_off() -> timedelta:
    """How long after the last bad API token from an address its tokens are refused, once over the limit."""
    return timedelta(minutes=settings.API_TOKEN_COOLOFF_MINUTES)


def api_token_retry_after(*, address: str) -> timedelta | None:
    """How long ``address`` must wait before sending an API token again, or None if it need not.

    An address that has sent ``API_TOKEN_FAILURE_LIMIT`` unknown or revoked
    tokens, each within the cool-off of the last, waits until the cool-off
    has passed since the last one. Whoever the address is, and whatever
    token it sends next: a right token is refused too while it waits, so the
    wait cannot be used to confirm a guess.
    """
    failure = ApiTokenFailure.objects.filter(address=address).first()
    if failure is None or failure.failures < settings.API_TOKEN_FAILURE_LIMIT:
        return None
    remaining = failure.last_failed_at + api_token_cool_off() - clock.now()
    return remaining if remaining > timedelta(0) else None


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The live token ``secret`` is (not revoked, its owner active), with its owner; None for anything else.

    A read only: recording the use is ``services.api_token_touch``.
    """
    if not secret or len(secret) > 200:
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
