"""What contract management asks of a commissioner: agreements to issue, returns to review, payments due
or late, variations waiting for approval, performance to assess, shared returns to agree.

These tasks belong to agreements, not opportunities (an agreement made by
hand has none), so each carries its agreement's reference and the source
reads the user's own agreements, in four queries however many there are.
"""

from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from commissioning.accounts.permissions import commissioning_at
from commissioning.core.worklist import Task, TaskState, WorklistContext, task_source

from .assessments import next_due
from .models import Agreement, AgreementStatus, MonitoringReturn, Payment, ReturnStatus, Variation, VariationStatus
from .selectors import agreements_commissioned_at
from .sharing import proposals_for

STAGE = "contracts"
# Payments falling due within this many days are listed, so they can be paid on their day.
PAYMENTS_AHEAD_DAYS = 14


def _url(name: str, reference: str, fallback: str = "contracts:agreement") -> str:
    try:
        return reverse(name, args=[reference])
    except NoReverseMatch:
        return reverse(fallback, args=[reference])


def _mine(context: WorklistContext):
    # The user's own bodies' agreements, as a commissioner: an administrator is not given every body's tasks.
    return agreements_commissioned_at(commissioning_at(context.user)).order_by().values("pk")


@task_source(stage=STAGE)
def contract_tasks(context: WorklistContext) -> Iterator[Task]:
    """Drafts to check and issue; submitted returns to review; payments due soon or late; variations to decide."""
    mine = _mine(context)
    for agreement in Agreement.objects.filter(pk__in=mine, status=AgreementStatus.DRAFT).only(
        "reference", "title", "created_at"
    ):
        yield Task(
            "Check and issue the agreement",
            reverse("contracts:agreement-check", args=[agreement.reference]),
            agreement.reference,
            STAGE,
            state=TaskState.TO_DO,
            about=agreement.title,
        )
    for submitted in MonitoringReturn.objects.filter(agreement__in=mine, status=ReturnStatus.SUBMITTED).select_related(
        "agreement"
    ):
        reference = submitted.agreement.reference
        yield Task(
            f"Review return {submitted.number}",
            _url("contracts:agreement-returns", reference),
            reference,
            STAGE,
            due=submitted.submitted_at,
            state=TaskState.TO_DO,
            about=submitted.agreement.title,
        )
    terms = int(settings.CONTRACTS["payment_terms_days"])
    for payment in Payment.objects.filter(
        agreement__in=mine,
        agreement__status=AgreementStatus.ACCEPTED,
        paid_on__isnull=True,
        due_on__lte=context.today + timedelta(days=PAYMENTS_AHEAD_DAYS),
    ).select_related("agreement"):
        reference = payment.agreement.reference
        received = payment.invoice_received_on
        late = received is not None and context.today > received + timedelta(days=terms)
        due = received + timedelta(days=terms) if received else payment.due_on
        yield Task(
            f"Pay instalment {payment.number}" + (" (late)" if late else ""),
            _url("contracts:agreement-payments", reference),
            reference,
            STAGE,
            due=due,
            state=TaskState.OVERDUE if late or due < context.today else TaskState.TO_DO,
            about=payment.agreement.title,
        )
    for variation in (
        Variation.objects.filter(agreement__in=mine, status=VariationStatus.PROPOSED)
        .exclude(proposed_by=context.user)
        .select_related("agreement")
    ):
        reference = variation.agreement.reference
        yield Task(
            f"Decide on variation {variation.number}",
            _url("contracts:agreement-variations", reference),
            reference,
            STAGE,
            due=variation.proposed_at,
            state=TaskState.TO_DO,
            about=variation.agreement.title,
        )


@task_source(stage=STAGE)
def performance_and_sharing_tasks(context: WorklistContext) -> Iterator[Task]:
    """Performance assessments due within the set days or overdue (Procurement Act s71), and shared returns
    another funder proposes that one of the user's returns covers (CM-3), waiting for the user to agree."""
    mine = _mine(context)
    ahead = context.today + timedelta(days=int(settings.CONTRACTS["assessment_due_ahead_days"]))
    for agreement in Agreement.objects.filter(
        pk__in=mine, status=AgreementStatus.ACCEPTED, needs_performance_assessment=True
    ).prefetch_related("assessments"):
        due = next_due(agreement, list(agreement.assessments.all()))
        if due is None or due > ahead:
            continue
        yield Task(
            "Assess performance",
            _url("contracts:agreement-performance", agreement.reference),
            agreement.reference,
            STAGE,
            due=due,
            state=TaskState.OVERDUE if due < context.today else TaskState.TO_DO,
            about=agreement.title,
        )
    for proposal in proposals_for(user=context.user):
        covering = proposal.covered_by
        yield Task(
            f"Agree a shared return: your return {covering.number} for {proposal.agreement.reference}",
            reverse("contracts:return-shares", args=[covering.agreement.reference, covering.number]),
            covering.agreement.reference,
            STAGE,
            due=proposal.share_proposed_at,
            state=TaskState.TO_DO,
            about=f"{proposal.agreement.commissioner.name}: {proposal.agreement.title}",
        )
