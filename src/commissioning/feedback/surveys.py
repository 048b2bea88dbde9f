"""Lessons learned (PR-9): who is due a survey, its link, and the answers gathered; the writes are services.

After the award decision each successful and unsuccessful bidder, and each
organisation that registered interest but did not bid, gets one survey by
e-mail. Sending happens once the award commits and again from the clock, and
is idempotent: one invitation per organisation per evaluation, however often
or concurrently it runs.

Each invitation has a secret link; only its SHA-256 digest is stored, as for
API tokens. The link opens the survey without signing in and takes one set
of answers. The commissioner reads the answers gathered for the opportunity
and writes the lessons-learned summary.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import TextChoices

from commissioning.accounts.models import Membership, OrganisationStatus, Role
from commissioning.core.errors import RefusedError
from commissioning.evaluation.models import Decision, Evaluation, EvaluationStatus
from commissioning.evaluation.models import Outcome as DecisionOutcome
from commissioning.opportunities.models import Interest

from .models import SurveyAnswer, SurveyInvitation, SurveyRole

MAX_TEXT = 3000
MAX_LESSONS = 10000
BIDDER_ROLES = (SurveyRole.SUCCESSFUL, SurveyRole.UNSUCCESSFUL)
GROUP_HEADINGS = {
    SurveyRole.SUCCESSFUL: "Successful bidders",
    SurveyRole.UNSUCCESSFUL: "Unsuccessful bidders",
    SurveyRole.INTERESTED: "Organisations that registered interest but did not bid",
}
RATINGS = {
    1: "Very poor",
    2: "Poor",
    3: "Neither good nor poor",
    4: "Good",
    5: "Very good",
}


class WhyNot(TextChoices):
    """Why an organisation that showed interest did not bid: the reasons providers give most."""

    SIZE = "size", "The contract or grant was too large or too small for us"
    TIME = "time", "There was not enough time to prepare a bid"
    DOCUMENTS = "documents", "The questions and documents asked for too much"
    CAPACITY = "capacity", "We did not have the people or skills to bid at the time"
    PARTNERS = "partners", "We could not find partners for a consortium"
    PRICE = "price", "The price or funding would not cover the cost of delivery"
    TERMS = "terms", "The terms, risks or requirements were not acceptable"
    FIT = "fit", "It was not a good fit for our organisation"
    OTHER = "other", "Another reason"


class SurveyError(RefusedError):
    """A survey answer or lessons-learned summary that is refused, with the reason per field."""


def token_digest(token: str) -> str:
    """The SHA-256 digest a survey's secret is stored as."""
    return hashlib.sha256(token.encode()).hexdigest()


def organisations_due(evaluations: list[Evaluation]) -> dict[int, dict[int, str]]:
    """For each awarded evaluation (by id), the organisations due a survey (by id) with their role: the
    bidders with a decision (successful if any lot was awarded to it) and the verified organisations that
    registered interest but made no counted bid. Organisations that are not verified (suspended, say) are
    left out. Two queries, however many evaluations."""
    awarded = [e for e in evaluations if e.status == EvaluationStatus.AWARDED]
    due: dict[int, dict[int, str]] = {e.pk: {} for e in awarded}
    if not awarded:
        return due
    decisions = Decision.objects.filter(
        evaluation__in=awarded, organisation__status=OrganisationStatus.VERIFIED
    ).values_list("evaluation_id", "organisation_id", "outcome")
    for evaluation_id, organisation_id, outcome in decisions:
        mine = due[evaluation_id]
        if outcome == DecisionOutcome.AWARDED:
            mine[organisation_id] = SurveyRole.SUCCESSFUL
        else:
            mine.setdefault(organisation_id, SurveyRole.UNSUCCESSFUL)
    by_opportunity = {e.opportunity_id: e.pk for e in awarded}
    interested = Interest.objects.filter(
        opportunity_id__in=by_opportunity, organisation__status=OrganisationStatus.VERIFIED
    ).values_list("opportunity_id", "organisation_id")
    for opportunity_id, organisation_id in interested:
        due[by_opportunity[opportunity_id]].setdefault(organisation_id, SurveyRole.INTERESTED)
    return due


def organisations_due_a_survey(evaluation: Evaluation) -> dict[int, str]:
    """The organisations due a survey about one evaluation, with their roles (see :func:`organisations_due`)."""
    return organisations_due([evaluation]).get(evaluation.pk, {})


def survey_recipients(evaluation: Evaluation, organisation_id: int, role: str) -> list[str]:
    """The organisation's provider administrators, and the person who bid or registered interest."""
    addresses = set(
        Membership.objects.filter(organisation_id=organisation_id, role=Role.PROVIDER_ADMIN, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )
    if role == SurveyRole.INTERESTED:
        interest = (
            Interest.objects.filter(opportunity_id=evaluation.opportunity_id, organisation_id=organisation_id)
            .select_related("registered_by")
            .first()
        )
        if interest is not None and interest.registered_by.is_active:
            addresses.add(interest.registered_by.email)
    return sorted(addresses)


def survey_get_by_token(token: str) -> SurveyInvitation | None:
    """The invitation a secret link belongs to, or None for a link that is wrong."""
    if not token or len(token) > 100:
        return None
    return (
        SurveyInvitation.objects.select_related("evaluation__opportunity", "organisation")
        .filter(token_digest=token_digest(token))
        .first()
    )


def text_cleaned(errors: dict, name: str, value: str | None, label: str) -> str:
    """A survey answer's text, trimmed; too long adds the field's error to ``errors``."""
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        errors.setdefault(name, []).append(f"{label} must be {MAX_TEXT} characters or fewer")
    return value


@dataclass(frozen=True)
class RoleAnswers:
    """The answers from one kind of respondent: successful, unsuccessful, or interested but did not bid."""

    role: str
    label: str
    invited: int
    answers: list[SurveyAnswer]
    average_rating: Decimal | None
    reasons: list[tuple[str, int]]  # (label, how many chose it), most chosen first


@dataclass(frozen=True)
class SurveyResults:
    invited: int
    answered: int
    groups: list[RoleAnswers]


def _average(ratings: list[int]) -> Decimal | None:
    if not ratings:
        return None
    return (Decimal(sum(ratings)) / len(ratings)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def survey_results(evaluation: Evaluation) -> SurveyResults:
    """The answers gathered for an evaluation, by kind of respondent, with averages and reason counts.

    No access check: for pages that loaded the evaluation through a checked selector. Two queries.
    """
    invitations = list(
        SurveyInvitation.objects.filter(evaluation=evaluation)
        .select_related("organisation", "answer")
        .order_by("role", "organisation__name")
    )
    labels = dict(WhyNot.choices)
    groups = []
    for role in SurveyRole:
        mine = [i for i in invitations if i.role == role]
        answers = [i.answer for i in mine if i.answered_at is not None and hasattr(i, "answer")]
        counted = Counter(reason for answer in answers for reason in answer.reasons)
        groups.append(
            RoleAnswers(
                role=role.value,
                label=GROUP_HEADINGS[role],
                invited=len(mine),
                answers=answers,
                average_rating=_average([a.rating for a in answers if a.rating is not None]),
                reasons=[(labels.get(code, code), count) for code, count in counted.most_common()],
            )
        )
    return SurveyResults(
        invited=len(invitations),
        answered=sum(1 for i in invitations if i.answered_at is not None),
        groups=groups,
    )


def surveys_due(now: datetime) -> list[Evaluation]:
    """Evaluations awarded in the last 120 days with an organisation still due a survey (for the clock).

    The window is well past the longest time PR-9 allows for sending (60
    working days), so a run never reads every evaluation there has ever been.
    """
    recent = Evaluation.objects.filter(
        status=EvaluationStatus.AWARDED, decided_at__lte=now, decided_at__gte=now - timedelta(days=120)
    ).select_related("opportunity")
    out = []
    for evaluation in recent:
        due = organisations_due_a_survey(evaluation)
        done = set(evaluation.survey_invitations.values_list("organisation_id", flat=True))
        if set(due) - done:
            out.append(evaluation)
    return out
