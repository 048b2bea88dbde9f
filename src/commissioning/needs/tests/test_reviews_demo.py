"""The demo's open reviews: one answered in public, one still open; loading again makes nothing twice."""

import pytest

from commissioning.accounts import demo as accounts_demo
from commissioning.needs import demo_reviews
from commissioning.needs.checks_reviews import open_review
from commissioning.needs.models import Assessment, CommentStatus, Review
from commissioning.needs.reviews_selectors import review_status
from commissioning.practice.checks import rule_settings
from commissioning.records import demo as records_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    accounts_demo.load()
    records_demo.load()
    demo_reviews.load()


def test_the_completed_review_is_answered_with_one_comment_removed_as_abusive(loaded):
    review = Review.objects.get(title=demo_reviews.COMPLETED_REVIEW["title"])
    assert review_status(review) == "answered"
    assert review.assessment.title == "Young carers' needs in west Leeds"
    assert review.comments.count() == 6
    removed = review.comments.get(status=CommentStatus.REMOVED)
    assert removed.removed_reason == "abusive"
    assert review.answers.count() == 3
    assert not review.comments.filter(status=CommentStatus.PUBLISHED, answer__isnull=True).exists()
    assert (review.closes_at - review.opens_at).days == 35
    assert open_review(review.assessment, rule_settings("NA-2")).met


def test_the_open_review_takes_comments_for_another_fortnight(loaded):
    review = Review.objects.get(title=demo_reviews.OPEN_REVIEW["title"])
    assert review_status(review) == "open"
    assert review.assessment.title == "Loneliness among older people in east Leeds"
    assert review.comments.filter(status=CommentStatus.PUBLISHED).count() == 2


def test_loading_again_makes_nothing_twice(loaded):
    demo_reviews.load()
    assert Review.objects.count() == 2
    assert Assessment.objects.filter(title="Young carers' needs in west Leeds").count() == 1


def test_an_assessment_made_before_is_reviewed_rather_than_made_again(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    accounts_demo.load()
    records_demo.load()
    from commissioning.accounts.models import User

    made = demo_reviews._assessment(
        demo_reviews.YOUNG_CARERS,
        "carers-support",
        demo_reviews.WEST,
        "Made by the assessments' demo",
        User.objects.get(email=demo_reviews.COMMISSIONER),
    )
    demo_reviews.load()
    assert Review.objects.get(title=demo_reviews.COMPLETED_REVIEW["title"]).assessment == made
