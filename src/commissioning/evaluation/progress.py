"""Where each task of an evaluation stands, one function per task.

Each function reads the record the task's own page reads (the panel, the
moderated scores, the decision and its standstill) and nothing else, so the overview's task list and the page it links
to cannot disagree: a standstill that has ended reads "Ended" on both, and
They are plain functions of rows
already loaded and of the moment, so the caller decides what is read.

A state is one of "done", "now" (something to do, or under way) and "cannot"
(an earlier step comes first), with the words the task list shows.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from commissioning.core import clock
from commissioning.core.formats import format_date

from .models import Evaluation, EvaluationStatus
from .workflow import EVALUATION_WORKFLOW

CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class TaskState:
    """How one task stands: ``status`` is "done", "now" or "cannot"; ``text`` is what the list says."""

    status: str
    text: str


_CANNOT = TaskState("cannot", CANNOT_START)
CANNOT = _CANNOT  # for the tasks later stages add to the overview


@dataclass(frozen=True)
class Step:
    """One task on the evaluation overview: its title, its page, how it stands and a hint."""

    title: str
    href: str | None
    state: TaskState
    hint: str = ""

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def status_text(self) -> str:
        return self.state.text


def _reached(evaluation: Evaluation, status: str) -> bool:
    """Whether the evaluation has reached ``status`` or moved past it, as the workflow's table orders them."""
    return EVALUATION_WORKFLOW.reached(evaluation.status, status)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def standstill_running(evaluation: Evaluation, moment: datetime | None = None) -> bool:
    """Whether the award is decided and its standstill has not ended at ``moment`` (now when not given).

    The one test of "in standstill": the countdown page, the overview and the
    dashboard all ask it, and it is exactly "the contract may not be concluded yet".
    """
    if evaluation.status != EvaluationStatus.AWARDED or evaluation.standstill_ends is None:
        return False
    return (moment or clock.now()) < evaluation.standstill_ends


def panel_state(panel: Sequence) -> TaskState:
    """The panel: done once anyone is appointed."""
    return TaskState("done", f"{len(panel)} appointed") if panel else TaskState("now", "Not started")


def scoring_state(evaluation: Evaluation, panel: Sequence) -> TaskState:
    """Scoring: under way while the panel scores; done once the evaluation has moved to moderation."""
    if not panel:
        return _CANNOT
    submitted = sum(1 for p in panel if p.scores_submitted_at)
    return TaskState(
        "done" if _reached(evaluation, EvaluationStatus.MODERATION) else "now", f"{submitted} of {len(panel)} submitted"
    )


def moderation_state(evaluation: Evaluation, moderated: int, answers: int) -> TaskState:
    """Moderation: how many of the bids' answers have a consensus score, as the moderation page counts them."""
    if not _reached(evaluation, EvaluationStatus.MODERATION):
        return _CANNOT
    every = answers and moderated == answers
    return TaskState(
        "done" if _reached(evaluation, EvaluationStatus.RECOMMENDED) or every else "now",
        f"{moderated} of {answers} answers agreed",
    )


def prices_state(evaluation: Evaluation) -> TaskState:
    """The prices: open to clarify while at moderation (as the prices page allows), done after."""
    if not _reached(evaluation, EvaluationStatus.MODERATION):
        return _CANNOT
    if _reached(evaluation, EvaluationStatus.RECOMMENDED):
        return TaskState("done", "Done")
    return TaskState("now", "Open")


def results_state(evaluation: Evaluation) -> TaskState:
    """The results: readable from moderation on."""
    return TaskState("done", "Ready to view") if _reached(evaluation, EvaluationStatus.MODERATION) else _CANNOT


def recommendation_state(evaluation: Evaluation) -> TaskState:
    """The recommendation: to make at moderation; done once recommended."""
    if _reached(evaluation, EvaluationStatus.RECOMMENDED):
        return TaskState("done", "Recommended")
    return TaskState("now", "To do") if _reached(evaluation, EvaluationStatus.MODERATION) else _CANNOT


def approval_state(evaluation: Evaluation) -> TaskState:
    """The approval by a second commissioner: waited for once recommended; done once approved."""
    if _reached(evaluation, EvaluationStatus.APPROVED):
        return TaskState("done", "Approved")
    return TaskState("now", "Waiting for approval") if _reached(evaluation, EvaluationStatus.RECOMMENDED) else _CANNOT


def award_state(evaluation: Evaluation) -> TaskState:
    """The award decision: to make once approved; done once decided."""
    if _reached(evaluation, EvaluationStatus.AWARDED):
        return TaskState("done", "Awarded")
    return TaskState("now", "To do") if _reached(evaluation, EvaluationStatus.APPROVED) else _CANNOT


def standstill_state(evaluation: Evaluation, moment: datetime | None = None) -> TaskState:
    """The standstill: waiting for the award notice, running until the moment it ends (the countdown page's
    test), then ended."""
    if evaluation.awaiting_notice:
        return TaskState("now", "Not started: record the award notice")
    if evaluation.status != EvaluationStatus.AWARDED or evaluation.standstill_ends is None:
        return _CANNOT
    if standstill_running(evaluation, moment):
        # It ends at midnight at the start of the day after its last day: name that last day.
        last_day = clock.london(evaluation.standstill_ends - timedelta(microseconds=1)).date()
        return TaskState("now", f"Running until the end of {format_date(last_day)}")
    return TaskState("done", "Ended")
