"""Who may keep and see an organisation's evidence: its own provider administrators and members.

Nobody else reads the store directly: not commissioners, evaluators or the
hub's administrators. Commissioners see evidence only as a submitted bid
carries it, through the submissions app's own access check.
"""

import rules

# Who keeps an organisation's evidence is a relation of people to organisations, so it is
# defined with them (the organisation's page asks it too); the evidence perms are named here.
from commissioning.accounts.permissions import KEEPER_ROLES, KEEPING_STATUSES, keeps_evidence_for

__all__ = ["KEEPER_ROLES", "KEEPING_STATUSES", "keeps_evidence_for"]


rules.add_perm("evidence.keep_evidence", keeps_evidence_for)
rules.add_perm("evidence.view_evidenceitem", keeps_evidence_for)
