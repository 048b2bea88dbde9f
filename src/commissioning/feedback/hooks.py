"""How feedback joins evaluation: the letters and surveys after the award, the letters' standstill, and
feedback's tasks on the evaluation overview (see :mod:`commissioning.evaluation.events`).

Registered once, from :meth:`commissioning.feedback.apps.FeedbackConfig.ready`.
"""

from django.db import transaction
from django.urls import reverse

from commissioning.evaluation import events
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.evaluation.progress import Step

from . import progress, selectors, services


def letters_and_surveys_after_award(evaluation: Evaluation) -> None:
    """Write the letters with the decision; send the surveys once it commits (the clock sends any missed)."""
    services.letters_write(actor=evaluation.decided_by, evaluation=evaluation)
    evaluation_id = evaluation.pk
    transaction.on_commit(lambda: services.surveys_send_after_award(evaluation_id))


def letters_after_standstill(evaluation: Evaluation) -> None:
    """Bring the unsent letters' standstill up to date once the award notice's publication is recorded."""
    services.letters_note_standstill(actor=evaluation.notice_recorded_by, evaluation=evaluation)


def feedback_tasks(evaluation: Evaluation) -> list[Step]:
    """The overview's letters and lessons-learned tasks, in the states the letters and lessons pages read."""
    reference = evaluation.opportunity.reference
    awarded = evaluation.status == EvaluationStatus.AWARDED
    letters = selectors.letters_for_commissioner(evaluation=evaluation) if awarded else []
    return [
        Step(
            "Send the letters",
            reverse("feedback:letters", args=[reference]),
            progress.letters_state(evaluation, letters),
            "Award and feedback letters, each due within the set working days of the decision (PR-10)",
        ),
        Step(
            "Survey answers and lessons learned",
            reverse("feedback:lessons", args=[reference]),
            progress.lessons_state(evaluation),
            "The survey goes to every bidder and every organisation that showed interest (PR-9)",
        ),
    ]


def register() -> None:
    """Put feedback's hooks into evaluation's registries (safe to call again)."""
    events.after_award.register(letters_and_surveys_after_award)
    events.after_standstill.register(letters_after_standstill)
    events.overview_tasks.register(feedback_tasks)
