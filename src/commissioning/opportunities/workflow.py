"""What can happen to an opportunity.

    draft ──publish──▶ published ──withdraw──▶ withdrawn
      │                  (open until the deadline, then closed: read from the clock)
      └──cancel──▶ cancelled

Publishing also passes the Code's gate (see ``services.opportunity_publish``);
the guards here are about the opportunity being complete and coherent.
Evaluation and award add their statuses in a later stage.
"""

from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.core import clock
from commissioning.core.transitions import Workflow, t

from .models import Kind
from .models import Status as S
from .rules import NOTICE_REQUIRED, lot_pricing_problems, weights


def is_commissioner_for(user, opportunity) -> bool:
    """The user is a commissioner at the lead or a joint commissioning body."""
    if not (user and getattr(user, "is_authenticated", False)):
        return False
    commissioning_at = {m.organisation_id for m in user.active_memberships if m.role == Role.COMMISSIONER}
    if not commissioning_at:
        return False
    if opportunity.lead_commissioner_id in commissioning_at:
        return True
    # Read from the prefetched joint commissioners when a selector loaded them; one small query otherwise.
    return any(body.pk in commissioning_at for body in opportunity.joint_commissioners.all())


def commissioning_body_of(user, opportunity):
    """The commissioning body ``user`` commissions ``opportunity`` for: the lead body first, or None.

    An explanation a commissioner gives for the opportunity is given for this
    body, and confirmed by another of its commissioners (or an administrator).
    """
    if not (user and getattr(user, "is_authenticated", False)):
        return None
    commissioning_at = {m.organisation_id for m in user.active_memberships if m.role == Role.COMMISSIONER}
    return next((body for body in opportunity.commissioners if body.pk in commissioning_at), None)


def _actor_commissions_it(opportunity, actor) -> str | None:
    if not is_commissioner_for(actor, opportunity):
        return "Only a commissioner of this opportunity's commissioning bodies can do this"
    return None


def timeline_problems(opportunity) -> list[str]:
    """Whether the dates after the deadline follow in order: award after the deadline, start after award."""
    problems = []
    deadline = opportunity.submission_deadline
    if deadline and opportunity.expected_award and opportunity.expected_award < clock.london(deadline).date():
        problems.append("The expected award date must be after the submission deadline")
    if (
        opportunity.expected_award
        and opportunity.service_start
        and opportunity.service_start < opportunity.expected_award
    ):
        problems.append("The service must start after the expected award date")
    return problems


def publication_problems(opportunity) -> list[str]:
    """Why the opportunity is not ready to publish, as sentences; empty when it is ready.

    These are facts, not Code rules: a deadline in the past or weights that do
    not add up to 100% cannot be explained away.
    """
    problems: list[str] = []
    now = clock.now()
    deadline, questions_close = opportunity.submission_deadline, opportunity.question_deadline
    if deadline is None:
        problems.append("Set the submission deadline")
    elif deadline <= now:
        problems.append("The submission deadline must be in the future")
    if questions_close is None:
        problems.append("Set the deadline for clarification questions")
    elif deadline is not None and questions_close >= deadline:
        problems.append("The deadline for questions must be before the submission deadline")
    elif questions_close <= now:
        problems.append("The deadline for questions must be in the future")
    if deadline and opportunity.expected_award and opportunity.expected_award < clock.london(deadline).date():
        problems.append("The expected award date must be after the submission deadline")
    if (
        opportunity.expected_award
        and opportunity.service_start
        and opportunity.service_start < opportunity.expected_award
    ):
        problems.append("The service must start after the expected award date")

    lots = list(opportunity.lots.all())
    if not lots:
        problems.append("Add at least one lot")
    total_lots = sum((lot.value for lot in lots), Decimal(0))
    if total_lots > opportunity.total_value:
        problems.append("The lots add up to more than the opportunity's total value")
    for lot in lots:
        problems.extend(lot_pricing_problems(lot, kind=opportunity.kind, price_weight=opportunity.price_weight))

    questions = list(opportunity.questions.all())
    if not questions:
        problems.append("Add at least one question")
    w = weights(opportunity, questions)
    if w.total != 100:
        problems.append(f"The weights add up to {w.total.normalize():f}%; they must add up to 100%")
    if opportunity.kind == Kind.GRANT and w.price:
        problems.append("A grant round does not score price: set the price weight to 0")
    if opportunity.regime in NOTICE_REQUIRED and not opportunity.find_a_tender_reference.strip():
        problems.append("Enter the Find a Tender notice reference, which the law requires for this regime")
    if not opportunity.city_wide and not opportunity.wards.exists():
        problems.append("Choose the wards the opportunity covers, or say it is city-wide")
    return problems


def _complete(opportunity, actor) -> str | None:
    problems = publication_problems(opportunity)
    return "; ".join(problems) if problems else None


def _reason_given(opportunity, actor) -> str | None:
    return None if (opportunity.status_reason or "").strip() else "Give a reason"


OPPORTUNITY_WORKFLOW = Workflow(
    name="opportunity",
    statuses=S,
    transitions=(
        t("publish", S.DRAFT, S.PUBLISHED, _actor_commissions_it, _complete),
        t("cancel", S.DRAFT, S.CANCELLED, _actor_commissions_it, _reason_given),
        t("withdraw", S.PUBLISHED, S.WITHDRAWN, _actor_commissions_it, _reason_given),
    ),
)
