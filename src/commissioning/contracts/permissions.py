"""Who may act for an agreement, as plain predicates over memberships.

- Its commissioners: commissioners at the body that let it, or at a body of
  its commissioning record (the lead or a joint body). They draft, issue,
  vary, review returns and record payments.
- Its provider: the provider's administrators (the authorised people who
  accept an agreement) and members (who prepare and submit returns).
- Funders of the same provider (CM-3): commissioners at a body that holds a
  live agreement with the provider may read that provider's monitoring under
  its other agreements (returns, payments' timeliness, feedback counts), never
  its bids, and equality counts only as suppressed figures.
"""

from commissioning.accounts.models import Role
from commissioning.accounts.permissions import commissioning_at

PROVIDER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER})
AUTHORISED_ROLES = frozenset({Role.PROVIDER_ADMIN})


def agreement_bodies(agreement) -> set[int]:
    """The ids of the bodies whose commissioners act for ``agreement``: its own and its record's."""
    record = agreement.record
    return {agreement.commissioner_id, record.lead_body_id, *(body.pk for body in record.joint_bodies.all())}


def is_agreement_commissioner(user, agreement) -> bool:
    """The user is a commissioner at the body that let the agreement or at a body of its record."""
    bodies = commissioning_at(user)
    if not bodies:
        return False
    if agreement.commissioner_id in bodies or agreement.record.lead_body_id in bodies:
        return True
    return any(body.pk in bodies for body in agreement.record.joint_bodies.all())


def is_agreement_provider(user, agreement) -> bool:
    """The user is an administrator or member of the agreement's provider."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    return bool(user.roles_for(agreement.provider) & PROVIDER_ROLES)


def is_authorised_for_provider(user, agreement) -> bool:
    """The user may accept the agreement for its provider: one of the provider's administrators."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    return bool(user.roles_for(agreement.provider) & AUTHORISED_ROLES)


def commissioner_body_for(user, agreement):
    """The body ``user`` acts for the agreement at (the letting body first), or None.

    An explanation a commissioner gives at the agreement's gate is given for this body.
    """
    bodies = commissioning_at(user)
    for body in (agreement.commissioner, agreement.record.lead_body, *agreement.record.joint_bodies.all()):
        if body.pk in bodies:
            return body
    return None
