"""Feedback's part of the commissioning record's page: after each award, the letters sent and the
lessons-learned surveys answered, under the Code's "Feedback and evaluation" stage."""

from django.urls import reverse

from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.records.sections import Part, Row, Section, record_section


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
                        reverse("feedback:letters", args=[e.opportunity.reference]) if is_theirs else "",
                    ),
                    Row(
                        "Lessons-learned surveys",
                        f"{answered} of {len(surveys)} answered",
                        reverse("feedback:lessons", args=[e.opportunity.reference]) if is_theirs else "",
                    ),
                ],
            )
        )
    return Section(heading="Letters and lessons learned", parts=parts)
