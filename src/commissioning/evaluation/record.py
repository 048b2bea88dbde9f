"""The evaluation's part of the commissioning record's page: its status, the award per lot and the standstill.

The letters and lessons-learned surveys that follow are feedback's part (:mod:`commissioning.feedback.record`).
"""

from django.urls import reverse

from commissioning.core.formats import format_date
from commissioning.core.money import format_money
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.practice.checks import model_key
from commissioning.practice.selectors import rule_outcomes_for_many
from commissioning.records.sections import Part, Row, Section, record_section

from .models import Evaluation, EvaluationStatus, Outcome
from .selectors import standstill_countdown_for


def evaluations_in_record(record) -> list[Evaluation]:
    """The evaluations of ``record``'s opportunities, oldest opportunity first, with the awards prefetched.

    No access check: the caller has loaded ``record`` through ``record_get_for``.
    """
    return list(
        Evaluation.objects.filter(opportunity__record=record)
        .select_related("opportunity__lead_commissioner")
        .prefetch_related("opportunity__joint_commissioners", "decisions__lot", "decisions__organisation")
        .order_by("opportunity__created_at", "opportunity__pk")
    )


def _awards(evaluation: Evaluation) -> list[Row]:
    if evaluation.status != EvaluationStatus.AWARDED:
        return []
    rows = []
    for decision in evaluation.decisions.all():
        if decision.outcome == Outcome.AWARDED:
            rows.append(
                Row(
                    f"Lot {decision.lot.number}: {decision.lot.title}",
                    f"{decision.organisation.name}, {format_money(decision.amount)}",
                )
            )
    return rows or [Row("Award decision", "No lot was awarded")]


def _standstill(evaluation: Evaluation) -> list[Row]:
    countdown = standstill_countdown_for(evaluation=evaluation)
    words = {
        "none": "No standstill: the contract may be concluded",
        "awaiting_notice": f"Starts when the {countdown.get('notice', 'award notice')} is published",
    }
    if countdown["state"] in words:
        return [Row("Standstill", words[countdown["state"]])]
    if countdown["state"] == "running":
        return [Row("Standstill", f"Running: its last day is {format_date(countdown['last_day'])}")]
    if countdown["state"] == "ended":
        return [Row("Standstill", f"Ended on {format_date(countdown['last_day'])}: the contract may be concluded")]
    return []


def _part(evaluation: Evaluation, user, outcomes: list) -> Part:
    opportunity = evaluation.opportunity
    href = ""
    if is_commissioner_for(user, opportunity):
        href = reverse("evaluation:overview", args=[opportunity.reference])
    return Part(
        heading=f"{opportunity.reference}: {opportunity.title}",
        href=href,
        rows=[Row("Evaluation", evaluation.get_status_display()), *_awards(evaluation), *_standstill(evaluation)],
        outcomes=outcomes,
    )


@record_section(stage="procurement", order=30)
def evaluation(record, user) -> Section | None:
    """Each evaluation of the record's opportunities: where it stands, who was awarded each lot, the standstill.

    None until an evaluation of one of its opportunities has started.
    """
    found = evaluations_in_record(record)
    if not found:
        return None
    outcomes = rule_outcomes_for_many(objects=found)  # one query for them all
    return Section(
        heading="Evaluation and award",
        parts=[_part(e, user, outcomes.get((model_key(e), str(e.pk)), [])) for e in found],
    )
