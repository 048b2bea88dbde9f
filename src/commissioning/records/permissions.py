"""Who may see and change a commissioning record.

A record belongs to its commissioning bodies: the commissioners of its lead
or joint bodies may see and change it, and administrators may see every one.
Everyone else is told nothing, not even that it exists.
"""

from commissioning.accounts.permissions import commissions_for


def is_record_commissioner(user, record) -> bool:
    """The user is a commissioner at the record's lead body or one of its joint bodies."""
    return commissions_for(user, record.lead_body_id, record.joint_bodies)


def may_see_record(user, record) -> bool:
    """The record's commissioners and administrators may see it; nobody else."""
    if is_record_commissioner(user, record):
        return True
    return bool(user and getattr(user, "is_authenticated", False) and user.is_administrator)
