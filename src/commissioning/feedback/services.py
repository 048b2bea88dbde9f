"""The only write path for feedback: letters written, brought up to date and sent; surveys sent and
answered; the lessons learned. Each function is atomic and audited.

- Letters are written at the award decision (one per bidder, rewritten while
  unsent), brought up to date when the award notice's publication is
  recorded, and sent once each: sending stamps who and when, e-mails the
  bidder's provider administrators and the person who submitted the bid a
  link, and is audited. Only a letter to a bid that was evaluated (it has a
  decision) can be sent.
- Surveys go once per organisation per evaluation, however often or
  concurrently sending runs; a survey takes one set of answers.
- After a send, an answer or a clock run, the PR-9, PR-10 and PR-11 outcomes
  are kept in step with their checks through
  :func:`commissioning.practice.services.rule_outcome_refresh`, which never
  writes over an explanation a commissioner has given.
"""

import logging
import secrets

from django.db import transaction

from commissioning.accounts.models import Organisation
from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.evaluation.models import Decision, Evaluation, EvaluationStatus
from commissioning.evaluation.services import EvaluationError
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.practice.models import RuleOutcome
from commissioning.practice.services import rule_outcome_refresh
from commissioning.submissions.models import SubmissionRecord

from . import notifications
from .checks import FEEDBACK_KINDS, feedback_standing, letter_sent_late
from .letters import feedback_due, letter_contents, standstill_content
from .models import Letter, LetterKind, SurveyAnswer, SurveyInvitation, SurveyRole
from .surveys import (
    MAX_LESSONS,
    SurveyError,
    WhyNot,
    organisations_due_a_survey,
    survey_get_by_token,
    survey_recipients,
    text_cleaned,
    token_digest,
)

logger = logging.getLogger(__name__)


def letters_write(*, actor, evaluation: Evaluation) -> list[Letter]:
    """Write (or rewrite, while unsent) one letter per bidder from the decisions and the results.

    Called inside the award's transaction (see :mod:`.hooks`), so the letters
    exist if and only if the decision does; ``actor`` is who made the decision,
    and one audit event says how many letters of each kind were written.
    """
    due = feedback_due(evaluation)
    written = []
    with transaction.atomic():
        for submission_id, kind, content in letter_contents(evaluation):
            letter, _ = Letter.objects.update_or_create(
                submission_id=submission_id,
                kind=kind,
                defaults={"evaluation": evaluation, "content": content, "written_at": clock.now(), "due_by": due},
            )
            written.append(letter)
        if written:
            kinds: dict[str, int] = {}
            for letter in written:
                kinds[letter.kind] = kinds.get(letter.kind, 0) + 1
            audit_record(
                actor=actor, verb="feedback.letters_write", obj=evaluation, after={"letters": kinds, "due_by": due}
            )
    return written


def letters_note_standstill(*, actor, evaluation: Evaluation) -> int:
    """Bring the unsent letters' standstill up to date (after the notice's publication is recorded).

    A sent letter keeps what it said, which stays true: the rule, counted from the
    notice's publication. ``actor`` is who recorded the notice; the change is
    audited with the standstill the letters now give. Returns how many letters changed.
    """
    standstill = standstill_content(evaluation)
    changed = 0
    with transaction.atomic():
        for letter in Letter.objects.select_for_update().filter(evaluation=evaluation, sent_at__isnull=True):
            letter.content = {**letter.content, **standstill}
            letter.save(update_fields=["content"])
            changed += 1
        if changed:
            audit_record(
                actor=actor,
                verb="feedback.letters_note_standstill",
                obj=evaluation,
                after={"letters": changed, **standstill},
            )
    return changed


def letter_recipients(letter: Letter) -> list[str]:
    """The bidder's active provider administrators and whoever submitted the bid that counts."""
    submission = letter.submission
    addresses = notifications.provider_administrators(submission.organisation)
    record = (
        SubmissionRecord.objects.filter(submission=submission, withdrawn_at__isnull=True)
        .select_related("submitted_by")
        .order_by("-number")
        .first()
    )
    if record is not None and record.submitted_by.is_active:
        addresses.add(record.submitted_by.email)
    return sorted(addresses)


def _require_commissioner(actor, evaluation: Evaluation) -> None:
    if not is_commissioner_for(actor, evaluation.opportunity):
        raise EvaluationError.on("", "Only a commissioner of this opportunity can send its letters")


def _send_locked(actor, letter: Letter) -> bool:
    """Send a letter already locked in the caller's transaction; False when it had been sent."""
    if not Decision.objects.filter(evaluation_id=letter.evaluation_id, submission_id=letter.submission_id).exists():
        raise EvaluationError.on("", "This bid was not evaluated: there is no letter to send")
    if letter.sent_at is not None:
        return False
    letter.sent_at = clock.now()
    letter.sent_by = actor
    letter.save(update_fields=["sent_at", "sent_by"])
    recipients = letter_recipients(letter)
    audit_record(
        actor=actor,
        verb="evaluation.letter_send",
        obj=letter,
        after={
            "kind": letter.kind,
            "organisation": letter.submission.organisation.name,
            "due_by": letter.due_by,
            "late": letter_sent_late(letter),
            "recipients": len(recipients),
        },
    )
    notifications.letter_sent(letter, recipients)
    return True


def _locked_evaluation(evaluation: Evaluation) -> Evaluation:
    locked = (
        Evaluation.objects.select_for_update(of=("self", "opportunity"))
        .select_related("opportunity")
        .get(pk=evaluation.pk)
    )
    if locked.status != EvaluationStatus.AWARDED:
        raise EvaluationError.on("", "Letters are sent after the award decision")
    return locked


def letter_send(*, actor, letter: Letter) -> Letter:
    """Send one letter (once): stamp who and when, e-mail the bidder a link, audit it."""
    _require_commissioner(actor, letter.evaluation)
    with transaction.atomic():
        evaluation = _locked_evaluation(letter.evaluation)
        locked = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("submission__organisation")
            .get(pk=letter.pk, evaluation=evaluation)
        )
        locked.evaluation = evaluation
        if _send_locked(actor, locked):
            rule_outcomes_refresh(actor=actor, evaluation=evaluation)
    return locked


def letters_send_all(*, actor, evaluation: Evaluation) -> list[Letter]:
    """Send every unsent letter of the evaluation to a bid that was evaluated; return those sent now."""
    _require_commissioner(actor, evaluation)
    with transaction.atomic():
        locked_evaluation = _locked_evaluation(evaluation)
        evaluated = Decision.objects.filter(evaluation=locked_evaluation).values("submission_id")
        letters = list(
            Letter.objects.select_for_update(of=("self",))
            .select_related("submission__organisation")
            .filter(evaluation=locked_evaluation, sent_at__isnull=True, submission_id__in=evaluated)
            .order_by("kind", "pk")
        )
        sent = []
        for letter in letters:
            letter.evaluation = locked_evaluation
            if _send_locked(actor, letter):
                sent.append(letter)
        if sent:
            rule_outcomes_refresh(actor=actor, evaluation=locked_evaluation)
    return sent


def rule_outcomes_refresh(*, actor, evaluation: Evaluation) -> list[RuleOutcome]:
    """Record PR-10 and PR-11 for an awarded evaluation once they are settled, when they change.

    PR-10 is settled when every feedback letter is sent, or when one is
    overdue or was sent late (not met, whatever follows). PR-11 is settled once
    an offer letter has been sent. Safe to repeat: an unchanged outcome, or
    one a commissioner has explained, is not recorded again.
    """
    if evaluation.status != EvaluationStatus.AWARDED:
        return []
    letters = list(evaluation.letters.all())
    recorded = []
    standing = feedback_standing(letters, clock.today())
    if any(letter.kind in FEEDBACK_KINDS for letter in letters) and (not standing.waiting or not standing.met):
        recorded.append(rule_outcome_refresh(actor=actor, rule_code="PR-10", obj=evaluation))
    if any(letter.kind == LetterKind.OFFER and letter.sent_at for letter in letters):
        recorded.append(rule_outcome_refresh(actor=actor, rule_code="PR-11", obj=evaluation))
    return [row for row in recorded if row is not None]


def surveys_send(*, actor=None, evaluation: Evaluation) -> int:
    """Send the lessons-learned survey to every organisation due one that has not had it; return how many.

    One invitation per organisation per evaluation (a unique constraint), each
    in its own transaction with its e-mail queued after it commits, so a
    second run, or two at once, sends nothing twice. Nothing is sent before
    the award decision. ``actor`` is None when the system sends them (after
    the award commits, and from the clock).
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
        recipients = survey_recipients(evaluation, organisation_id, role)
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
                actor=actor,
                verb="evaluation.survey_send",
                obj=evaluation,
                after={"organisation": names[organisation_id], "role": role, "recipients": len(recipients)},
            )
            notifications.survey_invitation(invitation, token)
        sent += 1
    rule_outcome_refresh(actor=actor, rule_code="PR-9", obj=evaluation)
    return sent


def surveys_send_after_award(evaluation_id: int) -> None:
    """Send the surveys for an evaluation just awarded; for ``transaction.on_commit`` after the decision.

    A failure here must not undo or hide the award: the clock sends whatever
    is still due on its next run.
    """
    try:
        surveys_send(evaluation=Evaluation.objects.get(pk=evaluation_id))
    except Exception:  # noqa: BLE001 - the clock retries; the award stands
        logger.exception("Sending the surveys for evaluation %s failed", evaluation_id)


def survey_answer_save(
    *,
    actor=None,
    token: str,
    rating: int | None,
    worked: str = "",
    improve: str = "",
    reasons: list[str] | None = None,
    reason_other: str = "",
) -> SurveyAnswer:
    """Take the answers to a survey, once. A bidder rates the process from 1 to 5; an organisation that did
    not bid says why (one or more reasons, or in its own words). Nothing is saved when anything is refused.
    ``actor`` is None: a survey is answered from its secret link, without signing in.
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
    worked = text_cleaned(errors, "worked", worked, "What worked")
    improve = text_cleaned(errors, "improve", improve, "What to improve")
    reason_other = text_cleaned(errors, "reason_other", reason_other, "Your reason")
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
            actor=actor,
            verb="evaluation.survey_answer",
            obj=invitation.evaluation,
            after={"organisation": invitation.organisation.name, "role": invitation.role},
        )
    return answer


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
