"""API of open reviews: the public list and one review with its comments and answers; a comment by token.

Reads are public and show published reviews only (a draft answers 404, as an
unknown reference does). Commenters' e-mail addresses are never in an answer.
A comment is posted by a token's person through the same service as the page,
so it is refused outside the open period with the same messages.
"""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.accounts.lockout import client_address
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, ValidationProblemOut

from . import reviews
from . import reviews_selectors as selectors
from .models import CommentStatus, Review
from .schemas_reviews import REVIEW_REFERENCE, CommentIn, CommentOut, ReviewOut, ReviewsQuery, ReviewSummaryOut

reviews_router = Router(tags=["Open reviews"])
NOT_FOUND = {"detail": "No such published review"}
ReferencePath = Path(..., pattern=REVIEW_REFERENCE, description="The review's reference, like LRV-2026-0001")


def _summary(review: Review, status: str, comments: int) -> dict:
    return {
        "reference": review.reference,
        "title": review.title,
        "kind": review.kind,
        "status": status,
        "body": {"name": review.body.name, "slug": review.body.slug},
        "summary": review.summary,
        "opens_at": review.opens_at,
        "closes_at": review.closes_at,
        "answered_at": review.answered_at,
        "assessment": review.assessment.title if review.assessment else None,
        "comments": comments,
        "url": reverse("reviews:detail", args=[review.reference]),
    }


def _comment(comment, reasons) -> dict:
    removed = comment.status == CommentStatus.REMOVED
    return {
        "id": comment.pk,
        "name": "" if removed else comment.name,
        "organisation": "" if removed else comment.organisation_name,
        "text": "" if removed else comment.text,
        "posted_at": comment.posted_at,
        "removed": removed,
        "removed_reason": reasons.label(comment.removed_reason) if removed else "",
    }


class _Summaries:
    """The selector's rows as summaries, sliced by the paginator before any row is read."""

    def __init__(self, rows):
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, window):
        return [_summary(r, r.state, r.comments_shown) for r in self.rows[window]]

    def __len__(self) -> int:
        return self.count()


@reviews_router.get(
    "", response={200: list[ReviewSummaryOut], 422: ValidationProblemOut}, summary="Reviews open for comment"
)
@paginate(BoundedPagination)
def reviews_list(request: HttpRequest, filters: Query[ReviewsQuery]):
    """Published reviews: open ones first (closing soonest), then those opening soon, then closed ones."""
    rows = selectors.reviews_public(
        filters=selectors.ReviewsFilter(status=filters.status or "", body=filters.body or "")
    )
    return _Summaries(rows)


def _detail(review: Review) -> dict:
    sheet = selectors.review_page_for(review=review)
    body = _summary(review, sheet.status, len(sheet.comments))
    body |= {
        "text": review.text,
        "questions": sheet.questions,
        "comment_list": [_comment(c, sheet.reasons) for c in sheet.comments],
        "answers": [
            {
                "position": group.answer.position,
                "you_said": group.answer.you_said,
                "we_did": group.answer.we_did,
                "comments": [c.pk for c in group.comments],
            }
            for group in sheet.answers
        ],
    }
    return body


@reviews_router.get(
    "/{reference}", response={200: ReviewOut, 404: ProblemOut, 422: ValidationProblemOut}, summary="One review"
)
def review_detail(request: HttpRequest, reference: str = ReferencePath):
    """A published review: its text and questions, its comments (removed ones in their place) and, once
    published, its answers. A draft answers 404."""
    try:
        review = selectors.review_get_published(reference=reference)
    except Http404:
        return Status(404, NOT_FOUND)
    return Status(200, _detail(review))


@reviews_router.post(
    "/{reference}/comments",
    auth=ApiTokenAuth(),
    response={201: CommentOut, 401: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ValidationProblemOut},
    summary="Comment on a review",
)
def comment_add(request: HttpRequest, body: CommentIn, reference: str = ReferencePath):
    """Comment as the token's person, published at once under their name. Refused (409) before the review
    opens and after it closes, saying when; too many links or comments are refused like the page's."""
    try:
        review = selectors.review_get_published(reference=reference)
    except Http404:
        return Status(404, NOT_FOUND)
    try:
        comment, _ = reviews.comment_post(
            review=review,
            actor=request.auth,
            text=body.text,
            organisation_name=body.organisation_name,
            client=reviews.client_key(client_address(request)),
        )
    except reviews.ReviewError as refused:
        # A field the rules refuse is a 422; a refusal of the whole comment (the period, the limit) is a 409.
        errors = [{"field": f, "message": m} for f, messages in refused.errors.items() if f for m in messages]
        if errors:
            return Status(422, {"detail": "The request has invalid fields", "errors": errors})
        return Status(409, {"detail": str(refused)})
    return Status(201, _comment(comment, selectors.moderation_reasons()))
