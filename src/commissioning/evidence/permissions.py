"""Who may keep and see an organisation's evidence: its own provider administrators and members.

Nobody else reads the store directly: not commissioners, evaluators or the
hub's administrators. Commissioners see evidence only as a submitted bid
carries it, through the submissions app's own access check.
"""

import rules

from commissioning.accounts.models import OrganisationStatus, Role, Side

KEEPER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER})
# A suspended or declined organisation's people cannot act for it, so cannot keep its evidence.
KEEPING_STATUSES = frozenset({OrganisationStatus.VERIFIED, OrganisationStatus.PENDING})


@rules.predicate
def keeps_evidence_for(user, organisation) -> bool:
    """The user is a provider administrator or member of this provider, and it is verified or waiting."""
    if not (user and user.is_authenticated and user.is_active and organisation is not None):
        return False
    if organisation.side != Side.PROVIDER or organisation.status not in KEEPING_STATUSES:
        return False
    return bool(user.roles_for(organisation) & KEEPER_ROLES)


rules.add_perm("evidence.keep_evidence", keeps_evidence_for)
rules.add_perm("evidence.view_evidenceitem", keeps_evidence_for)
