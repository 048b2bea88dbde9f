"""The evaluation's part of the commissioning record's page: its status, the award per lot and the standstill.

Letters and lessons-learned surveys are shown here too, under the Code's
"Feedback and evaluation" stage, while they live in this app.
"""

from django.urls import reverse

from commissioning.core.formats import format_date
from commissioning.core.money import format_money
from commissioning.opportunities.workflow import is_commissioner_for
from commissioning.practice.selectors import rule_outcomes_for
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


def _part(evaluation: Evaluation, user) -> Part:
    opportunity = evaluation.opportunity
    href = ""
    if is_commissioner_for(user, opportunity):
        href = reverse("evaluation:overview", args=[opportunity.reference])
    return Part(
        heading=f"{opportunity.reference}: {opportunity.title}",
        href=href,
        rows=[Row("Evaluation", evaluation.get_status_display()), *_awards(evaluation), *_standstill(evaluation)],
        outcomes=rule_outcomes_for(obj=evaluation),
    )


@record_section(stage="procurement", order=30)
def evaluation(record, user) -> Section | None:
    """Each evaluation of the record's opportunities: where it stands, who was awarded each lot, the standstill.

    None until an evaluation of one of its opportunities has started.
    """
    found = evaluations_in_record(record)
    if not found:
        return None
    return Section(heading="Evaluation and award", parts=[_part(e, user) for e in found])


@record_section(stage="feedback", order=10)
def feedback(record, user) -> Section | None:
    """After an award: how many letters were written and sent, and how many surveys were answered.

    None until one of the record's opportunities is awarded.
    """
    awarded = [
        e
        for e in Evaluation.objects.filter(opportunity__record=record, status=EvaluationStatus.AWARDED)
        .select_related("opportunity")
        .prefetch_related("letters", "survey_invitations")
        .order_by("opportunity__created_at", "opportunity__pk")
    ]
    if not awarded:
        return None
    parts = []
    for e in awarded:
        letters = list(e.letters.all())
        surveys = list(e.survey_invitations.all())
        sent = sum(1 for letter in letters if letter.sent_at is not None)
        answered = sum(1 for survey in surveys if survey.answered_at is not None)
        is_theirs = is_commissioner_for(user, e.opportunity)
        parts.append(
            Part(
                heading=f"{e.opportunity.reference}: {e.opportunity.title}",
                rows=[
                    Row(
                        "Letters",
                        f"{sent} of {len(letters)} sent",
                        reverse("evaluation:letters", args=[e.opportunity.reference]) if is_theirs else "",
                    ),
                    Row(
                        "Lessons-learned surveys",
                        f"{answered} of {len(surveys)} answered",
                        reverse("evaluation:lessons", args=[e.opportunity.reference]) if is_theirs else "",
                    ),
                ],
            )
        )
    return Section(heading="Letters and lessons learned", parts=parts)
