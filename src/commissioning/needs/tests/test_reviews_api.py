"""Open reviews through the API: public reads of published reviews only, no e-mail addresses, comments by token."""

from datetime import timedelta

import pytest
import time_machine

from commissioning.accounts import services as account_services
from commissioning.needs import reviews

from .review_factories import answered_review, closed_review, commissioner_at, draft_review, open_review

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, secret = account_services.api_token_create(actor=user, name="reviews")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_list_is_paged_and_shows_published_reviews_only(client):
    boss = commissioner_at()
    open_review(boss, title="Open one")
    closed_review(boss, title="Closed one", comments=0)
    draft_review(boss, title="A draft")
    body = client.get("/api/v1/reviews").json()
    assert body["count"] == 2
    assert [r["title"] for r in body["items"]] == ["Open one", "Closed one"]
    assert [r["status"] for r in body["items"]] == ["open", "closed"]
    assert client.get("/api/v1/reviews", {"status": "closed"}).json()["count"] == 1
    assert client.get("/api/v1/reviews", {"status": "open", "limit": 1}).json()["items"][0]["title"] == "Open one"
    assert client.get("/api/v1/reviews", {"status": "nonsense"}).status_code == 422
    assert client.get("/api/v1/reviews", {"limit": 1000}).status_code == 422


def test_the_list_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    boss = commissioner_at()
    for n in range(5):
        open_review(boss, title=f"Review {n}")
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/reviews").status_code == 200


def test_a_review_has_its_comments_and_answers_and_never_an_e_mail_address(client, provider_admin):
    boss = commissioner_at()
    review = closed_review(boss, comments=2)
    first, second = review.comments.order_by("pk")
    reviews.comment_remove(actor=boss, comment=first, reason="personal_information")
    reviews.answer_save(actor=boss, review=review, you_said="Breaks", we_did="Respite", comment_ids=[second.pk])
    reviews.answers_publish(actor=boss, review=review)
    response = client.get(f"/api/v1/reviews/{review.reference}")
    assert response.status_code == 200
    body = response.json()
    assert "@" not in response.content.decode()
    assert body["status"] == "answered" and body["questions"] == ["What works well?", "What should change?"]
    removed, kept = body["comment_list"]
    assert removed["removed"] and removed["text"] == "" and removed["removed_reason"].startswith("Personal")
    assert kept["text"] == "Comment number 2"
    assert body["answers"] == [{"position": 1, "you_said": "Breaks", "we_did": "Respite", "comments": [second.pk]}]


def test_a_draft_or_unknown_review_is_404(client):
    review = draft_review(commissioner_at())
    assert client.get(f"/api/v1/reviews/{review.reference}").status_code == 404
    assert client.get("/api/v1/reviews/LRV-2020-9999").status_code == 404
    assert client.get("/api/v1/reviews/nonsense").status_code == 422


def test_answers_are_not_shown_before_they_are_published(client):
    boss = commissioner_at()
    review = closed_review(boss, comments=1)
    reviews.answer_save(actor=boss, review=review, you_said="A", we_did="B", comment_ids=[review.comments.get().pk])
    assert client.get(f"/api/v1/reviews/{review.reference}").json()["answers"] == []


def test_a_token_holder_comments_through_the_same_service(client, provider_admin):
    review = open_review(commissioner_at())
    headers = bearer(provider_admin)
    response = client.post(
        f"/api/v1/reviews/{review.reference}/comments",
        {"text": "From our group", "organisation_name": "Carers Leeds"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["name"] == provider_admin.full_name and "@" not in response.content.decode()
    assert review.comments.get().status == "published"


def test_a_comment_by_token_is_refused_when_closed_or_malformed(client, provider_admin):
    review = open_review(commissioner_at())
    headers = bearer(provider_admin)
    url = f"/api/v1/reviews/{review.reference}/comments"
    assert client.post(url, {"text": "Hi"}, content_type="application/json").status_code == 401
    assert client.post(url, {"text": ""}, content_type="application/json", **headers).status_code == 422
    links = {"text": "https://a.example https://b.example https://c.example"}
    response = client.post(url, links, content_type="application/json", **headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "text"
    with time_machine.travel(review.closes_at + timedelta(seconds=1), tick=False):
        late = client.post(url, {"text": "Late"}, content_type="application/json", **headers)
    assert late.status_code == 409 and late.json()["detail"].startswith("Comments closed on")
    draft = draft_review(commissioner_at())
    gone = client.post(
        f"/api/v1/reviews/{draft.reference}/comments", {"text": "Hi"}, content_type="application/json", **headers
    )
    assert gone.status_code == 404


def test_an_answered_reviews_comment_by_e_mail_stays_private(client):
    review = answered_review(commissioner_at(), comments=1)
    assert review.comments.get().email.endswith("@example.org")
    assert "example.org" not in client.get(f"/api/v1/reviews/{review.reference}").content.decode()
