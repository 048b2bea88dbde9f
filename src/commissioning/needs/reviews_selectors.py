"""Reads of open reviews (NA-2): where a review stands, the public list and page, the commissioner's views.

Where a review stands is read from its dates and the clock, never stored:
:func:`review_status` in Python and :func:`review_status_sql` in the
database say the same thing from one definition. A draft is seen only by
the commissioners of its body: everyone else is answered "not found".
E-mail addresses never leave these functions for a public page.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Case, Count, DateTimeField, F, Q, QuerySet, Value, When
from django.http import Http404

from commissioning.accounts.models import ApiToken
from commissioning.accounts.permissions import commissioning_at
from commissioning.core import clock
from commissioning.practice.catalogue import rule_definition
from commissioning.practice.checks import rule_setting
from commissioning.practice.models import Rule

from .models import Answer, Assessment, Comment, CommentStatus, Review, ReviewKind

REFERENCE_PREFIX = "LRV"
REFERENCE_PATTERN = r"LRV-\d{4}-\d{4,}"
MODERATION_DATA = Path(__file__).parent / "data" / "moderation_reasons.json"

DRAFT, UPCOMING, OPEN, CLOSED, ANSWERED = "draft", "upcoming", "open", "closed", "answered"
STATUS_LABELS = {
    DRAFT: "Draft",
    UPCOMING: "Opens soon",
    OPEN: "Open for comment",
    CLOSED: "Closed",
    ANSWERED: "Answered",
}
# The statuses the public list filters on: "closed" takes in the answered ones.
PUBLIC_FILTERS = {OPEN: "Open for comment", UPCOMING: "Opens soon", CLOSED: "Closed"}


def reviews_setting(name: str) -> int:
    """One of the ``NEEDS_REVIEWS`` settings (confirmation hours, links, limits, page size)."""
    return int(settings.NEEDS_REVIEWS[name])


# Where a review stands -------------------------------------------------------------


def review_status(review: Review, now: datetime | None = None) -> str:
    """Draft, opens soon, open, closed or answered, read from the review's dates at ``now``.

    Open means ``opens_at <= now < closes_at``: a comment at the closing
    moment is late. The same rule as :func:`review_status_sql`.
    """
    now = now or clock.now()
    if review.published_at is None:
        return DRAFT
    if review.answered_at is not None:
        return ANSWERED
    if now < review.opens_at:
        return UPCOMING
    if now < review.closes_at:
        return OPEN
    return CLOSED


def review_status_sql(now: datetime) -> Case:
    """:func:`review_status` as a database expression, to filter and sort on."""
    return Case(
        When(published_at__isnull=True, then=Value(DRAFT)),
        When(answered_at__isnull=False, then=Value(ANSWERED)),
        When(opens_at__gt=now, then=Value(UPCOMING)),
        When(closes_at__gt=now, then=Value(OPEN)),
        default=Value(CLOSED),
    )


def status_label(status: str) -> str:
    """The words a page shows for a review's status."""
    return STATUS_LABELS[status]


def is_open(review: Review, now: datetime | None = None) -> bool:
    """Whether the review takes comments now."""
    return review_status(review, now) == OPEN


def has_closed(review: Review, now: datetime | None = None) -> bool:
    """Whether the review was published and its period is over (answered or not)."""
    return review_status(review, now) in (CLOSED, ANSWERED)


def period_days(opens_at: datetime | None, closes_at: datetime | None) -> float | None:
    """How long a period is, in days (fractions kept), or None when either end is missing."""
    if opens_at is None or closes_at is None:
        return None
    return (closes_at - opens_at) / timedelta(days=1)


def short_period_warning(opens_at: datetime | None, closes_at: datetime | None, comment_days: int) -> str | None:
    """A warning when the period is shorter than NA-2's ``comment_days``, else None.

    A short period is allowed; NA-2 is then not met unless it is explained.
    """
    days = period_days(opens_at, closes_at)
    if days is None or days >= comment_days:
        return None
    return (
        f"The review is open for less than {comment_days} days, the least time the Code's rule NA-2 asks for. "
        "You can still publish it, but NA-2 will not be met unless you explain why the period is shorter."
    )


def comment_days_setting() -> int:
    """NA-2's current ``comment_days`` setting (its default when the rule is not loaded)."""
    try:
        return int(rule_setting("NA-2", "comment_days"))
    except Rule.DoesNotExist:
        return int(rule_definition("NA-2").setting("comment_days").default)


# Moderation reasons (data) ---------------------------------------------------------


@dataclass(frozen=True)
class ModerationReasons:
    """The reasons a comment may be removed (key → label) and those it never may (key → why not)."""

    allowed: dict[str, str]
    never: dict[str, str]

    def label(self, key: str) -> str:
        return self.allowed.get(key, key)


@cache
def moderation_reasons() -> ModerationReasons:
    """The moderation reasons kept in ``data/moderation_reasons.json``: abuse only, never disagreement."""
    data = json.loads(MODERATION_DATA.read_text(encoding="utf-8"))
    return ModerationReasons(
        allowed={item["key"]: item["label"] for item in data["reasons"]},
        never={item["key"]: item["message"] for item in data["never"]},
    )


# Loading one review ----------------------------------------------------------------


def _with_body(queryset: QuerySet[Review]) -> QuerySet[Review]:
    return queryset.select_related("body", "assessment", "created_by")


def reviews_of_bodies(bodies) -> QuerySet[Review]:
    """Every review (drafts too) of the bodies with these ids."""
    return _with_body(Review.objects.filter(body_id__in=bodies))


def review_get_for(*, user, reference: str) -> Review:
    """A review as ``user`` may read it: published, or a draft of a body they commission for; else 404."""
    review = _with_body(Review.objects.filter(reference=str(reference))).first()
    if review is None or (review.published_at is None and review.body_id not in commissioning_at(user)):
        raise Http404
    return review


def review_get_for_commissioner(*, user, reference: str) -> Review:
    """A review of a body ``user`` commissions for, draft or published; anyone else gets 404."""
    review = reviews_of_bodies(commissioning_at(user)).filter(reference=str(reference)).first()
    if review is None:
        raise Http404
    return review


def review_get_published(*, reference: str) -> Review:
    """A published review, whoever asks (the API's public read); a draft or an unknown one is 404."""
    review = _with_body(Review.objects.filter(reference=str(reference), published_at__isnull=False)).first()
    if review is None:
        raise Http404
    return review


def assessments_for_reviews(*, user) -> QuerySet[Assessment]:
    """The assessments a commissioner may open a review of: those of the bodies they commission for."""
    return Assessment.objects.filter(body_id__in=commissioning_at(user)).select_related("body").order_by("title")


def comment_get_for_moderation(*, review: Review, comment_id) -> Comment:
    """One of the review's comments that is published or removed (never one waiting for confirmation); else 404."""
    comment = (
        review.comments.filter(pk=comment_id or 0, status__in=[CommentStatus.PUBLISHED, CommentStatus.REMOVED])
        .select_related("answer")
        .first()
    )
    if comment is None:
        raise Http404
    return comment


def answer_get(*, review: Review, position) -> Answer:
    """The review's answer group at ``position``; else 404."""
    answer = review.answers.filter(position=position or 0).prefetch_related("comments").first()
    if answer is None:
        raise Http404
    return answer


def comment_get_by_token(token: str) -> Comment | None:
    """The comment a confirmation link's token names (whatever its state), or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    return (
        Comment.objects.select_related("review__body")
        .filter(confirmation_digest=ApiToken.digest_of(token))
        .exclude(confirmation_digest="")
        .first()
    )


def confirmation_expires_at(comment: Comment) -> datetime:
    """When a comment's confirmation link stops working."""
    return comment.posted_at + timedelta(hours=reviews_setting("confirmation_hours"))


# What the public sees -------------------------------------------------------------


@dataclass(frozen=True)
class ReviewsFilter:
    """The public list's filters: a status (open, opens soon, closed) and a body (its slug)."""

    status: str = ""
    body: str = ""
    page: int | str = 1


def reviews_public(*, filters: ReviewsFilter, now: datetime | None = None) -> QuerySet[Review]:
    """Published reviews, open first (closing soonest), then those opening soon, then closed (latest first).

    Each carries ``state`` (its status) and ``comments_shown`` (published and
    removed comments). ``filters.status`` "closed" includes answered ones; an
    unknown status or body matches nothing rather than everything. One query
    per page however many reviews there are.
    """
    now = now or clock.now()
    rows = (
        Review.objects.filter(published_at__isnull=False)
        .select_related("body", "assessment")
        .annotate(
            state=review_status_sql(now),
            comments_shown=Count(
                "comments", filter=Q(comments__status__in=[CommentStatus.PUBLISHED, CommentStatus.REMOVED])
            ),
            rank=Case(
                When(answered_at__isnull=True, opens_at__lte=now, closes_at__gt=now, then=Value(0)),
                When(answered_at__isnull=True, opens_at__gt=now, then=Value(1)),
                default=Value(2),
            ),
        )
    )
    if filters.status:
        wanted = {CLOSED: [CLOSED, ANSWERED]}.get(filters.status, [filters.status])
        rows = rows.filter(state__in=wanted if filters.status in PUBLIC_FILTERS else [])
    if filters.body:
        rows = rows.filter(body__slug=filters.body)
    # Open ones closing soonest first; closed ones most recently closed first.
    soonest = Case(When(rank__lt=2, then="closes_at"), default=Value(None), output_field=DateTimeField())
    return rows.order_by("rank", soonest.asc(nulls_last=True), F("closes_at").desc(), "pk")


def bodies_with_reviews() -> list[tuple[str, str]]:
    """(slug, name) of every body with a published review, for the list's filter."""
    return list(
        Review.objects.filter(published_at__isnull=False)
        .order_by("body__name")
        .values_list("body__slug", "body__name")
        .distinct()
    )


@dataclass
class AnswerShown:
    """One "You said, we did" group with the comments it answers."""

    answer: Answer
    comments: list[Comment]


@dataclass
class ReviewPage:
    """What a review's page shows: its comments (removed ones in place), and its answers once published."""

    review: Review
    status: str
    comments: list[Comment]
    removed_count: int
    answers: list[AnswerShown] = field(default_factory=list)
    reasons: ModerationReasons | None = None

    @property
    def published_count(self) -> int:
        return len(self.comments) - self.removed_count

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def questions(self) -> list[str]:
        return [line.strip() for line in self.review.questions.splitlines() if line.strip()]

    @property
    def days_open(self) -> float | None:
        return period_days(self.review.opens_at, self.review.closes_at)


def review_page_for(*, review: Review, now: datetime | None = None, with_draft_answers: bool = False) -> ReviewPage:
    """A review's page: its published and removed comments in the order they came, and its answers.

    Answers are shown once published (``answered_at``); ``with_draft_answers``
    shows them before, for the body's commissioners. Comments waiting for
    confirmation are never listed. A fixed number of queries.
    """
    status = review_status(review, now)
    comments = list(
        review.comments.filter(status__in=[CommentStatus.PUBLISHED, CommentStatus.REMOVED]).order_by("posted_at", "pk")
    )
    answers: list[AnswerShown] = []
    if review.answered_at is not None or with_draft_answers:
        by_answer: dict[int, list[Comment]] = {}
        for comment in comments:
            if comment.answer_id and comment.status == CommentStatus.PUBLISHED:
                by_answer.setdefault(comment.answer_id, []).append(comment)
        answers = [AnswerShown(a, by_answer.get(a.pk, [])) for a in review.answers.order_by("position", "pk")]
    return ReviewPage(
        review=review,
        status=status,
        comments=comments,
        removed_count=sum(1 for c in comments if c.status == CommentStatus.REMOVED),
        answers=answers,
        reasons=moderation_reasons(),
    )


# What the body's commissioners see ------------------------------------------------


def unanswered_comments(review: Review) -> QuerySet[Comment]:
    """The review's published comments that no answer group takes in yet."""
    return review.comments.filter(status=CommentStatus.PUBLISHED, answer__isnull=True)


def reviews_commissioned_by(*, user, now: datetime | None = None) -> QuerySet[Review]:
    """Every review of the bodies ``user`` commissions for, drafts too, with counts, in one query.

    Each carries ``state``, ``comments_published``, ``comments_unanswered``
    and ``comments_unconfirmed``; those waiting on the body (closed with
    comments to answer) first, then open ones closing soonest, then the rest
    newest first.
    """
    now = now or clock.now()
    return (
        reviews_of_bodies(commissioning_at(user))
        .annotate(
            state=review_status_sql(now),
            comments_published=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)),
            comments_unanswered=Count(
                "comments", filter=Q(comments__status=CommentStatus.PUBLISHED, comments__answer__isnull=True)
            ),
            comments_unconfirmed=Count("comments", filter=Q(comments__status=CommentStatus.UNCONFIRMED)),
            rank=Case(
                When(published_at__isnull=False, answered_at__isnull=True, closes_at__lte=now, then=Value(0)),
                When(published_at__isnull=False, answered_at__isnull=True, then=Value(1)),
                default=Value(2),
            ),
        )
        .order_by("rank", "closes_at", "-created_at", "-pk")
    )


def moderation_sheet_for(*, review: Review) -> list[Comment]:
    """The review's comments as its moderators see them: published and removed, with who removed them."""
    return list(
        review.comments.filter(status__in=[CommentStatus.PUBLISHED, CommentStatus.REMOVED])
        .select_related("removed_by", "answer")
        .order_by("posted_at", "pk")
    )


def answers_sheet_for(*, review: Review) -> tuple[list[AnswerShown], list[Comment]]:
    """The review's answer groups with their comments, and the published comments not answered yet."""
    comments = list(review.comments.filter(status=CommentStatus.PUBLISHED).order_by("posted_at", "pk"))
    by_answer: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.answer_id:
            by_answer.setdefault(comment.answer_id, []).append(comment)
    groups = [AnswerShown(a, by_answer.get(a.pk, [])) for a in review.answers.order_by("position", "pk")]
    return groups, [c for c in comments if not c.answer_id]


def assessment_reviews(assessment: Assessment) -> QuerySet[Review]:
    """The assessment's published reviews of kind "needs assessment", with their comment counts."""
    return (
        Review.objects.filter(assessment=assessment, kind=ReviewKind.NEEDS_ASSESSMENT, published_at__isnull=False)
        .annotate(
            comments_published=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)),
            comments_unanswered=Count(
                "comments", filter=Q(comments__status=CommentStatus.PUBLISHED, comments__answer__isnull=True)
            ),
        )
        .order_by("-closes_at", "-pk")
    )


def commenter_addresses(review: Review) -> list[str]:
    """The confirmed e-mail addresses of everyone who commented on the review (published or removed)."""
    rows = review.comments.filter(status__in=[CommentStatus.PUBLISHED, CommentStatus.REMOVED]).values_list(
        "email", "author__email", "author__is_active"
    )
    addresses = set()
    for email, account_email, active in rows:
        if account_email and active:
            addresses.add(account_email)
        elif email:
            addresses.add(email)
    return sorted(addresses)
