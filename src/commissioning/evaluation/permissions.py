"""Who may sit on an evaluation panel.

Plain predicates over memberships; the services appoint only such people, and
the selectors offer only them as candidates.
"""

from commissioning.accounts.models import Role

# The roles from which a panel is drawn.
PANEL_ROLES = frozenset({Role.EVALUATOR, Role.COMMISSIONER, Role.PARTNERSHIP_REVIEWER})


def may_sit_on_panel(user) -> bool:
    """The user is active and holds an evaluator, commissioner or partnership reviewer role somewhere."""
    return bool(user and user.is_active and PANEL_ROLES & {m.role for m in user.active_memberships})
