"""Feedback's time-driven side effects, run by ``manage.py clock``.

Both jobs are safe to run again at any moment: surveys are sent once per
organisation (a unique invitation each), and a rule outcome is recorded only
when it changes.
"""

from datetime import datetime, timedelta

from commissioning.core import clock
from commissioning.core.chronograph import clock_job
from commissioning.evaluation.models import Evaluation, EvaluationStatus

from .models import Letter
from .services import rule_outcomes_refresh, surveys_send
from .surveys import surveys_due


@clock_job("feedback.surveys")
def lessons_surveys(now: datetime) -> int:
    """E-mail the lessons-learned survey to bidders and interested non-bidders after an award (once each)."""
    return sum(surveys_send(evaluation=evaluation) for evaluation in surveys_due(now))


@clock_job("feedback.feedback_overdue")
def feedback_overdue(now: datetime) -> int:
    """Record PR-10 as not met for evaluations whose feedback letters are unsent after their due day."""
    today = clock.london(now).date()
    overdue = (
        Letter.objects.filter(
            sent_at__isnull=True,
            due_by__lt=today,
            due_by__gte=today - timedelta(days=365),
            evaluation__status=EvaluationStatus.AWARDED,
        )
        .values_list("evaluation_id", flat=True)
        .distinct()
    )
    recorded = 0
    for evaluation in Evaluation.objects.filter(pk__in=list(overdue)).select_related("opportunity"):
        recorded += len(rule_outcomes_refresh(actor=None, evaluation=evaluation))
    return recorded
