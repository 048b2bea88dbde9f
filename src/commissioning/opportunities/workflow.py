"""What can happen to an opportunity.

    draft ──publish──▶ published ──withdraw──▶ withdrawn
      │                  (open until the deadline, then closed: read from the clock)
      └──cancel──▶ cancelled

Publishing also passes the Code's gate (see ``services.opportunity_publish``);
the guards here are about the opportunity being complete and coherent.

A published opportunity also has a stage, which says how far it has gone:
open, closed (past its deadline), opened (its submissions opened), in
evaluation, awarded. The later stages register how they are read
(:func:`stage_reader`), so this table never imports them. An awarded
opportunity cannot be withdrawn: the decision has been made and told.
"""

from collections.abc import Callable

from commissioning.audit.transitions import Workflow, t
from commissioning.core import clock

from .models import Kind
from .models import Status as S
from .permissions import is_commissioner_for
from .rules import NOTICE_REQUIRED, lot_pricing_problems, lot_value_problem, lots_total, weights, weights_problem


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


def _date_problems(opportunity) -> list[str]:
    """The deadlines in the future and in order; award after the deadline; service after the award."""
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
    award, start = opportunity.expected_award, opportunity.service_start
    if deadline and award and award < clock.london(deadline).date():
        problems.append("The expected award date must be after the submission deadline")
    if award and start and start < award:
        problems.append("The service must start after the expected award date")
    return problems


def _lot_problems(opportunity) -> list[str]:
    """At least one lot, together within the opportunity's value, each priced in a way its kind allows."""
    lots = list(opportunity.lots.all())
    problems = [] if lots else ["Add at least one lot"]
    if too_much := lot_value_problem(total_value=opportunity.total_value, lots_value=lots_total(lots)):
        problems.append(too_much)
    for lot in lots:
        problems.extend(lot_pricing_problems(lot, kind=opportunity.kind, price_weight=opportunity.price_weight))
    return problems


def _question_problems(opportunity) -> list[str]:
    """At least one question; weights that add up; no price weight in a grant round."""
    questions = list(opportunity.questions.all())
    problems = [] if questions else ["Add at least one question"]
    w = weights(opportunity, questions)
    if unbalanced := weights_problem(w):
        problems.append(unbalanced)
    if opportunity.kind == Kind.GRANT and w.price:
        problems.append("A grant round does not score price: set the price weight to 0")
    return problems


def publication_problems(opportunity) -> list[str]:
    """Why the opportunity is not ready to publish, as sentences; empty when it is ready.

    These are facts, not Code rules: a deadline in the past or weights that do
    not add up to 100% cannot be explained away.
    """
    problems = [*_date_problems(opportunity), *_lot_problems(opportunity), *_question_problems(opportunity)]
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


# How far a published opportunity has gone, in order; a later stage never goes back to an earlier one.
STAGES = ("open", "closed", "opened", "in_evaluation", "awarded")
_stage_readers: list[Callable] = []


def stage_reader(reader: Callable) -> Callable:
    """Register ``reader(opportunity)``: the later stage it has reached (one of ``STAGES``), or None."""
    _stage_readers.append(reader)
    return reader


def stage_of(opportunity) -> str:
    """Where the opportunity stands: its status while draft, cancelled or withdrawn, else its stage."""
    if opportunity.status != S.PUBLISHED:
        return opportunity.status
    reached = "open" if opportunity.is_open else "closed"
    for reader in _stage_readers:
        found = reader(opportunity)
        if found and STAGES.index(found) > STAGES.index(reached):
            reached = found
    return reached


def _not_awarded(opportunity, actor) -> str | None:
    if stage_of(opportunity) == "awarded":
        return "An awarded opportunity cannot be withdrawn: the award decision has been made"
    return None


# What a page asks for before a move (a reason, the details to publish), rather than whether the move is there.
_ASKED_ON_THE_PAGE = {_reason_given, _complete}


def moves_offered(opportunity, actor) -> set[str]:
    """The moves the table allows ``actor`` now, judged by every guard but what the move's page asks for.

    A page offers a move only when it is here, so no page offers what the
    workflow would refuse (withdrawing an award, cancelling what is published).
    """
    offered = set()
    for move in OPPORTUNITY_WORKFLOW.moves_from(opportunity.status):
        if not any(guard(opportunity, actor) for guard in move.guards if guard not in _ASKED_ON_THE_PAGE):
            offered.add(move.name)
    return offered


OPPORTUNITY_WORKFLOW = Workflow(
    name="opportunity",
    statuses=S,
    transitions=(
        t("publish", S.DRAFT, S.PUBLISHED, _actor_commissions_it, _complete),
        t("cancel", S.DRAFT, S.CANCELLED, _actor_commissions_it, _reason_given),
        t("withdraw", S.PUBLISHED, S.WITHDRAWN, _actor_commissions_it, _not_awarded, _reason_given),
    ),
)
