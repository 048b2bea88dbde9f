"""Who may act for an opportunity: its commissioners, at the lead or a joint commissioning body.

Plain predicates over memberships, asked by this app's selectors, services and
workflow guards and by every later stage that acts for an opportunity.
"""

from commissioning.accounts.models import Role


def is_commissioner_for(user, opportunity) -> bool:
    """The user is a commissioner at the lead or a joint commissioning body."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    commissioning_at = {m.organisation_id for m in user.active_memberships if m.role == Role.COMMISSIONER}
    if not commissioning_at:
        return False
    if opportunity.lead_commissioner_id in commissioning_at:
        return True
    # Read from the prefetched joint commissioners when a selector loaded them; one small query otherwise.
    return any(body.pk in commissioning_at for body in opportunity.joint_commissioners.all())


def commissioning_body_of(user, opportunity):
    """The commissioning body ``user`` commissions ``opportunity`` for: the lead body first, or None.

    An explanation a commissioner gives for the opportunity is given for this
    body, and confirmed by another of its commissioners (or an administrator).
    """
    if not (user and getattr(user, "is_authenticated", False)):
        return None
    commissioning_at = {m.organisation_id for m in user.active_memberships if m.role == Role.COMMISSIONER}
    return next((body for body in opportunity.commissioners if body.pk in commissioning_at), None)
