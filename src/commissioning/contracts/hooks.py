"""How contracts joins evaluation: agreements drafted when a standstill ends, and the award's overview task.

Registered once, from :meth:`commissioning.contracts.apps.ContractsConfig.ready`
(see :mod:`commissioning.evaluation.events`). An award with no standstill (a
grant round's) has ended it at the decision, so its agreements are drafted
in the award's transaction; any other standstill is counted from the notice
and its agreements are drafted by the clock once it ends (or from the
award's agreements page, by the commissioner, from that moment).
"""

from django.urls import reverse

from commissioning.evaluation import events
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.evaluation.progress import CANNOT, Step, TaskState
from commissioning.evaluation.services import may_conclude_contract

from . import services
from .models import Agreement, AgreementStatus


def draft_when_standstill_over(evaluation: Evaluation) -> None:
    """Draft the agreements now if the standstill has already ended (none, or one counted in the past)."""
    if may_conclude_contract(evaluation):
        services.agreements_draft_from_award(actor=None, evaluation=evaluation)


def agreements_task(evaluation: Evaluation) -> list[Step]:
    """The overview's last task: the agreements, drafted once the standstill ends, issued and accepted."""
    if evaluation.status != EvaluationStatus.AWARDED:
        state = CANNOT
    elif not may_conclude_contract(evaluation):
        state = TaskState("cannot", "After the standstill")
    else:
        statuses = list(
            Agreement.objects.filter(opportunity_id=evaluation.opportunity_id).values_list("status", flat=True)
        )
        accepted = sum(1 for status in statuses if status == AgreementStatus.ACCEPTED)
        if statuses and accepted == len(statuses):
            state = TaskState("done", f"{accepted} accepted")
        else:
            state = TaskState("now", f"{accepted} of {len(statuses)} accepted" if statuses else "To draft")
    return [
        Step(
            "Agreements",
            reverse("contracts:award-agreements", args=[evaluation.opportunity.reference]),
            state,
            "Each successful bid becomes a draft agreement when the standstill ends",
        )
    ]


def register() -> None:
    """Put contracts' hooks into evaluation's registries (safe to call again)."""
    events.after_award.register(draft_when_standstill_over)
    events.after_standstill.register(draft_when_standstill_over)
    events.overview_tasks.register(agreements_task)
