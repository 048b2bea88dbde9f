"""Who may act for an opportunity: its commissioners, at the lead or a joint commissioning body.

Plain predicates over memberships, asked by this app's selectors, services and
workflow guards and by every later stage that acts for an opportunity.
"""

from commissioning.accounts.permissions import commissioning_at, commissions_for


def is_commissioner_for(user, opportunity) -> bool:
    """The user is a commissioner at the lead or a joint commissioning body."""
    return commissions_for(user, opportunity.lead_commissioner_id, opportunity.joint_commissioners)


def commissioning_body_of(user, opportunity):
    """The commissioning body ``user`` commissions ``opportunity`` for: the lead body first, or None.

    An explanation a commissioner gives for the opportunity is given for this
    body, and confirmed by another of its commissioners (or an administrator).
    """
    bodies = commissioning_at(user)
    return next((body for body in opportunity.commissioners if body.pk in bodies), None)
