"""Sending the letters written at the award decision, and keeping the feedback rules' outcomes.

The commissioner reads each letter, then sends it, or every unsent one at
once. Sending stamps who and when, e-mails the bidder's provider
administrators and the person who submitted the bid a link, and is audited.
A letter is sent once: sending it again changes nothing and e-mails nobody.
Only a letter to a bid that was evaluated (it has a decision) can be sent.

After a send, and when the clock finds feedback overdue, the current PR-9,
PR-10 and PR-11 outcomes for the evaluation are recorded when they change,
so the annual review counts them; an explanation a commissioner has given
is never overwritten.
"""

from django.db import transaction

from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.practice.checks import rule_status
from commissioning.practice.models import Outcome, RuleOutcome
from commissioning.practice.services import rule_outcome_record
from commissioning.submissions.models import SubmissionRecord

from . import notifications
from .checks import FEEDBACK_KINDS, feedback_standing, letter_sent_late
from .models import Decision, Evaluation, EvaluationStatus, Letter, LetterKind
from .services import EvaluationError


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
    locked = Evaluation.objects.select_for_update().select_related("opportunity").get(pk=evaluation.pk)
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


def letters_send(*, actor, evaluation: Evaluation) -> list[Letter]:
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


def _record_if_changed(actor, code: str, evaluation: Evaluation) -> RuleOutcome | None:
    status = rule_status(evaluation, code)
    if status is None or status.outcome == Outcome.EXPLAINED:
        return None
    current = RuleOutcome.objects.filter(
        rule=status.rule,
        object_type="evaluation.evaluation",
        object_id=str(evaluation.pk),
        superseded_at__isnull=True,
    ).first()
    if current is not None and current.outcome == status.outcome:
        return None
    return rule_outcome_record(
        actor=actor, rule_code=code, obj=evaluation, outcome=status.outcome, detail=status.detail[:2000]
    )


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
        recorded.append(_record_if_changed(actor, "PR-10", evaluation))
    if any(letter.kind == LetterKind.OFFER and letter.sent_at for letter in letters):
        recorded.append(_record_if_changed(actor, "PR-11", evaluation))
    return [row for row in recorded if row is not None]
