"""NA-2 as it applies to a needs assessment about to be completed: was it open to everyone, and answered?

:func:`judge_open_review` is the pure judgement over plain facts about the
assessment's published reviews; :func:`open_review` reads those facts and is
the check the practice app runs when an assessment is completed.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.practice.checks import CheckResult, rule_check

from .reviews_selectors import assessment_reviews

MODEL = "needs.assessment"


@dataclass(frozen=True)
class ReviewFacts:
    """What NA-2 needs to know about one published review of the assessment."""

    reference: str
    opens_at: datetime
    closes_at: datetime
    answered_at: datetime | None
    comments_published: int
    comments_unanswered: int


def _problems(review: ReviewFacts, comment_days: int, now: datetime) -> list[str]:
    problems = []
    if review.closes_at - review.opens_at < timedelta(days=comment_days):
        days = (review.closes_at - review.opens_at) / timedelta(days=1)
        problems.append(f"it was open for {days:.0f} days, less than the {comment_days} days asked for")
    if review.closes_at > now:
        problems.append(f"it is open until {format_date(review.closes_at)}")
    elif review.answered_at is None:
        problems.append("its answers are not published")
    if review.comments_unanswered:
        n = review.comments_unanswered
        problems.append(f"{n} comment{' is' if n == 1 else 's are'} not answered")
    return problems


def judge_open_review(reviews: list[ReviewFacts], comment_days: int, now: datetime) -> CheckResult:
    """NA-2 for an assessment with these published reviews of it, at ``now``.

    Met when one review was open for at least ``comment_days`` days, has
    closed, and has its answers published with every published comment in an
    answer. Otherwise not met, saying what the latest review lacks; with no
    review, "no review was opened for comment".
    """
    if not reviews:
        return CheckResult(False, "No review was opened for comment")
    for review in reviews:
        if not _problems(review, comment_days, now):
            n = review.comments_published
            return CheckResult(
                True,
                f"{review.reference} was open from {format_date(review.opens_at)} to {format_date(review.closes_at)}; "
                f"{n} comment{'' if n == 1 else 's'}, every one answered",
            )
    latest = max(reviews, key=lambda r: (r.closes_at, r.reference))
    return CheckResult(False, f"{latest.reference}: " + "; ".join(_problems(latest, comment_days, now)))


@rule_check("NA-2", model=MODEL)
def open_review(assessment, settings) -> CheckResult:
    """The assessment was published for comment long enough, and every comment was answered in public."""
    facts = [
        ReviewFacts(
            reference=r.reference,
            opens_at=r.opens_at,
            closes_at=r.closes_at,
            answered_at=r.answered_at,
            comments_published=r.comments_published,
            comments_unanswered=r.comments_unanswered,
        )
        for r in assessment_reviews(assessment)
    ]
    return judge_open_review(facts, int(settings["comment_days"]), clock.now())
