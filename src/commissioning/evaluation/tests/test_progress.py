"""The evaluation's task list reads each task's state from the record its own page reads."""

import html
import re
from datetime import timedelta

import pytest
import time_machine

from commissioning.evaluation import progress, services
from commissioning.evaluation.models import EvaluationStatus

from .awarded import awarded_tender, notice_published
from .factories import opened_tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded():
    """Awarded, with the award notice's publication recorded: the standstill is running."""
    opened, evaluation = awarded_tender()
    notice_published(opened, evaluation)
    evaluation.refresh_from_db()
    yield opened, evaluation


def test_until_the_award_notice_is_recorded_the_standstill_has_not_started_on_the_overview_or_its_page(client):
    opened, evaluation = awarded_tender()
    assert tasks_on(client, opened)["Standstill"] == "Not started: record the award notice"
    assert "The standstill has not started" in page_text(client, opened, "standstill/")
    assert not progress.standstill_running(evaluation)


def base(opened) -> str:
    return f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/"


def plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def tasks_on(client, opened) -> dict[str, str]:
    """The overview's task list as {task title: its status}."""
    client.force_login(opened.commissioner)
    response = client.get(base(opened))
    assert response.status_code == 200
    body = response.content.decode()
    found = {}
    for item in body.split('<li class="govuk-task-list__item')[1:]:
        name, _, status = item.partition('class="govuk-task-list__status')
        hint = name.find('class="govuk-task-list__hint')
        title = plain(re.sub(r"<div[^>]*$", "", "<" + (name[:hint] if hint >= 0 else name)))
        found[title] = plain("<" + status.split("</li>")[0])
    return found


def page_text(client, opened, path: str) -> str:
    client.force_login(opened.commissioner)
    response = client.get(base(opened) + path)
    assert response.status_code == 200
    return plain(response.content.decode())


def test_the_standstill_ends_on_the_dot_on_the_overview_and_its_page_alike(client, awarded):
    opened, evaluation = awarded
    ends = evaluation.standstill_ends
    with time_machine.travel(ends - timedelta(seconds=1), tick=False):
        assert tasks_on(client, opened)["Standstill"].startswith("Running")
        assert "The standstill is running" in page_text(client, opened, "standstill/")
    with time_machine.travel(ends, tick=False):
        assert tasks_on(client, opened)["Standstill"] == "Ended"
        assert "The standstill has ended" in page_text(client, opened, "standstill/")


def test_before_the_award_the_later_tasks_cannot_start():
    opened = opened_tender()
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    assert evaluation.status == EvaluationStatus.SCORING
    for state in (
        progress.standstill_state(evaluation),
        progress.award_state(evaluation),
        progress.moderation_state(evaluation, 0, 0),
    ):
        assert state == progress.TaskState("cannot", "Cannot start yet")
    assert not progress.standstill_running(evaluation)
    assert progress.panel_state([]) == progress.TaskState("now", "Not started")


def test_the_workflow_table_orders_the_statuses_as_the_evaluation_moves():
    from commissioning.evaluation.workflow import EVALUATION_WORKFLOW

    assert list(EVALUATION_WORKFLOW.steps()) == list(EvaluationStatus.values)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (EvaluationStatus.SCORING, ("cannot", "cannot", "cannot", "cannot", "cannot")),
        (EvaluationStatus.MODERATION, ("now", "done", "now", "cannot", "cannot")),
        (EvaluationStatus.RECOMMENDED, ("done", "done", "done", "now", "cannot")),
        (EvaluationStatus.APPROVED, ("done", "done", "done", "done", "now")),
        (EvaluationStatus.AWARDED, ("done", "done", "done", "done", "done")),
    ],
)
def test_each_task_reads_where_the_evaluation_stands_in_the_workflow(status, expected):
    from commissioning.evaluation.models import Evaluation

    evaluation = Evaluation(status=status)
    states = (
        progress.prices_state(evaluation),
        progress.results_state(evaluation),
        progress.recommendation_state(evaluation),
        progress.approval_state(evaluation),
        progress.award_state(evaluation),
    )
    assert tuple(s.status for s in states) == expected
