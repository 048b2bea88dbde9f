"""The task registry: sources registered by stage, run in order, their tasks grouped by opportunity."""

from datetime import UTC, date, datetime, timedelta

import pytest

from commissioning.core import clock, worklist
from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source, tasks_for


@pytest.fixture
def only_these_sources(monkeypatch):
    """An empty registry for the test, as if no stage had registered anything; the real one is left as it was."""
    monkeypatch.setattr(worklist, "_SOURCES", [])
    monkeypatch.setattr(worklist, "_discovered", True)
    return worklist._SOURCES


def _context(**overrides) -> WorklistContext:
    now = clock.now()
    return WorklistContext(user=None, opportunities=[], now=now, today=clock.london(now).date(), **overrides)


def test_every_stage_registers_its_sources_in_the_cycles_order():
    stages = [source.stage for source in worklist.task_sources()]
    cycle = ["planning", "opportunities", "submissions", "evaluation", "feedback", "contracts"]
    # A stage may register several sources; they come together, and the stages in the cycle's order.
    assert list(dict.fromkeys(stages)) == cycle
    assert stages == sorted(stages, key=cycle.index)
    names = {source.name for source in worklist.task_sources()}
    assert "commissioning.evaluation.worklist.evaluation_tasks" in names


def test_sources_run_in_order_and_their_tasks_are_grouped_by_opportunity(only_these_sources):
    @task_source(stage="first")
    def first(context):
        yield Task("Answer a question", "/a/", "LCC-1", "first")
        yield Task("Finish the draft", "/b/", "LCC-2", "first", state=TaskState.NEXT_STEP)

    @task_source(stage="second")
    def second(context):
        yield Task("Open the bids", "/c/", "LCC-1", "second")

    found = tasks_for(_context())
    assert [t.title for t in found["LCC-1"]] == ["Answer a question", "Open the bids"]
    assert [t.stage for t in found["LCC-1"]] == ["first", "second"]
    assert [t.is_due for t in found["LCC-2"]] == [False]


def test_sources_run_in_the_order_their_apps_are_installed_whenever_they_were_imported(only_these_sources):
    def later(context):
        yield Task("Start the evaluation", "/e/", "LCC-1", "evaluation")

    def earlier(context):
        yield Task("Answer a question", "/q/", "LCC-1", "opportunities")

    later.__module__ = "commissioning.evaluation.worklist"
    earlier.__module__ = "commissioning.opportunities.worklist"
    task_source(stage="evaluation")(later)  # imported first, as a page that reads it directly would
    task_source(stage="opportunities")(earlier)
    assert [s.stage for s in worklist.task_sources()] == ["opportunities", "evaluation"]
    assert [t.title for t in tasks_for(_context())["LCC-1"]] == ["Answer a question", "Start the evaluation"]


def test_registering_a_function_again_replaces_it_rather_than_running_it_twice(only_these_sources):
    def make(title):
        def source(context):
            yield Task(title, "/", "LCC-1", "one")

        return source

    task_source(stage="one")(make("old"))
    task_source(stage="one")(make("new"))
    assert len(only_these_sources) == 1
    assert [t.title for t in tasks_for(_context())["LCC-1"]] == ["new"]


def test_a_source_that_fails_is_not_hidden(only_these_sources):
    @task_source(stage="broken")
    def broken(context):
        raise RuntimeError("the letters could not be read")
        yield  # a generator, as sources are

    with pytest.raises(RuntimeError, match="letters could not be read"):
        tasks_for(_context())


def test_rows_shared_between_readers_are_loaded_once():
    context = _context()
    loads = []

    def load():
        loads.append(1)
        return {"LCC-1": 3}

    assert context.shared("bids", load) == {"LCC-1": 3}
    assert context.shared("bids", load) == {"LCC-1": 3}
    assert len(loads) == 1


def test_a_tasks_day_is_read_in_london_and_overdue_comes_from_its_state():
    late_evening = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    task = Task("Send the letters", "/", "LCC-1", "evaluation", due=late_evening, state=TaskState.OVERDUE)
    assert task.due_day == date(2026, 7, 1)  # British Summer Time: already the next day in London
    assert task.overdue and task.is_due
    assert Task("x", "/", "LCC-1", "s", due=date(2026, 1, 2)).due_day == date(2026, 1, 2)
    assert not Task("x", "/", "LCC-1", "s", due=late_evening - timedelta(days=1)).overdue


def test_an_opportunitys_tasks_fall_due_in_order_whichever_stage_gives_them(only_these_sources):
    @task_source(stage="first")
    def first(context):
        yield Task("Read the lessons", "/a/", "LCC-1", "first", state=TaskState.NEXT_STEP)
        yield Task("Record the notice", "/b/", "LCC-1", "first")
        yield Task("Last day of the standstill", "/c/", "LCC-1", "first", due=date(2027, 3, 9))

    @task_source(stage="second")
    def second(context):
        yield Task("Send 2 letters", "/d/", "LCC-1", "second", due=date(2027, 3, 2))
        yield Task("Check the survey", "/e/", "LCC-1", "second")

    found = tasks_for(_context())
    assert [t.title for t in found["LCC-1"]] == [
        "Send 2 letters",  # the soonest day, though its stage comes later
        "Last day of the standstill",
        "Record the notice",  # no day: after the dated ones, in the sources' order
        "Check the survey",
        "Read the lessons",  # a next step waits on nobody, so it comes last
    ]
