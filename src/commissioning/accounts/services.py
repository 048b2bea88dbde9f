"""The only write path for organisations, people, invitations and API tokens.

Every function here is atomic and writes its audit event in the same
transaction; e-mails go after commit. Callers (pages, the API, the demo data
command) check nothing themselves beyond what the form shape needs: these
functions enforce who may act and what is allowed.
"""

import secrets
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from commissioning.audit.services import audit_record
from commissioning.audit.transitions import transition
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.models import ClosureDay, Ward

from . import emails
from .identifiers import IdentifierError, normalise_identifier
from .models import (
    ROLES_BY_SIDE,
    ApiToken,
    ApiTokenFailure,
    Invitation,
    Membership,
    Organisation,
    OrganisationIdentifier,
    OrganisationStatus,
    Role,
    Side,
    User,
    normalise_email,
)
from .passwords import password_problems_for
from .permissions import invitable_roles, is_administrator, is_organisation_admin
from .selectors import api_token_cool_off, invitation_get_by_token
from .workflow import ORGANISATION_WORKFLOW

INVITATION_DAYS = 14
TOKEN_PREFIX = "lch"

# The organisation fields a profile form may change.
PROFILE_FIELDS = (
    "name",
    "legal_form",
    "description",
    "website",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "latest_income",
    "income_year_end",
    "based_in_leeds",
    "city_wide",
)


class ServiceError(RefusedError):
    """A request about organisations and people that the rules refuse."""


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _identifier_taken(scheme: str, value: str, *, exclude_organisation: Organisation | None = None) -> bool:
    taken = OrganisationIdentifier.objects.filter(scheme=scheme, value=value)
    if exclude_organisation is not None:
        taken = taken.exclude(organisation=exclude_organisation)
    return taken.exists()


def _clean_identifiers(identifiers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned: list[tuple[str, str]] = []
    for scheme, value in identifiers:
        try:
            normal = normalise_identifier(scheme, value)
        except IdentifierError as exc:
            raise ServiceError.on("identifier_value", str(exc)) from exc
        if (scheme, normal) in cleaned:
            continue
        if _identifier_taken(scheme, normal):
            raise ServiceError.on(
                "identifier_value",
                f"An organisation with the identifier {scheme}-{normal} is already registered. "
                "Ask its administrator to invite you instead.",
            )
        cleaned.append((scheme, normal))
    return cleaned


def _administrator_emails() -> list[str]:
    return list(
        Membership.objects.filter(role=Role.ADMINISTRATOR, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def _organisation_admin_emails(organisation: Organisation) -> list[str]:
    return list(
        organisation.memberships.filter(
            role__in=[Role.PROVIDER_ADMIN, Role.ADMINISTRATOR], user__is_active=True
        ).values_list("user__email", flat=True)
    )


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    data = {name: getattr(organisation, name) for name in PROFILE_FIELDS}
    data["wards"] = sorted(organisation.wards.values_list("code", flat=True)) if organisation.pk else []
    return data


def provider_register(
    *,
    email: str,
    full_name: str,
    password: str,
    job_title: str = "",
    organisation: dict[str, Any],
    ward_codes: list[str] | None = None,
    identifiers: list[tuple[str, str]] | None = None,
) -> tuple[User, Organisation]:
    """Register a provider and the person registering it, waiting for verification.

    Creates the account, the organisation (status pending) with its
    identifiers and wards, and makes the person its provider administrator.
    Refuses an e-mail address that already has an account (on ``email``), a
    password the password rules refuse for this person, including one too
    like their e-mail address or name (on ``password``), and an identifier
    another organisation already holds (duplicate organisations), with
    messages on those fields. Everything is written or nothing is.
    """
    email = normalise_email(email)
    identifiers = identifiers or []
    if User.objects.filter(email__iexact=email).exists():
        raise ServiceError.on(
            "email", "An account with this e-mail address already exists. Sign in, or reset your password."
        )
    if problems := password_problems_for(password, email=email, full_name=full_name):
        raise ServiceError({"password": problems})
    wards = _wards_from_codes(ward_codes or [])
    legal_form = organisation.get("legal_form")
    if legal_form != "community_group" and not identifiers:
        raise ServiceError.on(
            "identifier_value",
            "Enter your organisation's charity, company or other register number",
        )
    try:
        with transaction.atomic():
            cleaned = _clean_identifiers(identifiers)
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name.strip(), job_title=job_title.strip()
            )
            fields = {k: v for k, v in organisation.items() if k in PROFILE_FIELDS}
            org = Organisation.objects.create(
                slug=_unique_slug(fields["name"]),
                side=Side.PROVIDER,
                status=OrganisationStatus.PENDING,
                **fields,
            )
            org.wards.set(wards)
            for index, (scheme, value) in enumerate(cleaned):
                OrganisationIdentifier.objects.create(
                    organisation=org, scheme=scheme, value=value, is_primary=index == 0
                )
            Membership.objects.create(user=user, organisation=org, role=Role.PROVIDER_ADMIN)
            audit_record(actor=user, verb="user.register", obj=user, after={"email": email})
            audit_record(
                actor=user,
                verb="organisation.register",
                obj=org,
                after={**_snapshot(org), "identifiers": [f"{s}-{v}" for s, v in cleaned]},
            )
            emails.registration_received(user=user, organisation=org, administrators=_administrator_emails())
    except IntegrityError as exc:
        # Two registrations racing for the same identifier or e-mail: the database decides.
        raise ServiceError.on(
            "", "That organisation or e-mail address was registered a moment ago. Check and try again."
        ) from exc
    return user, org


def _wards_from_codes(codes: list[str]) -> list[Ward]:
    codes = sorted(set(codes))
    wards = list(Ward.objects.filter(code__in=codes))
    unknown = set(codes) - {w.code for w in wards}
    if unknown:
        raise ServiceError.on("wards", f"Unknown ward: {', '.join(sorted(unknown))}. Choose Leeds wards from the list.")
    return wards


def organisation_create(
    *,
    actor: User | None,
    side: str,
    organisation: dict[str, Any],
    ward_codes: list[str] | None = None,
    identifiers: list[tuple[str, str]] | None = None,
    verified: bool = False,
) -> Organisation:
    """Create an organisation directly (an administrator adding a commissioning body, or demo data).

    ``actor`` must be an administrator, or None for the system (migrations,
    the demo data command). Identifiers are validated and must be unique.
    """
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied("Only an administrator can add organisations")
    wards = _wards_from_codes(ward_codes or [])
    with transaction.atomic():
        cleaned = _clean_identifiers(identifiers or [])
        fields = {k: v for k, v in organisation.items() if k in PROFILE_FIELDS}
        org = Organisation.objects.create(
            slug=_unique_slug(fields["name"]),
            side=side,
            status=OrganisationStatus.VERIFIED if verified else OrganisationStatus.PENDING,
            verified_at=clock.now() if verified else None,
            **fields,
        )
        org.wards.set(wards)
        for index, (scheme, value) in enumerate(cleaned):
            OrganisationIdentifier.objects.create(organisation=org, scheme=scheme, value=value, is_primary=index == 0)
        audit_record(actor=actor, verb="organisation.create", obj=org, after=_snapshot(org))
    return org


def organisation_update(
    *, actor: User, organisation: Organisation, data: dict[str, Any], ward_codes: list[str]
) -> Organisation:
    """Change an organisation's profile. Only its own administrators may.

    Records the fields that changed, before and after. A status, side or
    slug never changes here.
    """
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied("Only the organisation's administrators can change its profile")
    wards = _wards_from_codes(ward_codes)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = _snapshot(locked)
        for name in PROFILE_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.save()
        locked.wards.set(wards)
        after = _snapshot(locked)
        changed = [k for k in after if before.get(k) != after.get(k)]
        if changed:
            audit_record(
                actor=actor,
                verb="organisation.update",
                obj=locked,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    return locked


def identifier_add(
    *, actor: User, organisation: Organisation, scheme: str, value: str, primary: bool = False
) -> OrganisationIdentifier:
    """Add a register number to an organisation (its administrators only).

    Refuses a malformed number and one another organisation already holds.
    """
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied("Only the organisation's administrators can change its identifiers")
    try:
        normal = normalise_identifier(scheme, value)
    except IdentifierError as exc:
        raise ServiceError.on("value", str(exc)) from exc
    if organisation.identifiers.filter(scheme=scheme, value=normal).exists():
        raise ServiceError.on("value", f"{scheme}-{normal} is already one of your identifiers")
    if _identifier_taken(scheme, normal, exclude_organisation=organisation):
        raise ServiceError.on("value", f"Another organisation is registered with {scheme}-{normal}")
    try:
        with transaction.atomic():
            if primary or not organisation.identifiers.exists():
                organisation.identifiers.update(is_primary=False)
                primary = True
            identifier = OrganisationIdentifier.objects.create(
                organisation=organisation, scheme=scheme, value=normal, is_primary=primary
            )
            audit_record(
                actor=actor,
                verb="organisation.identifier_add",
                obj=organisation,
                after={"identifier": identifier.org_id},
            )
    except IntegrityError as exc:
        raise ServiceError.on("value", f"Another organisation is registered with {scheme}-{normal}") from exc
    return identifier


def identifier_remove(*, actor: User, identifier: OrganisationIdentifier) -> None:
    """Remove a register number. A verified organisation keeps at least one."""
    organisation = identifier.organisation
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied("Only the organisation's administrators can change its identifiers")
    with transaction.atomic():
        remaining = organisation.identifiers.exclude(pk=identifier.pk)
        if organisation.is_verified and organisation.legal_form != "community_group" and not remaining.exists():
            raise ServiceError.on("", "A verified organisation must keep at least one identifier")
        org_id = identifier.org_id
        was_primary = identifier.is_primary
        identifier.delete()
        if was_primary and (first := remaining.first()):
            remaining.filter(pk=first.pk).update(is_primary=True)
        audit_record(
            actor=actor, verb="organisation.identifier_remove", obj=organisation, before={"identifier": org_id}
        )


def organisation_verify(*, actor: User, organisation: Organisation) -> Organisation:
    """Verify a waiting organisation (administrators only); it then shows in the directory."""
    org = transition(
        workflow=ORGANISATION_WORKFLOW,
        obj=organisation,
        name="verify",
        actor=actor,
        changes={"verified_at": clock.now(), "status_reason": ""},
    )
    emails.verification_decided(organisation=org, recipients=_organisation_admin_emails(org))
    return org


def organisation_reject(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    """Decline a waiting organisation with a reason the registrant is told."""
    org = transition(
        workflow=ORGANISATION_WORKFLOW,
        obj=organisation,
        name="reject",
        actor=actor,
        changes={"status_reason": reason.strip()},
        reason=reason.strip(),
    )
    emails.verification_decided(organisation=org, recipients=_organisation_admin_emails(org))
    return org


def organisation_suspend(*, actor: User, organisation: Organisation, reason: str) -> Organisation:
    """Suspend a verified organisation: it leaves the directory and its people cannot act for it."""
    return transition(
        workflow=ORGANISATION_WORKFLOW,
        obj=organisation,
        name="suspend",
        actor=actor,
        changes={"status_reason": reason.strip()},
        reason=reason.strip(),
    )


def organisation_reinstate(*, actor: User, organisation: Organisation) -> Organisation:
    """Lift a suspension."""
    return transition(
        workflow=ORGANISATION_WORKFLOW,
        obj=organisation,
        name="reinstate",
        actor=actor,
        changes={"status_reason": ""},
    )


def membership_grant(*, actor: User | None, user: User, organisation: Organisation, role: str) -> Membership:
    """Give ``user`` a role at ``organisation`` (administrators of it, or the system).

    The role must suit the organisation's side. Granting a role already held
    returns the existing membership.
    """
    if role not in ROLES_BY_SIDE[organisation.side]:
        raise ServiceError.on("role", "That role is not available for this kind of organisation")
    if actor is not None and not (is_organisation_admin(actor, organisation) or is_administrator(actor)):
        raise PermissionDenied("Only the organisation's administrators can add colleagues")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        if created:
            audit_record(actor=actor, verb="membership.grant", obj=membership, after={"role": role, "user": user.email})
    user.__dict__.pop("active_memberships", None)
    return membership


def membership_remove(*, actor: User, membership: Membership) -> None:
    """Take a role away. An organisation always keeps at least one administrator."""
    organisation = membership.organisation
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied("Only the organisation's administrators can remove colleagues")
    with transaction.atomic():
        admin_roles = [Role.PROVIDER_ADMIN, Role.ADMINISTRATOR]
        if membership.role in admin_roles:
            others = organisation.memberships.filter(role__in=admin_roles).exclude(pk=membership.pk)
            if not others.exists():
                raise ServiceError.on("", "An organisation must keep at least one administrator")
        audit_record(
            actor=actor,
            verb="membership.remove",
            obj=organisation,
            before={"user": membership.user.email, "role": membership.role},
        )
        membership.delete()


def invitation_create(*, actor: User, organisation: Organisation, email: str, role: str) -> tuple[Invitation, str]:
    """Invite a colleague by e-mail into a role; returns the invitation and its secret token.

    Only the organisation's administrators may invite, into the roles that
    suit its side. A newer invitation to the same address replaces an older
    one still waiting. The token goes only into the e-mail; its digest is kept.
    """
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied("Only the organisation's administrators can invite colleagues")
    email = normalise_email(email)
    if role not in invitable_roles(actor, organisation):
        raise ServiceError.on("role", "Choose a role from the list")
    if organisation.memberships.filter(user__email__iexact=email, role=role).exists():
        raise ServiceError.on("email", "That person already has this role at your organisation")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        Invitation.objects.filter(
            organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            token_digest=ApiToken.digest_of(token),
            invited_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        audit_record(actor=actor, verb="invitation.create", obj=invitation, after={"email": email, "role": role})
        emails.invitation_sent(invitation=invitation, token=token)
    return invitation, token


def invitation_accept(*, token: str, user: User | None, full_name: str = "", password: str = "") -> Membership:
    """Accept an invitation: join the organisation in the invited role.

    A signed-in person accepts for their own account, which must have the
    invited e-mail address. Someone without an account creates one here with
    a name and a password, which the password rules judge for that address
    and name (refusals on ``password``). An expired, revoked or used
    invitation is refused.
    """
    invitation = invitation_get_by_token(token)
    if invitation is None:
        raise ServiceError.on("", "This invitation has expired or has already been used. Ask for a new one.")
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at or locked.revoked_at:
            raise ServiceError.on("", "This invitation has already been used")
        if user is not None and user.is_authenticated:
            if normalise_email(user.email) != normalise_email(locked.email):
                raise ServiceError.on(
                    "", f"This invitation is for {locked.email}. Sign out and accept it with that account."
                )
            member = user
        else:
            if User.objects.filter(email__iexact=locked.email).exists():
                raise ServiceError.on("", "You already have an account. Sign in to accept the invitation.")
            if problems := password_problems_for(password, email=locked.email, full_name=full_name):
                raise ServiceError({"password": problems})
            member = User.objects.create_user(email=locked.email, password=password, full_name=full_name.strip())
            audit_record(actor=member, verb="user.register", obj=member, after={"email": member.email})
        membership, _ = Membership.objects.get_or_create(
            user=member, organisation=locked.organisation, role=locked.role
        )
        locked.accepted_at = clock.now()
        locked.accepted_by = member
        locked.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(actor=member, verb="invitation.accept", obj=locked, after={"role": locked.role})
    member.__dict__.pop("active_memberships", None)
    return membership


def user_update(*, actor: User, full_name: str, job_title: str) -> User:
    """Change the signed-in person's own name and job title."""
    with transaction.atomic():
        before = {"full_name": actor.full_name, "job_title": actor.job_title}
        actor.full_name = full_name.strip()
        actor.job_title = job_title.strip()
        actor.save(update_fields=["full_name", "job_title"])
        audit_record(
            actor=actor,
            verb="user.update",
            obj=actor,
            before=before,
            after={"full_name": actor.full_name, "job_title": actor.job_title},
        )
    return actor


def api_token_create(*, actor: User, name: str, secret: str | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token; returns it and the secret, shown once and never stored.

    ``secret`` lets the demo data command give demo accounts known tokens;
    everyone else gets a random one.
    """
    name = name.strip()
    if not name:
        raise ServiceError.on("name", "Enter a name for the token, like 'Monitoring spreadsheet'")
    if actor.api_tokens.filter(name=name, revoked_at__isnull=True).exists():
        raise ServiceError.on("name", "You already have a token with this name")
    secret = secret or f"{TOKEN_PREFIX}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor, name=name, prefix=secret[:10], digest=ApiToken.digest_of(secret), created_at=clock.now()
        )
        audit_record(actor=actor, verb="api_token.create", obj=token, after={"name": name, "prefix": token.prefix})
    return token, secret


# A token's last use is noted at most this often, so a busy client does not write on every request.
TOKEN_USE_GRANULARITY = timedelta(seconds=60)


def api_token_touch(*, token: ApiToken, now) -> ApiToken:
    """Record that ``token`` was used at ``now``, unless its last use was noted within the last minute.

    Bookkeeping, not a decision: no audit event. One UPDATE of one column, so a request that
    uses the token concurrently cannot undo another change to it.
    """
    if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; it stops working at once."""
    if token.user_id != actor.pk:
        raise PermissionDenied("You can only revoke your own tokens")
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = clock.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=actor, verb="api_token.revoke", obj=token, after={"prefix": token.prefix})
    return token


def api_token_failure_record(*, address: str) -> int:
    """Count one unknown or revoked API token sent from ``address``; return its count so far.

    A bad token more than the cool-off after the address's last one starts
    the count again at 1. Counts that have run out are removed, so the table
    holds only addresses that are being counted. Atomic: two bad tokens at
    once count as two. Bookkeeping for the API's limit, so no audit event.
    """
    now = clock.now()
    cool_off = api_token_cool_off()
    with transaction.atomic():
        ApiTokenFailure.objects.filter(last_failed_at__lt=now - cool_off).exclude(address=address).delete()
        # get_or_create copes with another request creating the row a moment ago.
        failure, created = ApiTokenFailure.objects.select_for_update().get_or_create(
            address=address, defaults={"failures": 1, "last_failed_at": now}
        )
        if not created:
            failure.failures = 1 if now - failure.last_failed_at > cool_off else failure.failures + 1
            failure.last_failed_at = now
            failure.save(update_fields=["failures", "last_failed_at"])
    return failure.failures


# Closure days (the shared reference data that working-day deadlines skip) -----------


class ClosureDayError(ValueError):
    """A closure day that cannot be added."""


def closure_day_add(*, actor, day: date, reason: str) -> ClosureDay:
    """Add a day that working-day deadlines skip (administrators only; one entry per day)."""
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied("Only an administrator can change closure days")
    if day.weekday() >= 5:
        raise ClosureDayError("That day is a weekend, which is never a working day")
    try:
        with transaction.atomic():
            closure = ClosureDay.objects.create(day=day, reason=reason.strip())
            audit_record(actor=actor, verb="closure_day.add", obj=closure, after={"day": day, "reason": closure.reason})
    except IntegrityError as exc:
        raise ClosureDayError("That day is already a closure day") from exc
    return closure


def closure_day_remove(*, actor, closure: ClosureDay) -> None:
    """Remove a closure day (administrators only)."""
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied("Only an administrator can change closure days")
    with transaction.atomic():
        audit_record(
            actor=actor, verb="closure_day.remove", obj=closure, before={"day": closure.day, "reason": closure.reason}
        )
        closure.delete()
