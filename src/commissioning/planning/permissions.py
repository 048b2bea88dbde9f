"""Who may see and change a plan.

A plan on the pipeline is public. A draft (not yet on the pipeline) is seen
only by the commissioners of its record's lead and joint bodies and by the
people of the organisations named as its partners; everyone else, including
administrators, is told nothing, not even that it exists. Only the record's
commissioners change a plan.
"""

from commissioning.accounts.models import Role
from commissioning.records.permissions import is_record_commissioner

PARTNER_ROLES = frozenset({Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER})


def partner_organisations_of(user) -> frozenset[int]:
    """The ids of the organisations whose people ``user`` acts for (empty when signed out)."""
    if not (user and getattr(user, "is_authenticated", False)):
        return frozenset()
    return frozenset(m.organisation_id for m in user.active_memberships if m.role in PARTNER_ROLES)


def is_plan_commissioner(user, plan) -> bool:
    """The user commissions for the plan's record's lead body or one of its joint bodies."""
    return is_record_commissioner(user, plan.record)


def is_plan_partner(user, plan) -> bool:
    """The user acts for an organisation named as a partner on the plan (from a prefetch when there is one)."""
    mine = partner_organisations_of(user)
    return bool(mine) and any(p.organisation_id in mine for p in plan.partners.all())


def may_see_plan(user, plan) -> bool:
    """Anyone sees a plan on the pipeline; a draft only its commissioners and its partners' people."""
    if plan.published_at is not None:
        return True
    return is_plan_commissioner(user, plan) or is_plan_partner(user, plan)
