"""Who may act for an open review: the commissioners of the body that runs it.

A review's body writes, publishes, moderates and answers it; anyone may read
a published review and comment while it is open. These predicates answer
"may this user act on this review"; the selectors scope lists with the same
relation (``commissioning_at``).
"""

import rules

from commissioning.accounts.permissions import commissioning_at


def commissions_for_body(user, body_id) -> bool:
    """The user is an active commissioner at the body with this id."""
    return body_id in commissioning_at(user)


@rules.predicate
def is_review_commissioner(user, review) -> bool:
    """The user is an active commissioner at the body that runs ``review``."""
    return review is not None and commissions_for_body(user, review.body_id)


def may_comment_signed_in(user) -> bool:
    """A signed-in, active person comments under their own name, published at once."""
    return bool(user and getattr(user, "is_authenticated", False) and user.is_active)


rules.add_perm("needs.change_review", is_review_commissioner)
rules.add_perm("needs.moderate_review", is_review_commissioner)
