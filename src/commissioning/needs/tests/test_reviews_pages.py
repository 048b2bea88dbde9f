"""Open reviews' pages: the public list and review, commenting, the link, and the body's pages."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from commissioning.core import clock
from commissioning.needs import reviews
from commissioning.needs.models import CommentStatus, Review

from .review_factories import (
    answered_review,
    assessment_for,
    closed_review,
    comment,
    commissioner_at,
    draft_review,
    open_review,
)

pytestmark = pytest.mark.django_db


def detail(review) -> str:
    return reverse("reviews:detail", args=[review.reference])


def manage(name: str, review, *args) -> str:
    return reverse(f"reviews:{name}", args=[review.reference, *args])


# The public pages -----------------------------------------------------------------


def test_the_list_shows_open_reviews_first_closing_soonest_then_closed(client):
    boss = commissioner_at()
    now = clock.now()
    later = open_review(boss, title="Closes later", closes_at=now + timedelta(days=40))
    sooner = open_review(boss, title="Closes sooner", closes_at=now + timedelta(days=29))
    closed = closed_review(boss, title="Closed one", comments=0)
    draft_review(boss, title="A secret draft")
    page = client.get(reverse("reviews:list")).content.decode()
    assert page.index(sooner.title) < page.index(later.title) < page.index(closed.title)
    assert "A secret draft" not in page


def test_the_list_filters_by_status_and_body(client):
    boss, other = commissioner_at(), commissioner_at()
    open_review(boss, title="Ours open")
    closed_review(boss, title="Ours closed", comments=0)
    open_review(other, title="Theirs open")
    page = client.get(reverse("reviews:list"), {"status": "closed"}).content.decode()
    assert "Ours closed" in page and "Ours open" not in page
    body = boss.memberships.get().organisation
    page = client.get(reverse("reviews:list"), {"body": body.slug}).content.decode()
    assert "Ours open" in page and "Theirs open" not in page
    page = client.get(reverse("reviews:list"), {"status": "nonsense"}).content.decode()
    assert "No reviews match" in page


def test_the_list_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    boss = commissioner_at()
    for n in range(6):
        open_review(boss, title=f"Review {n}")
    closed_review(boss, comments=2)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("reviews:list")).status_code == 200


def test_a_review_page_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    boss = commissioner_at()
    review = answered_review(boss, comments=6)
    with django_assert_max_num_queries(10):
        assert client.get(detail(review)).status_code == 200


def test_a_draft_is_404_to_everyone_but_its_bodys_commissioners(client, provider_admin):
    boss = commissioner_at()
    review = draft_review(boss)
    assert client.get(detail(review)).status_code == 404
    client.force_login(provider_admin)
    assert client.get(detail(review)).status_code == 404
    client.force_login(commissioner_at())
    assert client.get(detail(review)).status_code == 404
    assert client.get(manage("manage", review)).status_code == 404
    client.force_login(boss)
    assert client.get(detail(review)).status_code == 200
    assert client.post(detail(review), {"text": "Hello"}).status_code == 404


def test_someone_comments_confirms_by_the_link_and_the_comment_is_shown(client, django_capture_on_commit_callbacks):
    review = open_review(commissioner_at())
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail(review), {"text": "We need more respite.", "name": "Priya", "email": "priya@example.org"}
        )
    assert response.status_code == 200
    assert "Check your e-mail" in response.content.decode()
    assert "We need more respite." not in client.get(detail(review)).content.decode()
    [message] = mail.outbox
    path = "/reviews/confirm/" + message.body.split("/reviews/confirm/", 1)[1].split()[0]
    assert "Publish my comment" in client.get(path).content.decode()
    assert "Your comment is published" in client.post(path).content.decode()
    page = client.get(detail(review)).content.decode()
    assert "We need more respite." in page and "priya@example.org" not in page
    again = client.post(path).content.decode()
    assert "already been used" in again


def test_a_bad_confirmation_link_is_404(client):
    assert client.get(reverse("reviews:confirm", args=["not-a-real-token"])).status_code == 404


def test_a_signed_in_person_comments_at_once(client, provider_admin):
    review = open_review(commissioner_at())
    client.force_login(provider_admin)
    response = client.post(detail(review), {"text": "From our group", "organisation_name": "Young Carers Leeds"})
    assert response.status_code == 302
    assert review.comments.get().status == CommentStatus.PUBLISHED
    assert "From our group" in client.get(detail(review)).content.decode()


def test_script_and_markup_in_a_comment_are_shown_as_text(client):
    review = open_review(commissioner_at())
    comment(review, text='<script>alert("x")</script><b>bold</b>', name='<img src=x onerror="alert(1)">')
    page = client.get(detail(review)).content.decode()
    assert "<script>alert" not in page and "<b>bold</b>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=" in page


def test_a_late_comment_comes_back_with_the_message_and_what_was_typed(client):
    review = open_review(commissioner_at())
    with time_machine.travel(review.closes_at + timedelta(minutes=1), tick=False):
        response = client.post(detail(review), {"text": "Sorry I am late", "name": "Jo", "email": "jo@example.org"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Comments closed on" in page and "Sorry I am late" in page
    assert not review.comments.exists()


def test_too_many_links_come_back_in_the_error_summary(client):
    review = open_review(commissioner_at())
    text = "https://a.example https://b.example https://c.example"
    page = client.post(detail(review), {"text": text, "name": "Jo", "email": "jo@example.org"}).content.decode()
    assert "There is a problem" in page and "more than 2 web links" in page


def test_a_removed_comment_shows_its_reason_in_its_place_and_is_counted(client):
    boss = commissioner_at()
    review = open_review(boss)
    made = comment(review, text="Something nasty")
    reviews.comment_remove(actor=boss, comment=made, reason="abusive")
    page = client.get(detail(review)).content.decode()
    assert "Removed by a moderator: Abusive, threatening or hateful" in page
    assert "Something nasty" not in page
    assert "1 comment removed by a moderator" in page


def test_answers_show_as_you_said_we_did_once_published(client):
    boss = commissioner_at()
    review = closed_review(boss, comments=1)
    reviews.answer_save(
        actor=boss,
        review=review,
        you_said="You asked for breaks",
        we_did="We added respite",
        comment_ids=[review.comments.get().pk],
    )
    assert "We added respite" not in client.get(detail(review)).content.decode()
    reviews.answers_publish(actor=boss, review=review)
    page = client.get(detail(review)).content.decode()
    assert "You said, we did" in page and "We added respite" in page


# The body's pages -----------------------------------------------------------------


def test_a_commissioner_writes_and_publishes_a_review_through_the_pages(client):
    boss = commissioner_at()
    assessment = assessment_for(boss)
    client.force_login(boss)
    response = client.post(
        reverse("reviews:new"),
        {
            "kind": "needs_assessment",
            "assessment": assessment.pk,
            "title": "Young carers' needs in west Leeds: have your say",
            "summary": "What we found",
            "text": "The findings",
            "questions": "Is anything missing?",
            "opens_at": clock.london(clock.now()).strftime("%d/%m/%Y %H:%M"),
            "closes_at": clock.london(clock.now() + timedelta(days=10)).strftime("%d/%m/%Y %H:%M"),
        },
    )
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == manage("manage", review)
    page = client.get(manage("publish", review)).content.decode()
    assert "less than 28 days" in page
    assert client.post(manage("publish", review)).status_code == 302
    review.refresh_from_db()
    assert review.published_at is not None


def test_closing_before_opening_is_shown_in_the_error_summary(client):
    boss = commissioner_at()
    client.force_login(boss)
    now = clock.london(clock.now())
    response = client.post(
        reverse("reviews:new"),
        {
            "kind": "service",
            "title": "A review",
            "summary": "S",
            "text": "T",
            "opens_at": (now + timedelta(days=5)).strftime("%d/%m/%Y %H:%M"),
            "closes_at": now.strftime("%d/%m/%Y %H:%M"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "The review must close after it opens" in page
    assert not Review.objects.exists()


def test_the_commissioners_list_shows_their_bodys_reviews_only(client, provider_admin):
    boss = commissioner_at()
    draft_review(boss, title="Our draft")
    open_review(commissioner_at(), title="Not ours")
    client.force_login(boss)
    page = client.get(reverse("reviews:commissioner-list")).content.decode()
    assert "Our draft" in page and "Not ours" not in page
    client.force_login(provider_admin)
    assert client.get(reverse("reviews:commissioner-list")).status_code == 404


def test_the_commissioners_list_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    boss = commissioner_at()
    for n in range(5):
        open_review(boss, title=f"Review {n}")
    closed_review(boss, comments=3)
    client.force_login(boss)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reviews:commissioner-list")).status_code == 200


def test_removing_for_disagreement_is_not_offered_and_is_refused(client):
    boss = commissioner_at()
    review = open_review(boss)
    made = comment(review, text="I disagree")
    client.force_login(boss)
    page = client.get(manage("comment-remove", review, made.pk)).content.decode()
    assert "disagreement" not in page.lower().replace("disagreeing", "")
    response = client.post(manage("comment-remove", review, made.pk), {"reason": "disagreement"})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert client.post(manage("comment-remove", review, made.pk), {}).status_code == 200
    made.refresh_from_db()
    assert made.status == CommentStatus.PUBLISHED


def test_answers_are_written_and_published_through_the_pages(client):
    boss = commissioner_at()
    review = closed_review(boss, comments=2)
    first, second = review.comments.order_by("pk")
    client.force_login(boss)
    url = manage("answers", review)
    response = client.post(url, {"you_said": "Breaks", "we_did": "Respite", "comments": [first.pk]})
    assert response.status_code == 302
    page = client.post(manage("answers-publish", review)).content.decode()
    assert "1 published comment is not in any answer" in page
    client.post(url, {"you_said": "Buses", "we_did": "Routes", "comments": [second.pk]})
    assert client.post(manage("answers-publish", review)).status_code == 302
    review.refresh_from_db()
    assert review.answered_at is not None


def test_an_answers_page_before_publishing_is_404(client):
    boss = commissioner_at()
    review = draft_review(boss)
    client.force_login(boss)
    assert client.get(manage("answers", review)).status_code == 404
