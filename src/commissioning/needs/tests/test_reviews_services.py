"""Open reviews' services: writing and publishing a review, comments, moderation, "You said, we did"."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.needs import reviews
from commissioning.needs.models import CommentStatus, Review, ReviewKind
from commissioning.needs.reviews_selectors import (
    CLOSED,
    OPEN,
    UPCOMING,
    review_status,
    short_period_warning,
)

from .review_factories import (
    answered_review,
    assessment_for,
    body_of,
    closed_review,
    comment,
    commissioner_at,
    draft_review,
    open_review,
    review_data,
)

pytestmark = pytest.mark.django_db


def verbs(review) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="needs.review", object_id=str(review.pk))
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def confirmation_token(message) -> str:
    return message.body.split("/reviews/confirm/", 1)[1].split("/", 1)[0]


# Writing and publishing -----------------------------------------------------------


def test_a_commissioner_writes_a_draft_review_with_a_reference_and_an_audit_event():
    boss = commissioner_at()
    review = draft_review(boss)
    assert review.reference.startswith(f"LRV-{clock.today().year}-")
    assert review.published_at is None
    assert review_status(review) == "draft"
    assert verbs(review) == ["review.create"]


def test_a_needs_assessment_review_names_one_of_the_bodys_assessments():
    boss = commissioner_at()
    assessment = assessment_for(boss)
    review = draft_review(boss, assessment=assessment)
    assert review.kind == ReviewKind.NEEDS_ASSESSMENT and review.assessment == assessment
    with pytest.raises(reviews.ReviewError) as refused:
        draft_review(boss, kind=ReviewKind.NEEDS_ASSESSMENT)
    assert "assessment" in refused.value.errors


def test_another_bodys_assessment_cannot_be_reviewed():
    boss, stranger = commissioner_at(), commissioner_at()
    theirs = assessment_for(stranger)
    with pytest.raises(reviews.ReviewError) as refused:
        draft_review(boss, assessment=theirs)
    assert refused.value.errors["assessment"] == ["Select one of your body's needs assessments"]


def test_only_a_commissioner_of_the_body_writes_a_review():
    boss, stranger = commissioner_at(), commissioner_at()
    with pytest.raises(PermissionDenied):
        reviews.review_create(actor=stranger, body=body_of(boss), data=review_data())


def test_closing_before_opening_is_refused():
    boss = commissioner_at()
    now = clock.now()
    with pytest.raises(reviews.ReviewError) as refused:
        draft_review(boss, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=1))
    assert refused.value.errors["closes_at"] == ["The review must close after it opens"]
    assert not Review.objects.exists()


def test_a_short_period_is_allowed_but_warned():
    boss = commissioner_at()
    now = clock.now()
    review = open_review(boss, opens_at=now, closes_at=now + timedelta(days=7))
    assert review.published_at is not None
    assert "less than 28 days" in short_period_warning(review.opens_at, review.closes_at, 28)
    assert short_period_warning(now, now + timedelta(days=28), 28) is None


def test_publishing_makes_it_readable_and_is_audited():
    boss = commissioner_at()
    review = reviews.review_publish(actor=boss, review=draft_review(boss))
    assert review.published_at is not None
    assert review_status(review) == OPEN
    assert verbs(review) == ["review.create", "review.publish"]
    with pytest.raises(reviews.ReviewError):
        reviews.review_publish(actor=boss, review=review)


def test_a_review_whose_period_has_passed_cannot_be_published():
    boss = commissioner_at()
    now = clock.now()
    review = draft_review(boss, opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1))
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.review_publish(actor=boss, review=review)
    assert "has passed" in refused.value.errors["closes_at"][0]


def test_a_published_review_is_not_edited_and_its_period_is_only_extended():
    boss = commissioner_at()
    review = open_review(boss)
    with pytest.raises(reviews.ReviewError):
        reviews.review_update(actor=boss, review=review, data=review_data(title="Changed"))
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.review_extend(actor=boss, review=review, closes_at=review.closes_at - timedelta(days=1))
    assert "can only be extended" in refused.value.errors["closes_at"][0]
    later = review.closes_at + timedelta(days=7)
    extended = reviews.review_extend(actor=boss, review=review, closes_at=later, reason="Asked for by the forum")
    assert extended.closes_at == later
    event = AuditEvent.objects.get(verb="review.extend")
    assert event.reason == "Asked for by the forum" and event.after["closes_at"] == later.isoformat()


def test_a_closed_review_is_not_reopened():
    boss = commissioner_at()
    review = closed_review(boss)
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.review_extend(actor=boss, review=review, closes_at=clock.now() + timedelta(days=7))
    assert "cannot be reopened" in refused.value.errors["closes_at"][0]


def test_a_draft_is_edited_by_its_body():
    boss = commissioner_at()
    review = draft_review(boss)
    changed = reviews.review_update(actor=boss, review=review, data=review_data(title="A better title"))
    assert changed.title == "A better title"
    with pytest.raises(PermissionDenied):
        reviews.review_update(actor=commissioner_at(), review=review, data=review_data())


# Comments -------------------------------------------------------------------------


def test_a_signed_in_comment_is_published_at_once(provider_admin):
    review = open_review(commissioner_at())
    made, token = reviews.comment_post(review=review, actor=provider_admin, text="We run a young carers' group.")
    assert token is None
    assert made.status == CommentStatus.PUBLISHED and made.name == provider_admin.full_name
    assert made.email == ""


def test_a_comment_by_name_and_address_waits_for_its_link(django_capture_on_commit_callbacks):
    review = open_review(commissioner_at())
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        made, token = reviews.comment_post(review=review, name="Ann", email="Ann@Example.org ", text="More breaks")
    assert made.status == CommentStatus.UNCONFIRMED and made.email == "ann@example.org"
    assert token and made.confirmation_digest and token not in made.confirmation_digest
    [message] = mail.outbox
    assert message.to == ["ann@example.org"] and confirmation_token(message) == token
    confirmed = reviews.comment_confirm(token=token)
    assert confirmed.status == CommentStatus.PUBLISHED and confirmed.confirmed_at is not None


def test_a_confirmation_link_works_once():
    review = open_review(commissioner_at())
    _, token = reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="More breaks")
    reviews.comment_confirm(token=token)
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_confirm(token=token)
    assert "already been used" in str(refused.value)


def test_an_expired_confirmation_link_is_refused(settings):
    review = open_review(commissioner_at())
    _, token = reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="More breaks")
    hours = settings.NEEDS_REVIEWS["confirmation_hours"]
    with time_machine.travel(clock.now() + timedelta(hours=hours, minutes=1), tick=False):
        with pytest.raises(reviews.ReviewError) as refused:
            reviews.comment_confirm(token=token)
    assert "ran out" in str(refused.value)
    assert review.comments.get().status == CommentStatus.UNCONFIRMED


def test_an_unknown_confirmation_link_is_refused():
    with pytest.raises(reviews.ReviewError):
        reviews.comment_confirm(token="not-a-real-token")


def test_a_comment_after_closing_is_refused_saying_when_it_closed():
    review = closed_review(commissioner_at(), comments=0)
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="Late")
    assert str(refused.value).startswith("Comments closed on ")
    assert not review.comments.exists()


def test_a_comment_at_the_closing_moment_is_late():
    review = open_review(commissioner_at())
    with time_machine.travel(review.closes_at, tick=False):
        assert review_status(review) == CLOSED
        with pytest.raises(reviews.ReviewError):
            reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="Just in time?")


def test_a_comment_before_opening_is_refused():
    now = clock.now()
    review = open_review(commissioner_at(), opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=40))
    assert review_status(review) == UPCOMING
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="Early")
    assert str(refused.value).startswith("Comments open on ")


def test_a_draft_takes_no_comments():
    review = draft_review(commissioner_at())
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="Hello")
    assert str(refused.value) == "This review is not open for comment"


def test_the_hidden_field_filled_in_is_refused():
    review = open_review(commissioner_at())
    with pytest.raises(reviews.ReviewError):
        reviews.comment_post(review=review, name="Bot", email="bot@example.org", text="Buy", trap="http://spam")
    assert not review.comments.exists()


def test_a_comment_with_too_many_links_is_refused_with_a_clear_message(settings):
    review = open_review(commissioner_at())
    text = "See https://a.example and https://b.example and www.c.example"
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_post(review=review, name="Ann", email="ann@example.org", text=text)
    assert refused.value.errors["text"] == ["Your comment has more than 2 web links: take some out, then send it again"]
    made, _ = reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="See https://a.example")
    assert made.pk


def test_comments_from_one_address_are_limited_per_hour(settings):
    settings.NEEDS_REVIEWS = {**settings.NEEDS_REVIEWS, "per_address_per_hour": 2}
    review = open_review(commissioner_at())
    for n in range(2):
        reviews.comment_post(review=review, name="Ann", email="ann@example.org", text=f"Point {n}")
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_post(review=review, name="Ann", email="ANN@example.org", text="Point 3")
    assert "last hour" in str(refused.value)
    with time_machine.travel(clock.now() + timedelta(hours=1, minutes=1), tick=False):
        reviews.comment_post(review=review, name="Ann", email="ann@example.org", text="Point 3")


def test_comments_from_one_network_address_are_limited_per_hour(settings):
    settings.NEEDS_REVIEWS = {**settings.NEEDS_REVIEWS, "per_sender_per_hour": 2}
    review = open_review(commissioner_at())
    client = reviews.client_key("203.0.113.9")
    for n in range(2):
        reviews.comment_post(review=review, name="A", email=f"a{n}@example.org", text="Hi", client=client)
    with pytest.raises(reviews.ReviewError):
        reviews.comment_post(review=review, name="A", email="a9@example.org", text="Hi", client=client)
    reviews.comment_post(review=review, name="A", email="a9@example.org", text="Hi", client=reviews.client_key("x"))


def test_a_comment_needs_its_words_name_and_a_real_address():
    review = open_review(commissioner_at())
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_post(review=review, name="", email="not-an-address", text="  ")
    assert set(refused.value.errors) == {"text", "name", "email"}


# Moderation -----------------------------------------------------------------------


def test_a_comment_is_removed_for_abuse_with_a_listed_reason():
    boss = commissioner_at()
    review = open_review(boss)
    made = comment(review, text="You are all idiots")
    removed = reviews.comment_remove(actor=boss, comment=made, reason="abusive")
    assert removed.status == CommentStatus.REMOVED and removed.removed_reason == "abusive"
    assert removed.text == "You are all idiots"
    event = AuditEvent.objects.get(verb="review.comment_remove")
    assert event.reason == "Abusive, threatening or hateful"


def test_removal_needs_a_reason_and_never_for_disagreement():
    boss = commissioner_at()
    review = open_review(boss)
    made = comment(review, text="I disagree with all of this")
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_remove(actor=boss, comment=made, reason="")
    assert refused.value.errors["reason"] == ["Select why the comment is removed"]
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.comment_remove(actor=boss, comment=made, reason="disagreement")
    assert "never removed for disagreeing" in refused.value.errors["reason"][0]
    with pytest.raises(reviews.ReviewError):
        reviews.comment_remove(actor=boss, comment=made, reason="too long")
    made.refresh_from_db()
    assert made.status == CommentStatus.PUBLISHED


def test_only_the_bodys_commissioners_remove_comments(provider_admin):
    review = open_review(commissioner_at())
    made = comment(review)
    for someone in (provider_admin, commissioner_at()):
        with pytest.raises(PermissionDenied):
            reviews.comment_remove(actor=someone, comment=made, reason="spam")


# Answers --------------------------------------------------------------------------


def test_answers_group_comments_and_publishing_tells_everyone_who_commented(django_capture_on_commit_callbacks):
    boss = commissioner_at()
    review = closed_review(boss, comments=2)
    first, second = review.comments.order_by("pk")
    one = reviews.answer_save(actor=boss, review=review, you_said="Breaks", we_did="Respite", comment_ids=[first.pk])
    two = reviews.answer_save(actor=boss, review=review, you_said="Transport", we_did="Buses", comment_ids=[second.pk])
    assert (one.position, two.position) == (1, 2)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        published = reviews.answers_publish(actor=boss, review=review)
    assert published.answered_at is not None and review_status(published) == "answered"
    assert sorted(m.to[0] for m in mail.outbox) == ["person1@example.org", "person2@example.org"]
    assert "answer_save" in " ".join(verbs(review)) and verbs(review)[-1] == "review.answers_publish"


def test_answers_are_not_published_before_the_review_closes():
    boss = commissioner_at()
    review = open_review(boss)
    made = comment(review)
    reviews.answer_save(actor=boss, review=review, you_said="Breaks", we_did="Respite", comment_ids=[made.pk])
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.answers_publish(actor=boss, review=review)
    assert "answer the comments once it closes" in str(refused.value)


def test_answers_are_not_published_while_a_comment_is_unanswered():
    boss = commissioner_at()
    review = closed_review(boss, comments=2)
    first = review.comments.order_by("pk").first()
    reviews.answer_save(actor=boss, review=review, you_said="Breaks", we_did="Respite", comment_ids=[first.pk])
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.answers_publish(actor=boss, review=review)
    assert "1 published comment is not in any answer" in str(refused.value)
    review.refresh_from_db()
    assert review.answered_at is None


def test_a_comment_belongs_to_at_most_one_answer():
    boss = commissioner_at()
    review = closed_review(boss, comments=1)
    only = review.comments.get()
    reviews.answer_save(actor=boss, review=review, you_said="Breaks", we_did="Respite", comment_ids=[only.pk])
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.answer_save(actor=boss, review=review, you_said="Again", we_did="Twice", comment_ids=[only.pk])
    assert "at most one answer" in refused.value.errors["comments"][0]
    assert review.answers.count() == 1


def test_an_answer_is_changed_and_its_comments_reset():
    boss = commissioner_at()
    review = closed_review(boss, comments=2)
    first, second = review.comments.order_by("pk")
    answer = reviews.answer_save(
        actor=boss, review=review, you_said="Both", we_did="Both", comment_ids=[first.pk, second.pk]
    )
    reviews.answer_save(
        actor=boss, review=review, answer=answer, you_said="Only one", we_did="One", comment_ids=[second.pk]
    )
    first.refresh_from_db()
    assert first.answer_id is None and list(answer.comments.all()) == [second]


def test_an_answer_needs_comments_of_this_review_that_are_published():
    boss = commissioner_at()
    review = closed_review(boss, comments=1)
    other = closed_review(boss, comments=1)
    with pytest.raises(reviews.ReviewError) as refused:
        reviews.answer_save(actor=boss, review=review, you_said="A", we_did="B", comment_ids=[])
    assert refused.value.errors["comments"] == ["Select the comments this answers"]
    with pytest.raises(reviews.ReviewError):
        reviews.answer_save(actor=boss, review=review, you_said="A", we_did="B", comment_ids=[other.comments.get().pk])


def test_removed_comments_need_no_answer():
    boss = commissioner_at()
    review = closed_review(boss, comments=2)
    first, second = review.comments.order_by("pk")
    reviews.comment_remove(actor=boss, comment=first, reason="spam")
    reviews.answer_save(actor=boss, review=review, you_said="A", we_did="B", comment_ids=[second.pk])
    assert reviews.answers_publish(actor=boss, review=review).answered_at is not None


def test_published_answers_are_final():
    boss = commissioner_at()
    review = answered_review(boss, comments=1)
    with pytest.raises(reviews.ReviewError):
        reviews.answers_publish(actor=boss, review=review)
    with pytest.raises(reviews.ReviewError):
        reviews.answer_save(actor=boss, review=review, you_said="A", we_did="B", comment_ids=[review.comments.get().pk])
