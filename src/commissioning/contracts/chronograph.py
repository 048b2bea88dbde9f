"""Contracts' time-driven side effects, applied by the clock and safe to repeat."""

from datetime import datetime, timedelta

from commissioning.core.chronograph import clock_job
from commissioning.evaluation.models import Evaluation, EvaluationStatus, Outcome

from .services import agreements_draft_from_award


@clock_job("contracts.draft_agreements")
def draft_agreements(now: datetime) -> int:
    """Draft the agreements of awards whose standstill has ended in the last year and that have none yet."""
    ended = Evaluation.objects.filter(
        status=EvaluationStatus.AWARDED,
        standstill_ends__lte=now,
        standstill_ends__gte=now - timedelta(days=366),
        decisions__outcome=Outcome.AWARDED,
        decisions__agreement__isnull=True,
    ).distinct()
    return sum(
        len(agreements_draft_from_award(actor=None, evaluation=e, now=now)) for e in ended.select_related("opportunity")
    )
