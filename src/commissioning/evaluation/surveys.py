"""Lessons learned (PR-9): a short survey after the award, the answers, and the commissioner's summary.

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
import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import TextChoices

from commissioning.accounts.models import Membership, Organisation, OrganisationStatus, Role
from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.opportunities.models import Interest
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.practice.checks import rule_status
from commissioning.practice.models import Outcome, RuleOutcome
from commissioning.practice.services import rule_outcome_record

from . import notifications
from .models import (
    Decision,
    Evaluation,
    EvaluationStatus,
    SurveyAnswer,
    SurveyInvitation,
    SurveyRole,
)
from .models import (
    Outcome as DecisionOutcome,
)

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


def _survey_recipients(evaluation: Evaluation, organisation_id: int, role: str) -> list[str]:
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


def surveys_send(*, evaluation: Evaluation) -> int:
    """Send the lessons-learned survey to every organisation due one that has not had it; return how many.

    One invitation per organisation per evaluation (a unique constraint), each
    in its own transaction with its e-mail queued after it commits, so a
    second run, or two at once, sends nothing twice. Nothing is sent before
    the award decision.
    """
    evaluation = Evaluation.objects.select_related("opportunity").get(pk=evaluation.pk)
    due = organisations_due_a_survey(evaluation)
    if not due:
        return 0
    done = set(SurveyInvitation.objects.filter(evaluation=evaluation).values_list("organisation_id", flat=True))
    names = dict(Organisation.objects.filter(pk__in=due).values_list("pk", "name"))
    sent = 0
    for organisation_id, role in sorted(due.items(), key=lambda item: names[item[0]]):
        if organisation_id in done:
            continue
        token = secrets.token_urlsafe(32)
        recipients = _survey_recipients(evaluation, organisation_id, role)
        with transaction.atomic():
            invitation, created = SurveyInvitation.objects.get_or_create(
                evaluation=evaluation,
                organisation_id=organisation_id,
                defaults={
                    "role": role,
                    "token_digest": token_digest(token),
                    "recipients": recipients,
                    "sent_at": clock.now(),
                },
            )
            if not created:
                continue
            audit_record(
                actor=None,
                verb="evaluation.survey_send",
                obj=evaluation,
                after={"organisation": names[organisation_id], "role": role, "recipients": len(recipients)},
            )
            notifications.survey_invitation(invitation, token)
        sent += 1
    _record_pr9(evaluation)
    return sent


def _record_pr9(evaluation: Evaluation) -> None:
    """Record PR-9 for the evaluation when its standing changes (never over an explanation)."""
    status = rule_status(evaluation, "PR-9")
    if status is None or status.outcome == Outcome.EXPLAINED:
        return
    current = RuleOutcome.objects.filter(
        rule=status.rule, object_type="evaluation.evaluation", object_id=str(evaluation.pk), superseded_at__isnull=True
    ).first()
    if current is None or current.outcome != status.outcome:
        rule_outcome_record(
            actor=None, rule_code="PR-9", obj=evaluation, outcome=status.outcome, detail=status.detail[:2000]
        )


def surveys_send_after_award(evaluation_id: int) -> None:
    """Send the surveys for an evaluation just awarded; for ``transaction.on_commit`` after the decision.

    A failure here must not undo or hide the award: the clock sends whatever
    is still due on its next run.
    """
    try:
        surveys_send(evaluation=Evaluation.objects.get(pk=evaluation_id))
    except Exception:  # noqa: BLE001 - the clock retries; the award stands
        logging.getLogger(__name__).exception("Sending the surveys for evaluation %s failed", evaluation_id)


def survey_get_by_token(token: str) -> SurveyInvitation | None:
    """The invitation a secret link belongs to, or None for a link that is wrong."""
    if not token or len(token) > 100:
        return None
    return (
        SurveyInvitation.objects.select_related("evaluation__opportunity", "organisation")
        .filter(token_digest=token_digest(token))
        .first()
    )


def _text(errors: dict, name: str, value: str | None, label: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        errors.setdefault(name, []).append(f"{label} must be {MAX_TEXT} characters or fewer")
    return value


def survey_answer(
    *,
    token: str,
    rating: int | None,
    worked: str = "",
    improve: str = "",
    reasons: list[str] | None = None,
    reason_other: str = "",
) -> SurveyAnswer:
    """Take the answers to a survey, once. A bidder rates the process from 1 to 5; an organisation that did
    not bid says why (one or more reasons, or in its own words). Nothing is saved when anything is refused.
    """
    invitation = survey_get_by_token(token)
    if invitation is None:
        raise SurveyError.on("", "This survey link is not recognised")
    interested = invitation.role == SurveyRole.INTERESTED
    errors: dict[str, list[str]] = {}
    if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5):
        errors["rating"] = ["Choose a rating from 1 to 5"]
    elif rating is None and not interested:
        errors["rating"] = ["Choose how the process was, from 1 (very poor) to 5 (very good)"]
    worked = _text(errors, "worked", worked, "What worked")
    improve = _text(errors, "improve", improve, "What to improve")
    reason_other = _text(errors, "reason_other", reason_other, "Your reason")
    chosen = list(dict.fromkeys(reasons or []))
    if interested:
        if set(chosen) - set(WhyNot.values):
            errors["reasons"] = ["Choose reasons from the list"]
        elif not chosen and not reason_other:
            errors["reasons"] = ["Choose at least one reason you did not bid, or give your own"]
        elif WhyNot.OTHER in chosen and not reason_other:
            errors["reason_other"] = ["Say what the other reason was"]
    else:
        chosen, reason_other = [], ""
    if errors:
        raise SurveyError(errors)
    with transaction.atomic():
        locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.answered_at is not None:
            raise SurveyError.on("", "This survey has already been answered. Thank you.")
        now = clock.now()
        answer = SurveyAnswer.objects.create(
            invitation=locked,
            rating=rating,
            worked=worked,
            improve=improve,
            reasons=chosen,
            reason_other=reason_other,
            answered_at=now,
        )
        locked.answered_at = now
        locked.save(update_fields=["answered_at"])
        audit_record(
            actor=None,
            verb="evaluation.survey_answer",
            obj=invitation.evaluation,
            after={"organisation": invitation.organisation.name, "role": invitation.role},
        )
    return answer


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


def lessons_learned_save(*, actor, evaluation: Evaluation, text: str) -> Evaluation:
    """Write the opportunity's lessons-learned summary, after the award decision; audited with the text
    before and after. Only a commissioner of the opportunity may."""
    if not is_commissioner_for(actor, evaluation.opportunity):
        raise SurveyError.on("", "Only a commissioner of this opportunity can write its lessons learned")
    text = (text or "").strip()
    if not text:
        raise SurveyError.on("lessons_learned", "Write the lessons learned")
    if len(text) > MAX_LESSONS:
        raise SurveyError.on("lessons_learned", f"The lessons learned must be {MAX_LESSONS} characters or fewer")
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.status != EvaluationStatus.AWARDED:
            raise SurveyError.on("", "Lessons learned are written after the award decision")
        before = locked.lessons_learned
        if before == text:
            return locked
        locked.lessons_learned = text
        locked.save(update_fields=["lessons_learned"])
        audit_record(
            actor=actor,
            verb="evaluation.lessons_learned",
            obj=locked,
            before={"lessons_learned": before},
            after={"lessons_learned": text},
        )
    return locked


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
