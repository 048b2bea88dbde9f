"""Who may see and change a commissioning record.

A record belongs to its commissioning bodies: the commissioners of its lead
or joint bodies may see and change it, and administrators may see every one.
Everyone else is told nothing, not even that it exists.
"""

from commissioning.accounts.models import Role


def commissioning_at(user) -> set[int]:
    """The ids of the organisations ``user`` is an active commissioner at (empty when signed out)."""
    if not (user and getattr(user, "is_authenticated", False)):
        return set()
    return {m.organisation_id for m in user.active_memberships if m.role == Role.COMMISSIONER}


def is_record_commissioner(user, record) -> bool:
    """The user is a commissioner at the record's lead body or one of its joint bodies."""
    bodies = commissioning_at(user)
    if not bodies:
        return False
    if record.lead_body_id in bodies:
        return True
    # Read from the prefetched joint bodies when a selector loaded them; one small query otherwise.
    return any(body.pk in bodies for body in record.joint_bodies.all())


def may_see_record(user, record) -> bool:
    """The record's commissioners and administrators may see it; nobody else."""
    if is_record_commissioner(user, record):
        return True
    return bool(user and getattr(user, "is_authenticated", False) and user.is_administrator)
