"""Builders for open reviews in each state: a draft, open, closed with comments, answered.

Assessments are made straight through the ORM (their services are another
part's); reviews and comments go through :mod:`commissioning.needs.reviews`.
A review that has closed is made in the past with the clock moved back.
"""

from datetime import timedelta

import time_machine

from commissioning.accounts.models import Organisation, Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.core import clock
from commissioning.core.models import Ward
from commissioning.needs import reviews
from commissioning.needs.models import Assessment, Comment, Review, ReviewKind
from commissioning.records.models import ServiceArea

WEST_LEEDS = ["E05011389", "E05011391", "E05011396", "E05011406"]  # Armley, Bramley, Farnley, Kirkstall


def commissioner_at(body: Organisation | None = None):
    """A commissioner at ``body`` (a new commissioning body when not given)."""
    return person_with_role(Role.COMMISSIONER, body or CommissionerOrgFactory())


def body_of(user) -> Organisation:
    return user.memberships.get().organisation


def assessment_for(user, title: str = "Young carers' needs in west Leeds", body: Organisation | None = None):
    """A draft needs assessment of the user's body, made through the ORM."""
    area = ServiceArea.objects.filter(slug="carers-support").first() or ServiceArea.objects.create(
        name="Carers' support", slug="carers-support"
    )
    assessment = Assessment.objects.create(
        reference=f"LNA-{clock.today().year}-{Assessment.objects.count() + 1:04d}",
        body=body or body_of(user),
        title=title,
        service_area=area,
        question="What do young carers in west Leeds need?",
        created_by=user,
    )
    assessment.wards.set(Ward.objects.filter(code__in=WEST_LEEDS))
    return assessment


def review_data(**overrides) -> dict:
    """What a review form gives: a service review open from an hour ago for 30 days, unless overridden."""
    now = clock.now()
    data = {
        "kind": ReviewKind.SERVICE,
        "assessment": None,
        "title": "Review of young carers' services",
        "summary": "How well do services for young carers in west Leeds work?",
        "text": "We have looked at the services young carers use.\nTell us what you think.",
        "questions": "What works well?\nWhat should change?",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=30),
    }
    return data | overrides


def draft_review(user, **overrides) -> Review:
    """A draft review of the user's body (a needs assessment review when ``assessment`` is given)."""
    if overrides.get("assessment") is not None:
        overrides.setdefault("kind", ReviewKind.NEEDS_ASSESSMENT)
    return reviews.review_create(actor=user, body=body_of(user), data=review_data(**overrides))


def open_review(user, **overrides) -> Review:
    """A review published and open for comment now."""
    return reviews.review_publish(actor=user, review=draft_review(user, **overrides))


def comment(review: Review, *, author=None, text: str = "Young carers need more breaks.", **fields) -> Comment:
    """A published comment: by ``author`` signed in, or confirmed by e-mail from a name and address."""
    if author is not None:
        made, _ = reviews.comment_post(review=review, actor=author, text=text, **fields)
        return made
    fields.setdefault("name", "Sam Jones")
    fields.setdefault("email", f"sam{Comment.objects.count()}@example.org")
    made, token = reviews.comment_post(review=review, text=text, **fields)
    return reviews.comment_confirm(token=token)


def closed_review(user, *, days: int = 30, comments: int = 2, ago_days: int = 5, **overrides) -> Review:
    """A review that was open for ``days`` days and closed ``ago_days`` ago, with published comments."""
    start = clock.now() - timedelta(days=days + ago_days)
    with time_machine.travel(start, tick=False):
        review = open_review(user, opens_at=start, closes_at=start + timedelta(days=days), **overrides)
        for n in range(comments):
            comment(review, text=f"Comment number {n + 1}", name=f"Person {n + 1}", email=f"person{n + 1}@example.org")
    review.refresh_from_db()
    return review


def answered_review(user, **kwargs) -> Review:
    """A closed review whose every comment is in one answer group, the answers published."""
    review = closed_review(user, **kwargs)
    ids = list(review.comments.filter(status="published").values_list("pk", flat=True))
    if ids:
        reviews.answer_save(
            actor=user, review=review, you_said="You asked for more breaks", we_did="We added respite", comment_ids=ids
        )
    return reviews.answers_publish(actor=user, review=review)
