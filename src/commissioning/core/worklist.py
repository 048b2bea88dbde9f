"""What waits on a person, gathered from every stage: the task registry.

Each stage says what it asks of a commissioner in its own ``worklist.py``,
with a function decorated by :func:`task_source`. Given a
:class:`WorklistContext` (the person, the opportunities to look at, the time)
it yields :class:`Task` items. The cross-stage pages ask :func:`tasks_for`,
which imports those modules on first use and runs every source in the order
of ``INSTALLED_APPS`` (the cycle's order), so a stage adds its tasks without
the pages knowing it.

A task with the state ``NEXT_STEP`` is not waiting on anyone yet (a draft to
finish, a colleague's approval to wait for): it is shown as an opportunity's
next step and never in the list of tasks due.

A source that fails is not hidden: its error reaches the page, as any read's
would, rather than a task list that silently lacks a stage's tasks.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

from . import clock


class TaskState(StrEnum):
    """Where a task stands: due, past its day, or only the next step (not a task yet)."""

    TO_DO = "to_do"
    OVERDUE = "overdue"
    NEXT_STEP = "next_step"


@dataclass(frozen=True)
class Task:
    """Something to do about one opportunity: what, on which page, by when, and for which stage."""

    title: str
    url: str
    reference: str
    stage: str
    due: date | datetime | None = None
    state: TaskState = TaskState.TO_DO
    about: str = ""  # the opportunity's title, for the list of tasks

    @property
    def overdue(self) -> bool:
        return self.state == TaskState.OVERDUE

    @property
    def is_due(self) -> bool:
        """Whether this waits on the person (it belongs in the list of tasks due), not only a next step."""
        return self.state != TaskState.NEXT_STEP

    @property
    def due_day(self) -> date | None:
        """The day it is due, in London."""
        if isinstance(self.due, datetime):
            return clock.london(self.due).date()
        return self.due


@dataclass
class WorklistContext:
    """What a source is given: the person, the opportunities to look at, and the moment.

    Each opportunity carries ``stage``, its stage on the commissioner's
    dashboard at ``now`` (draft, open, closed, an evaluation status, standstill,
    awarded or ended). Sources read in bulk for all the opportunities, never
    one by one; rows more than one reader needs are loaded once with
    :meth:`shared`.
    """

    user: Any
    opportunities: list[Any]
    now: datetime
    today: date
    _shared: dict[str, Any] = field(default_factory=dict, repr=False)

    def shared(self, key: str, load: Callable[[], Any]) -> Any:
        """``load()``'s result, loaded the first time ``key`` is asked for and kept for the other readers."""
        if key not in self._shared:
            self._shared[key] = load()
        return self._shared[key]


TaskSourceFunction = Callable[[WorklistContext], Iterable[Task]]


@dataclass(frozen=True)
class TaskSource:
    """A registered source: the stage it speaks for and the function that yields its tasks."""

    stage: str
    name: str
    run: TaskSourceFunction


_SOURCES: list[TaskSource] = []
_discovered = False


def task_source(*, stage: str) -> Callable[[TaskSourceFunction], TaskSourceFunction]:
    """Register a function as a source of tasks for ``stage``; registering the same function again replaces it."""

    def register(function: TaskSourceFunction) -> TaskSourceFunction:
        name = f"{function.__module__}.{function.__qualname__}"
        source = TaskSource(stage=stage, name=name, run=function)
        for index, known in enumerate(_SOURCES):
            if known.name == name:
                _SOURCES[index] = source
                break
        else:
            _SOURCES.append(source)
        return function

    return register


def _app_position(source: TaskSource) -> int:
    """Where the source's app stands in ``INSTALLED_APPS``; a source outside every app comes after them all."""
    order = [config.name for config in apps.get_app_configs()]
    config = apps.get_containing_app_config(source.run.__module__)
    return order.index(config.name) if config is not None else len(order)


def task_sources() -> list[TaskSource]:
    """Every registered source, in the order the stages' apps are installed (the cycle's order).

    The order comes from ``INSTALLED_APPS``, not from when a module happened
    to be imported; sources of the same app keep the order they were registered in.
    """
    global _discovered
    if not _discovered:
        autodiscover_modules("worklist")
        _discovered = True
    return sorted(_SOURCES, key=_app_position)


def tasks_for(context: WorklistContext) -> dict[str, list[Task]]:
    """Every source's tasks for the context's opportunities, by opportunity reference.

    Within one opportunity the tasks are in the order they fall due: those
    with a day, soonest first, then those without, then the next steps that
    wait on nobody; tasks alike in that keep their sources' order. So the
    first task is the opportunity's next step whichever stage it comes from
    (letters due tomorrow come before recording a notice, whatever the order
    of the stages). An error in a source is raised, not swallowed.
    """
    by_reference: dict[str, list[Task]] = {}
    for source in task_sources():
        for task in source.run(context):
            by_reference.setdefault(task.reference, []).append(task)
    return {reference: sorted(tasks, key=_falling_due) for reference, tasks in by_reference.items()}


def _falling_due(task: Task) -> tuple[bool, bool, date]:
    day = task.due_day
    return (not task.is_due, day is None, day or date.max)
