"""What open reviews ask of a commissioner: reviews closing within a week, comments to answer once closed.

These tasks belong to reviews, not opportunities, so each carries its
review's reference; the source reads the user's own bodies' reviews in one
query however many there are.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse

from commissioning.accounts.permissions import commissioning_at
from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source

from .models import CommentStatus, Review
from .reviews_selectors import reviews_setting

STAGE = "needs"

__all__ = ["review_tasks"]


@task_source(stage=STAGE)
def review_tasks(context: WorklistContext) -> Iterator[Task]:
    """Reviews closing within the set days (to prepare the answers); closed ones with comments to answer."""
    bodies = commissioning_at(context.user)
    if not bodies:
        return
    soon = context.now + timedelta(days=reviews_setting("closing_soon_days"))
    rows = (
        Review.objects.filter(body_id__in=bodies, published_at__isnull=False, answered_at__isnull=True)
        .filter(closes_at__lte=soon)
        .annotate(
            waiting=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED, comments__answer__isnull=True))
        )
        .order_by("closes_at", "pk")
        .only("reference", "title", "closes_at", "opens_at")
    )
    for review in rows:
        if review.closes_at > context.now:
            yield Task(
                "Review closes soon: prepare the answers",
                reverse("reviews:manage", args=[review.reference]),
                review.reference,
                STAGE,
                due=review.closes_at,
                state=TaskState.TO_DO,
                about=review.title,
            )
            continue
        n = review.waiting
        title = f"Answer {n} comment{'' if n == 1 else 's'}" if n else "Publish the answers"
        yield Task(
            title,
            reverse("reviews:answers", args=[review.reference]),
            review.reference,
            STAGE,
            due=review.closes_at,
            state=TaskState.TO_DO,
            about=review.title,
        )
