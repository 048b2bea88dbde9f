"""Who may bid: a provider's administrators and members, for a verified provider.

Plain predicates over memberships, asked by this app's selectors, services,
pages and API (and by later stages that need to know who bids for whom).
"""

from commissioning.accounts.models import OrganisationStatus, Role, Side

BIDDER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER})


def acts_for(user, organisation) -> bool:
    """The user holds a bidding role (provider administrator or member) at ``organisation``."""
    return bool(BIDDER_ROLES & user.roles_for(organisation))


def organisations_bidding_as(user) -> list:
    """The verified providers ``user`` may start a bid for, in the order of their memberships."""
    if not (user and user.is_authenticated):
        return []
    return [
        m.organisation
        for m in user.active_memberships
        if m.role in BIDDER_ROLES
        and m.organisation.status == OrganisationStatus.VERIFIED
        and m.organisation.side == Side.PROVIDER
    ]
