"""Where feedback's tasks on the evaluation overview stand: the letters and the lessons learned.

Plain functions of rows already loaded and of the day, like
:mod:`commissioning.evaluation.progress`, so the overview and the letters
page cannot disagree: letters all sent read "All sent" on both.
"""

from collections.abc import Sequence
from datetime import date

from commissioning.core import clock
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.evaluation.progress import CANNOT, TaskState

from .checks import letter_overdue
from .models import Letter


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def letters_state(evaluation: Evaluation, letters: Sequence[Letter], today: date | None = None) -> TaskState:
    """The letters: how many of the letters the letters page lists are still to send (and overdue), or all sent."""
    if evaluation.status != EvaluationStatus.AWARDED:
        return CANNOT
    if not letters:
        return TaskState("done", "No letters")
    today = today or clock.today()
    unsent = [letter for letter in letters if letter.sent_at is None]
    if not unsent:
        return TaskState("done", "All sent")
    overdue = [letter for letter in unsent if letter_overdue(letter, today)]
    if overdue:
        return TaskState("now", f"{_plural(len(overdue), 'letter')} overdue")
    return TaskState("now", f"{_plural(len(unsent), 'letter')} to send")


def lessons_state(evaluation: Evaluation) -> TaskState:
    """The lessons learned: to write once the award is decided; done once written on the lessons page."""
    if evaluation.status != EvaluationStatus.AWARDED:
        return CANNOT
    return TaskState("done", "Written") if evaluation.lessons_learned.strip() else TaskState("now", "To do")
