"""Who may do what to organisations and people, as ``rules`` predicates.

Each predicate answers "may this user act on this object"; the selectors
answer "which objects may this user see" with the same relations.
"""

import rules

from .models import ORGANISATION_ADMIN_ROLES, OrganisationStatus, Role, Side

# The provider's people who keep its evidence store ("ask once, use many times").
KEEPER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER})
# A suspended or declined organisation's people cannot act for it, so cannot keep its evidence.
KEEPING_STATUSES = frozenset({OrganisationStatus.VERIFIED, OrganisationStatus.PENDING})


def commissioning_at(user) -> frozenset[int]:
    """The ids of the organisations ``user`` is an active commissioner at (empty when signed out)."""
    if not (user and getattr(user, "is_authenticated", False)):
        return frozenset()
    return frozenset(m.organisation_id for m in user.active_memberships if m.role == Role.COMMISSIONER)


def commissions_for(user, lead_body_id: int, joint_bodies) -> bool:
    """The user is a commissioner at the lead body or at one of ``joint_bodies`` (a related manager).

    The joint bodies are read only when the lead body does not answer, from
    what a selector prefetched, or in one small query.
    """
    bodies = commissioning_at(user)
    if not bodies:
        return False
    return lead_body_id in bodies or any(body.pk in bodies for body in joint_bodies.all())


@rules.predicate
def is_administrator(user) -> bool:
    """The user administers the hub."""
    return bool(user and user.is_authenticated and user.is_administrator)


@rules.predicate
def is_organisation_admin(user, organisation) -> bool:
    """The user administers this organisation's profile and colleagues.

    A provider is administered by its own provider administrators. A
    commissioning body is administered by the hub's administrators, who set
    up each body and invite its first people.
    """
    if not (user and user.is_authenticated and organisation is not None):
        return False
    if user.roles_for(organisation) & ORGANISATION_ADMIN_ROLES:
        return True
    return organisation.side == Side.COMMISSIONER and user.is_administrator


@rules.predicate
def is_member(user, organisation) -> bool:
    """The user holds any role for this organisation."""
    if not (user and user.is_authenticated and organisation is not None):
        return False
    return bool(user.roles_for(organisation))


rules.add_perm("accounts.change_organisation", is_organisation_admin)
rules.add_perm("accounts.invite_to_organisation", is_organisation_admin)
rules.add_perm("accounts.view_unverified_organisation", is_member | is_administrator)
rules.add_perm("accounts.verify_organisation", is_administrator)
rules.add_perm("audit.view_auditevent", is_administrator)


def invitable_roles(user, organisation) -> list[str]:
    """The roles ``user`` may invite a colleague into at ``organisation``.

    A provider's administrators invite members and administrators; a
    commissioning body's administrators invite commissioners, evaluators,
    partnership reviewers and administrators.
    """
    if not is_organisation_admin(user, organisation):
        return []
    if organisation.is_provider:
        return [Role.PROVIDER_MEMBER, Role.PROVIDER_ADMIN]
    return [Role.COMMISSIONER, Role.EVALUATOR, Role.PARTNERSHIP_REVIEWER, Role.ADMINISTRATOR]


@rules.predicate
def keeps_evidence_for(user, organisation) -> bool:
    """The user is a provider administrator or member of this provider, and it is verified or waiting."""
    if not (user and user.is_authenticated and user.is_active and organisation is not None):
        return False
    if organisation.side != Side.PROVIDER or organisation.status not in KEEPING_STATUSES:
        return False
    return bool(user.roles_for(organisation) & KEEPER_ROLES)
