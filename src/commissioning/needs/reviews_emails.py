"""The e-mails open reviews send: a comment's confirmation link, and the answers once published.

Each is queued after the transaction commits, one message per person, so
nobody sees who else commented.
"""

from django.conf import settings
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.core.formats import format_datetime


def _link(name: str, *args) -> str:
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def comment_confirmation(*, comment, token: str, expires_at) -> None:
    """Send the one-time link that publishes a comment made without signing in."""
    review = comment.review
    queue_email(
        to=[comment.email],
        subject=f"Confirm your comment on {review.title}",
        body=(
            f"Dear {comment.name},\n\n"
            f"Thank you for commenting on \u201c{review.title}\u201d, a review by {review.body.name}.\n\n"
            "Your comment is published once you confirm your e-mail address. Open this link and press "
            f"\u201cPublish my comment\u201d:\n\n{_link('reviews:confirm', token)}\n\n"
            f"The link works once, until {format_datetime(expires_at)}. "
            "If you did not comment, you can ignore this e-mail and nothing will be published.\n"
        ),
    )


def answers_published(*, review, recipients: list[str]) -> None:
    """Tell everyone who commented (with a confirmed address) that the body has answered."""
    body = (
        f"{review.body.name} has published its answers to the comments on \u201c{review.title}\u201d: "
        "what people said, and what was done about it.\n\n"
        f"Read them: {_link('reviews:detail', review.reference)}\n\n"
        "You are told because you commented on the review.\n"
    )
    for address in recipients:
        queue_email(to=[address], subject=f"You said, we did: {review.title}", body=body)
