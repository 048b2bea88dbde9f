"""Open reviews' tasks: reviews closing within a week, and comments to answer once a review has closed."""

from datetime import timedelta

import pytest

from commissioning.core import clock
from commissioning.core.worklist import WorklistContext, task_sources, tasks_for

from .review_factories import answered_review, closed_review, commissioner_at, draft_review, open_review

pytestmark = pytest.mark.django_db


def tasks(user) -> list:
    now = clock.now()
    found = tasks_for(WorklistContext(user=user, opportunities=[], now=now, today=clock.london(now).date()))
    return [task for listed in found.values() for task in listed if task.stage == "needs"]


def test_the_source_is_discovered_for_the_needs_stage():
    assert any(source.name.endswith("worklist_reviews.review_tasks") for source in task_sources())


def test_a_review_closing_within_a_week_is_a_task_and_one_closing_later_is_not():
    boss = commissioner_at()
    now = clock.now()
    soon = open_review(boss, title="Soon", closes_at=now + timedelta(days=6))
    open_review(boss, title="Later", closes_at=now + timedelta(days=20))
    draft_review(boss, title="Draft", closes_at=now + timedelta(days=2))
    [task] = tasks(boss)
    assert task.reference == soon.reference and task.title == "Review closes soon: prepare the answers"
    assert task.url == f"/reviews/commissioning/{soon.reference}/"


def test_a_closed_review_asks_for_its_comments_to_be_answered_until_the_answers_are_published():
    boss = commissioner_at()
    waiting = closed_review(boss, comments=3)
    answered_review(boss, comments=1)
    [task] = tasks(boss)
    assert task.reference == waiting.reference and task.title == "Answer 3 comments"
    assert task.url.endswith("/answers/")


def test_another_bodys_reviews_give_no_tasks(provider_admin):
    closed_review(commissioner_at(), comments=1)
    assert tasks(commissioner_at()) == []
    assert tasks(provider_admin) == []


def test_the_commissioners_dashboard_lists_the_comments_to_answer(client):
    boss = commissioner_at()
    waiting = closed_review(boss, comments=2, title="Young carers' services")
    client.force_login(boss)
    page = client.get("/commissioning/").content.decode()
    assert "Answer 2 comments" in page and f"/reviews/commissioning/{waiting.reference}/answers/" in page
