"""The commissioner's home gathers its tasks from every stage's registered sources, and only the user's."""

import html
import re

import pytest
from django.urls import reverse

from commissioning.core import worklist
from commissioning.core.worklist import Task, TaskState, task_source
from commissioning.opportunities.tests.factories import commissioner_at, draft, published

pytestmark = pytest.mark.django_db


def plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture
def registry(monkeypatch):
    """The real registry (every stage's sources found) with room for the test's own; put back afterwards."""
    monkeypatch.setattr(worklist, "_SOURCES", list(worklist.task_sources()))
    return worklist._SOURCES


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("review:dashboard"))
    assert response.status_code == 200
    return plain(response.content.decode())


def _tasks_section(text: str) -> str:
    return text[text.index("Tasks due") : text.index("All your opportunities")]


def test_a_registered_source_adds_its_task_to_the_home_and_sees_only_the_users_opportunities(client, registry):
    viewer = commissioner_at()
    mine = published(viewer, lots=1)
    theirs = published(lots=1, title="Somebody else's tender")
    seen = []

    @task_source(stage="contracts")
    def contract_tasks(context):
        seen.extend(o.reference for o in context.opportunities)
        for opportunity in context.opportunities:
            yield Task(
                "Check the first monitoring return",
                f"/monitoring/{opportunity.reference}/",
                opportunity.reference,
                "contracts",
                about=opportunity.title,
            )

    tasks = _tasks_section(_home(client, viewer))
    assert "Check the first monitoring return" in tasks and f"{mine.reference}: {mine.title}" in tasks
    assert mine.reference in seen and theirs.reference not in seen
    # Without the source, the task is gone: it came from the registry, not from the page.
    registry.remove(next(s for s in registry if s.run is contract_tasks))
    assert "Check the first monitoring return" not in _home(client, viewer)


def test_a_next_step_is_shown_on_the_row_and_never_as_a_task_due(client, registry):
    viewer = commissioner_at()
    opportunity = draft(viewer, lots=1)

    def needs_tasks(context):
        for o in context.opportunities:
            yield Task("Read the needs assessment", "/needs/1/", o.reference, "needs", state=TaskState.NEXT_STEP)

    # Registered last, but from an app installed before opportunities: its step comes first.
    needs_tasks.__module__ = "commissioning.accounts.worklist"
    task_source(stage="needs")(needs_tasks)
    text = _home(client, viewer)
    assert "Read the needs assessment" not in _tasks_section(text)
    row = text[text.index(opportunity.title, text.index("All your opportunities")) :]
    # The first step of all the stages' is the one shown: the draft's own comes after it.
    assert "Read the needs assessment" in row and "Finish and publish the draft" not in row


def test_a_source_that_fails_makes_the_page_fail_rather_than_hide_a_stages_tasks(client, registry):
    viewer = commissioner_at()
    published(viewer, lots=1)

    @task_source(stage="contracts")
    def broken(context):
        raise RuntimeError("the returns could not be read")
        yield

    client.force_login(viewer)
    with pytest.raises(RuntimeError, match="returns could not be read"):
        client.get(reverse("review:dashboard"))
