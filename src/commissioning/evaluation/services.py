"""The only write path for evaluation: panel, conflicts, scores, moderation, recommendation, award.

Every function is atomic and audited, and refuses with a sentence that says
why: a score off the scale, a missing justification, a conflicted evaluator,
approval by the person who recommended, a second award. Status moves go
through the evaluation's transitions table.
"""

import re
from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.audit.services import audit_record
from commissioning.audit.transitions import TransitionError, transition
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.formats import format_datetime
from commissioning.core.workdays import closure_days
from commissioning.opportunities.models import Lot, Opportunity, Question, StandstillRule
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.planning.services import plan_mark_awarded
from commissioning.submissions.models import Opening, Submission

from . import events, scoring
from .models import (
    ConflictDeclaration,
    Decision,
    Evaluation,
    EvaluationStatus,
    ModeratedScore,
    Outcome,
    Panelist,
    PriceClarification,
    ScaleLevel,
    Score,
)
from .permissions import may_sit_on_panel
from .selectors import bids_for, results_for
from .selectors import may_conclude_contract as may_conclude_contract  # the pages and the contracts stage ask here
from .standstill import standstill_ends
from .workflow import EVALUATION_WORKFLOW


class EvaluationError(RefusedError):
    """A step of evaluation or award that is refused, with the reason per field."""


def standstill_rule_for(regime: str) -> StandstillRule | None:
    """The regime's standstill rule (how many working days, from which day, after which notice), or None."""
    return StandstillRule.objects.filter(regime=regime).first()


def standstill_days_for(regime: str) -> int:
    """The standstill, in working days, that the regime's rule sets (0 when it has none)."""
    rule = standstill_rule_for(regime)
    return rule.working_days if rule else 0


def _require_commissioner(actor, opportunity: Opportunity) -> None:
    if not is_commissioner_for(actor, opportunity):
        raise EvaluationError.on("", "Only a commissioner of this opportunity can do this")


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self", "opportunity"))
        .select_related("opportunity")
        .get(pk=evaluation.pk)
    )


def _require_status(evaluation: Evaluation, *statuses: str) -> None:
    if evaluation.status not in statuses:
        raise EvaluationError.on(
            "", f"This cannot be done while the evaluation is at {evaluation.get_status_display().lower()}"
        )


def _moved(callable_, *args, **kwargs):
    try:
        return callable_(*args, **kwargs)
    except TransitionError as exc:
        raise EvaluationError({"": exc.messages}) from exc


def evaluation_start(*, actor, opportunity: Opportunity) -> Evaluation:
    """Start evaluating an opportunity whose submissions are opened; the scale is fixed as published now."""
    _require_commissioner(actor, opportunity)
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        existing = Evaluation.objects.filter(opportunity=locked).first()
        if existing:
            return existing
        if not Opening.objects.filter(opportunity=locked).exists():
            raise EvaluationError.on("", "Open the submissions before starting the evaluation")
        scale = [{"score": s.score, "label": s.label, "descriptor": s.descriptor} for s in ScaleLevel.objects.all()]
        evaluation = Evaluation.objects.create(
            opportunity=locked, scale=scale, started_by=actor, started_at=clock.now()
        )
        audit_record(actor=actor, verb="evaluation.start", obj=evaluation, after={"scale": scale})
    return evaluation


def panelist_appoint(*, actor, evaluation: Evaluation, user) -> Panelist:
    """Appoint someone who holds an evaluator, commissioner or partnership reviewer role to the panel."""
    _require_commissioner(actor, evaluation.opportunity)
    if not may_sit_on_panel(user):
        raise EvaluationError.on("user", "Choose someone with an evaluator account")
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_status(locked, EvaluationStatus.SCORING)
        panelist, created = Panelist.objects.get_or_create(
            evaluation=locked, user=user, defaults={"appointed_by": actor, "appointed_at": clock.now()}
        )
        if not created:
            raise EvaluationError.on("user", f"{user.get_full_name()} is already on the panel")
        audit_record(actor=actor, verb="evaluation.panelist_appoint", obj=locked, after={"user": user.email})
    return panelist


def panelist_remove(*, actor, panelist: Panelist) -> None:
    """Take someone off the panel before they have submitted scores; their draft scores go with them."""
    _require_commissioner(actor, panelist.evaluation.opportunity)
    with transaction.atomic():
        locked = _locked(panelist.evaluation)
        _require_status(locked, EvaluationStatus.SCORING)
        fresh = Panelist.objects.select_for_update().get(pk=panelist.pk)
        if fresh.scores_submitted_at is not None:
            raise EvaluationError.on("", "Their scores are submitted: they stay on the record")
        audit_record(actor=actor, verb="evaluation.panelist_remove", obj=locked, before={"user": fresh.user.email})
        fresh.delete()


def _require_panelist(actor, panelist: Panelist) -> None:
    if not (actor and actor.is_authenticated and actor.pk == panelist.user_id):
        raise EvaluationError.on("", "Only the evaluator can do this for themselves")


def conflicts_declare(*, actor, panelist: Panelist, declarations: dict[int, str]) -> list[ConflictDeclaration]:
    """Declare against every bidder before seeing any bid: ``declarations`` maps each submission's id to ""
    (no conflict) or what the conflict is. Every bidder must be covered; nothing is saved otherwise.
    """
    _require_panelist(actor, panelist)
    with transaction.atomic():
        locked = _locked(panelist.evaluation)
        _require_status(locked, EvaluationStatus.SCORING)
        fresh = Panelist.objects.select_for_update().get(pk=panelist.pk)
        if fresh.declared_at is not None:
            raise EvaluationError.on("", "You have already declared; tell the commissioner of any new conflict")
        bidders = {bid.submission.pk: bid for bid in bids_for(locked)}
        missing = [bid.organisation.name for pk, bid in bidders.items() if pk not in declarations]
        if missing or set(declarations) - set(bidders):
            raise EvaluationError.on(
                "", "Declare for every bidder: " + ", ".join(missing) if missing else "Unknown bidder"
            )
        now = clock.now()
        made = [
            ConflictDeclaration.objects.create(
                panelist=fresh,
                submission_id=pk,
                conflicted=bool((details or "").strip()),
                details=(details or "").strip()[:2000],
                declared_at=now,
            )
            for pk, details in declarations.items()
        ]
        fresh.declared_at = now
        fresh.save(update_fields=["declared_at"])
        audit_record(
            actor=actor,
            verb="evaluation.conflicts_declare",
            obj=locked,
            after={"conflicts": [bidders[d.submission_id].organisation.name for d in made if d.conflicted]},
        )
    return made


def conflict_declare_later(*, actor, panelist: Panelist, submission: Submission, details: str) -> None:
    """A conflict that comes to light after declaring: the bid is taken from this evaluator, with their
    scores for it."""
    details = (details or "").strip()
    if not details:
        raise EvaluationError.on("details", "Say what the conflict is")
    _require_panelist(actor, panelist)
    with transaction.atomic():
        locked = _locked(panelist.evaluation)
        _require_status(locked, EvaluationStatus.SCORING)
        ConflictDeclaration.objects.filter(panelist=panelist, submission=submission).update(
            conflicted=True, details=details[:2000], declared_at=clock.now()
        )
        dropped = Score.objects.filter(panelist=panelist, submission=submission)
        audit_record(
            actor=actor,
            verb="evaluation.conflict_declare_later",
            obj=locked,
            after={"organisation": submission.organisation.name, "scores_withdrawn": dropped.count()},
            reason=details,
        )
        dropped.delete()


def _check_score(evaluation: Evaluation, score, justification: str, *, what: str = "justification") -> str:
    maximum = evaluation.scale_max
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= maximum:
        raise EvaluationError.on("score", f"Choose a score from 0 to {maximum}")
    justification = (justification or "").strip()
    if not justification:
        raise EvaluationError.on(what, f"Give the {what} for the score")
    return justification


def score_save(
    *, actor, panelist: Panelist, submission: Submission, question: Question, score: int, justification: str
) -> Score:
    """Save a score for one answer, with its justification; refused for a conflicted bid or after submitting."""
    _require_panelist(actor, panelist)
    with transaction.atomic():
        locked = _locked(panelist.evaluation)
        _require_status(locked, EvaluationStatus.SCORING)
        justification = _check_score(locked, score, justification)
        fresh = Panelist.objects.select_for_update().get(pk=panelist.pk)
        if fresh.declared_at is None:
            raise EvaluationError.on("", "Declare any conflicts of interest before scoring")
        if fresh.scores_submitted_at is not None:
            raise EvaluationError.on("", "Your scores are submitted and can no longer change")
        if question.opportunity_id != locked.opportunity_id:
            raise EvaluationError.on("", "That question is not part of this opportunity")
        declaration = fresh.declarations.filter(submission=submission).first()
        if declaration is None:
            raise EvaluationError.on("", "That bid is not part of this evaluation")
        if declaration.conflicted:
            raise EvaluationError.on("", "You declared a conflict of interest with this bidder and cannot score it")
        saved, _ = Score.objects.update_or_create(
            panelist=fresh,
            submission=submission,
            question=question,
            defaults={"score": score, "justification": justification, "updated_at": clock.now()},
        )
        audit_record(
            actor=actor,
            verb="evaluation.score_save",
            obj=locked,
            after={"organisation": submission.organisation.name, "question": question.number, "score": score},
        )
    return saved


def scores_submit(*, actor, panelist: Panelist) -> Panelist:
    """Submit every score: each answer of each bid the evaluator may score must have one. When the last
    evaluator submits, the evaluation moves on to moderation."""
    _require_panelist(actor, panelist)
    with transaction.atomic():
        locked = _locked(panelist.evaluation)
        _require_status(locked, EvaluationStatus.SCORING)
        fresh = Panelist.objects.select_for_update().get(pk=panelist.pk)
        if fresh.declared_at is None:
            raise EvaluationError.on("", "Declare any conflicts of interest before scoring")
        if fresh.scores_submitted_at is not None:
            return fresh
        conflicted = set(fresh.declarations.filter(conflicted=True).values_list("submission_id", flat=True))
        questions = list(locked.opportunity.questions.all())
        scored = set(fresh.scores.values_list("submission_id", "question_id"))
        missing = [
            f"{bid.organisation.name}, question {q.number}"
            for bid in bids_for(locked)
            if bid.submission.pk not in conflicted
            for q in questions
            if (bid.submission.pk, q.pk) not in scored
        ]
        if missing:
            raise EvaluationError.on("", "Score every answer first. Still to score: " + "; ".join(missing))
        fresh.scores_submitted_at = clock.now()
        fresh.save(update_fields=["scores_submitted_at"])
        audit_record(actor=actor, verb="evaluation.scores_submit", obj=locked, after={"scores": len(scored)})
        if not locked.panelists.filter(scores_submitted_at__isnull=True).exists():
            # The last evaluator's submission ends the scoring: the move is audited as theirs.
            transition(workflow=EVALUATION_WORKFLOW, obj=locked, name="moderate", actor=actor)
    return fresh


def moderated_score_save(
    *, actor, evaluation: Evaluation, submission: Submission, question: Question, score: int, rationale: str
) -> ModeratedScore:
    """Agree the consensus score for one answer, with the rationale; it is the score that counts.

    One answer's sheet: see :func:`moderation_sheet_save`, which it goes through.
    """
    try:
        return moderation_sheet_save(
            actor=actor, evaluation=evaluation, submission=submission, answers={question: (score, rationale)}
        )[0]
    except EvaluationError as error:
        # One answer: its refusal stands on the plain field names.
        raise EvaluationError({name.rpartition("-")[2] or "": m for name, m in error.errors.items()}) from error


def moderation_sheet_save(
    *, actor, evaluation: Evaluation, submission: Submission, answers: dict[Question, tuple[int, str]]
) -> list[ModeratedScore]:
    """Agree the consensus scores for one bid's answers at once: ``answers`` maps each question to
    (score, rationale).

    Guarantees: all or nothing. Every answer is checked first (a score on the
    evaluation's scale, a rationale, a question of this opportunity, a counted
    bid); any refusal saves none, and names each answer's field as
    ``<question id>-score`` or ``<question id>-rationale``. Then every score is
    saved in one transaction, with one audit event listing them.
    """
    _require_commissioner(actor, evaluation.opportunity)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_status(locked, EvaluationStatus.MODERATION)
        if submission.pk not in {bid.submission.pk for bid in bids_for(locked)}:
            raise EvaluationError.on("", "That bid is not part of this evaluation")
        problems: dict[str, list[str]] = {}
        checked: list[tuple[Question, int, str]] = []
        for question, (score, rationale) in answers.items():
            if question.opportunity_id != locked.opportunity_id:
                raise EvaluationError.on("", "That question is not part of this opportunity")
            try:
                checked.append((question, score, _check_score(locked, score, rationale, what="rationale")))
            except EvaluationError as error:
                for name, messages in error.errors.items():
                    problems.setdefault(f"{question.pk}-{name}", []).extend(messages)
        if problems:
            raise EvaluationError(problems)
        now = clock.now()
        saved = []
        for question, score, rationale in checked:
            row, _ = ModeratedScore.objects.update_or_create(
                submission=submission,
                question=question,
                defaults={
                    "evaluation": locked,
                    "score": score,
                    "rationale": rationale,
                    "moderated_by": actor,
                    "moderated_at": now,
                },
            )
            saved.append(row)
        if checked:
            audit_record(
                actor=actor,
                verb="evaluation.moderate",
                obj=locked,
                after={
                    "organisation": submission.organisation.name,
                    "scores": {str(question.number): score for question, score, _ in checked},
                },
            )
    return saved


def price_clarify(
    *, actor, evaluation: Evaluation, submission: Submission, lot: Lot, note: str, accepted: bool
) -> PriceClarification:
    """Record what was asked and answered about an abnormally low price, and whether the price stands."""
    _require_commissioner(actor, evaluation.opportunity)
    note = (note or "").strip()
    if not note:
        raise EvaluationError.on("note", "Record what the bidder said about its price")
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_status(locked, EvaluationStatus.MODERATION)
        saved, _ = PriceClarification.objects.update_or_create(
            submission=submission,
            lot=lot,
            defaults={
                "evaluation": locked,
                "note": note,
                "accepted": accepted,
                "recorded_by": actor,
                "recorded_at": clock.now(),
            },
        )
        audit_record(
            actor=actor,
            verb="evaluation.price_clarify",
            obj=locked,
            after={"organisation": submission.organisation.name, "lot": lot.number, "accepted": accepted},
        )
    return saved


def evaluation_recommend(
    *,
    actor,
    evaluation: Evaluation,
    note: str,
    tie_winners: dict[int, int] | None = None,
    grant_decisions: dict[tuple[int, int], tuple[bool, Decimal | None, str]] | None = None,
) -> Evaluation:
    """Recommend the outcome for every bid on every lot, from the moderated results.

    A tender lot goes to its first-ranked bid (``tie_winners`` names the bid
    chosen where bids are level on every tie-break, and the note says why); a
    bid whose abnormally low price was not accepted at clarification cannot
    win. A grant round takes a decision per application and lot in
    ``grant_decisions``: (approved, amount, reason).
    """
    _require_commissioner(actor, evaluation.opportunity)
    note = (note or "").strip()
    if not note:
        raise EvaluationError.on("note", "Summarise the recommendation")
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_status(locked, EvaluationStatus.MODERATION)
        opportunity = locked.opportunity
        clarifications = {(c.submission_id, c.lot_id): c for c in locked.clarifications.all()}
        decisions: list[Decision] = []
        problems: list[str] = []
        for lot_results in results_for(locked):
            problems.extend(lot_results.missing)
            if lot_results.missing or not lot_results.results:
                continue
            if opportunity.kind == "grant":
                decisions.extend(_grant_decisions(locked, lot_results, grant_decisions or {}, problems))
            else:
                decisions.extend(_tender_decisions(locked, lot_results, clarifications, tie_winners or {}, problems))
        if problems:
            raise EvaluationError({"": problems})
        if not decisions:
            raise EvaluationError.on("", "There are no bids to decide on")
        locked.decisions.all().delete()
        Decision.objects.bulk_create(decisions)
        return _moved(
            transition,
            workflow=EVALUATION_WORKFLOW,
            obj=locked,
            name="recommend",
            actor=actor,
            changes={"recommended_by": actor, "recommended_at": clock.now(), "recommendation": note[:5000]},
        )


def _tender_decisions(evaluation, lot_results, clarifications, tie_winners, problems) -> list[Decision]:
    lot = lot_results.lot
    results = lot_results.results
    eligible = [
        r
        for r in results
        if not (r.abnormally_low and not getattr(clarifications.get((int(r.key), lot.pk)), "accepted", False))
    ]
    for r in results:
        if r.abnormally_low and (int(r.key), lot.pk) not in clarifications:
            problems.append(
                f"Lot {lot.number}: {lot_results.bids[r.key].organisation.name}'s price is abnormally low: "
                "record the clarification first"
            )
    if not eligible:
        problems.append(f"Lot {lot.number}: no bid can be recommended")
        return []
    top = [r for r in eligible if r.rank == eligible[0].rank]
    if len(top) > 1:
        chosen = tie_winners.get(lot.pk)
        if chosen is None or str(chosen) not in {r.key for r in top}:
            names = ", ".join(lot_results.bids[r.key].organisation.name for r in top)
            problems.append(f"Lot {lot.number}: {names} are level on every tie-break: choose one and say why")
            return []
        winner_key = str(chosen)
    else:
        winner_key = top[0].key
    count = len(results)
    made = []
    for r in results:
        bid = lot_results.bids[r.key]
        won = r.key == winner_key
        price = bid.price_for(lot.number) if lot.pricing != "fixed" else lot.fixed_price
        made.append(
            Decision(
                evaluation=evaluation,
                submission=bid.submission,
                lot=lot,
                organisation=bid.organisation,
                outcome=Outcome.AWARDED if won else Outcome.UNSUCCESSFUL,
                amount=price if won else None,
                rank=r.rank,
                total=r.total,
                reason=(
                    f"Ranked first of {count} on the published criteria"
                    if won
                    else _unsuccessful_reason(r, count, clarifications.get((int(r.key), lot.pk)))
                ),
            )
        )
    return made


def _unsuccessful_reason(result: scoring.Result, count: int, clarification) -> str:
    if result.abnormally_low and clarification is not None and not clarification.accepted:
        return "The price was abnormally low and the clarification did not show the service could be delivered for it"
    return f"Ranked {result.rank} of {count} on the published criteria"


def _grant_decisions(evaluation, lot_results, grant_decisions, problems) -> list[Decision]:
    lot = lot_results.lot
    made = []
    for r in lot_results.results:
        bid = lot_results.bids[r.key]
        decision = grant_decisions.get((bid.submission.pk, lot.pk))
        if decision is None:
            problems.append(f"Lot {lot.number}: decide on {bid.organisation.name}'s application")
            continue
        approved, amount, reason = decision
        reason = (reason or "").strip()
        if not reason:
            problems.append(f"Lot {lot.number}: give the reason for {bid.organisation.name}'s decision")
            continue
        asked = bid.price_for(lot.number)
        if approved and (amount is None or amount <= 0):
            problems.append(f"Lot {lot.number}: enter the amount awarded to {bid.organisation.name}")
            continue
        if approved and lot.max_award is not None and amount > lot.max_award:
            problems.append(f"Lot {lot.number}: the amount for {bid.organisation.name} is over the maximum award")
            continue
        if approved and asked is not None and amount > asked:
            problems.append(f"Lot {lot.number}: {bid.organisation.name} asked for less than that")
            continue
        made.append(
            Decision(
                evaluation=evaluation,
                submission=bid.submission,
                lot=lot,
                organisation=bid.organisation,
                outcome=Outcome.AWARDED if approved else Outcome.UNSUCCESSFUL,
                amount=amount if approved else None,
                rank=r.rank,
                total=r.total,
                reason=reason[:5000],
            )
        )
    return made


def evaluation_approve(*, actor, evaluation: Evaluation) -> Evaluation:
    """A second commissioner approves the recommendation."""
    _require_commissioner(actor, evaluation.opportunity)
    return _moved(
        transition,
        workflow=EVALUATION_WORKFLOW,
        obj=evaluation,
        name="approve",
        actor=actor,
        changes={"approved_by": actor, "approved_at": clock.now()},
    )


def evaluation_send_back(*, actor, evaluation: Evaluation, reason: str) -> Evaluation:
    """Send a recommendation back to moderation, with the reason; its decisions are withdrawn."""
    _require_commissioner(actor, evaluation.opportunity)
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError.on("reason", "Say why the recommendation goes back")
    with transaction.atomic():
        moved = _moved(
            transition,
            workflow=EVALUATION_WORKFLOW,
            obj=evaluation,
            name="send_back",
            actor=actor,
            changes={"returned_reason": reason[:2000], "approved_by": None, "approved_at": None},
            reason=reason,
        )
        moved.decisions.all().delete()
    return moved


def evaluation_award(*, actor, evaluation: Evaluation, standstill_days: int | None = None) -> Evaluation:
    """Make the award decision; the standstill is counted from the award notice's publication.

    The regime's :class:`StandstillRule` sets the standstill's working days and
    how they are counted, and is copied onto the evaluation so a later change to
    the rule does not move this one. Where the rule is voluntary (below the
    threshold) the commissioner may set the length, from 0 (none) to its
    maximum; elsewhere ``standstill_days`` is refused. With no standstill the
    contract may be concluded at once; otherwise the standstill starts only when
    the notice's publication is recorded (:func:`award_notice_record`).
    The :data:`.events.after_award` hooks run inside the same transaction
    (with feedback installed: a letter is written for every bidder, and the
    lessons-learned surveys go out once the decision commits, PR-9).
    """
    _require_commissioner(actor, evaluation.opportunity)
    rule = standstill_rule_for(evaluation.opportunity.regime)
    if rule is None:
        raise EvaluationError.on(
            "", "No standstill rule is set for this procedure: an administrator must add one before the award"
        )
    days = rule.working_days
    if standstill_days is not None:
        if not rule.voluntary:
            raise EvaluationError.on("standstill_days", "The standstill for this regime is set by law")
        if not 0 <= standstill_days <= rule.max_working_days:
            raise EvaluationError.on(
                "standstill_days", f"Choose a standstill of 0 to {rule.max_working_days} working days"
            )
        days = standstill_days
    now: datetime = clock.now()
    with transaction.atomic():
        moved = _moved(
            transition,
            workflow=EVALUATION_WORKFLOW,
            obj=evaluation,
            name="award",
            actor=actor,
            changes={
                "decided_by": actor,
                "decided_at": now,
                "standstill_days": days,
                "standstill_rule": rule.snapshot(),
                # No standstill ends as it starts; any other waits for the notice's publication.
                "standstill_ends": now if days == 0 else None,
            },
        )
        # The plan behind the record, if there is one, is awarded on the pipeline with the decision.
        plan_mark_awarded(moved.opportunity.record, actor=actor)
        # Later stages join here (feedback writes the letters and sends the surveys once this commits).
        events.after_award.call(moved)
    return moved


NOTICE_HOSTS = {"find-tender.service.gov.uk", "www.find-tender.service.gov.uk"}
NOTICE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._-]{0,59}")


def _notice_reference(reference: str) -> str:
    """A Find a Tender notice reference (like 012345-2027) or the notice's https address, or ""."""
    reference = (reference or "").strip()
    if not reference:
        return ""
    if reference.lower().startswith(("http://", "https://")):
        parts = urlsplit(reference)
        host = (parts.hostname or "").lower()
        if (
            parts.scheme != "https"
            or host not in NOTICE_HOSTS
            or parts.username
            or parts.password
            or parts.port
            or len(reference) > 200
            or not reference.isprintable()
            or any(c.isspace() for c in reference)
        ):
            raise EvaluationError.on(
                "reference",
                "Enter the notice's address on Find a Tender, starting https://www.find-tender.service.gov.uk/",
            )
        return reference
    if not NOTICE_REFERENCE.fullmatch(reference):
        raise EvaluationError.on(
            "reference",
            "Enter the notice's reference as Find a Tender shows it, like 012345-2027: letters, numbers, "
            "dashes and slashes only",
        )
    return reference


def award_notice_record(*, actor, evaluation: Evaluation, published_at: datetime, reference: str = "") -> Evaluation:
    """Record when the award notice was published; the standstill is counted from then.

    The notice is the one the regime's rule names (a contract award notice
    under the Procurement Act 2023, a notice of intention to award under the
    Provider Selection Regime). Only a commissioner of the opportunity may
    record it, once the award is decided with a standstill; the publication
    cannot be before the decision nor in the future, and ``reference`` (the
    notice's reference or https address on Find a Tender) is optional. It is
    recorded once: the same values again change nothing, different ones are
    refused. The standstill's end is counted by the rule copied at the
    decision, the :data:`.events.after_standstill` hooks run (the unsent
    letters are brought up to date with it), and the record is audited.
    """
    _require_commissioner(actor, evaluation.opportunity)
    if published_at is None or published_at.tzinfo is None:
        raise EvaluationError.on("published_at", "Enter the date and time the notice was published")
    reference = _notice_reference(reference)
    with transaction.atomic():
        locked = _locked(evaluation)
        _require_status(locked, EvaluationStatus.AWARDED)
        days = locked.standstill_days or 0
        if not days:
            raise EvaluationError.on("", "No standstill applies to this award, so there is no notice to record")
        if locked.notice_published_at is not None:
            if locked.notice_published_at == published_at and locked.notice_reference == reference:
                return locked
            raise EvaluationError.on(
                "published_at",
                "The notice's publication is already recorded, as "
                f"{format_datetime(locked.notice_published_at)}: it cannot be changed",
            )
        if published_at < locked.decided_at:
            raise EvaluationError.on(
                "published_at",
                "The notice cannot have been published before the award decision, "
                f"{format_datetime(locked.decided_at)}",
            )
        now = clock.now()
        if published_at > now:
            raise EvaluationError.on(
                "published_at", "Record the notice once it is published: the time cannot be in the future"
            )
        ends = standstill_ends(published_at, days, locked.standstill_rule, closure_days())
        locked.notice_published_at = published_at
        locked.notice_reference = reference
        locked.notice_recorded_by = actor
        locked.notice_recorded_at = now
        locked.standstill_ends = ends
        locked.save(
            update_fields=[
                "notice_published_at",
                "notice_reference",
                "notice_recorded_by",
                "notice_recorded_at",
                "standstill_ends",
            ]
        )
        audit_record(
            actor=actor,
            verb="evaluation.award_notice_record",
            obj=locked,
            after={
                "notice_published_at": published_at.isoformat(),
                "notice_reference": reference,
                "standstill_ends": ends.isoformat(),
            },
        )
        # Later stages join here (feedback brings the unsent letters' standstill up to date).
        events.after_standstill.call(locked)
    return locked


def scale_update(*, actor, levels: dict[int, tuple[str, str]]) -> list[ScaleLevel]:
    """Change the published scale's words: ``levels`` maps a score to its (label, descriptor).

    Only an administrator may (``PermissionDenied`` otherwise). Every score on
    the scale must be given, with a label and a descriptor; nothing is saved
    otherwise. The scores themselves do not change, and evaluations already
    started keep the scale they were started with. One audit event holds the
    scale before and after; saving the same words again writes nothing.
    """
    if not getattr(actor, "is_administrator", False):
        raise PermissionDenied("Only an administrator can change the scoring scale")
    with transaction.atomic():
        current = list(ScaleLevel.objects.select_for_update().order_by("score"))
        errors, cleaned = _scale_words_checked(current, levels)
        if errors:
            raise EvaluationError(errors)
        before = {level.score: [level.label, level.descriptor] for level in current}
        after = {score: list(words) for score, words in cleaned.items()}
        changed = [level for level in current if (level.label, level.descriptor) != cleaned[level.score]]
        if not changed:
            return current
        for level in changed:
            level.label, level.descriptor = cleaned[level.score]
        ScaleLevel.objects.bulk_update(changed, ["label", "descriptor"])
        audit_record(actor=actor, verb="evaluation.scale_update", obj=current[0], before=before, after=after)
    return current


# The scale's words: each field, its longest length, and what is said when it is missing or too long.
_SCALE_WORDS = (
    (
        "label",
        60,
        "Enter a label for a score of {score}",
        "The label for a score of {score} must be 60 characters or fewer",
    ),
    (
        "descriptor",
        1000,
        "Say what a score of {score} means",
        "What a score of {score} means must be 1000 characters or fewer",
    ),
)


def _scale_words_checked(current: list[ScaleLevel], levels: dict[int, tuple[str, str]]):
    """Each level's label and descriptor, trimmed, and the problems with them by field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, tuple[str, str]] = {}
    for level in current:
        words = tuple((word or "").strip() for word in levels.get(level.score, ("", "")))
        for (field, longest, missing, too_long), word in zip(_SCALE_WORDS, words, strict=True):
            problem = missing if not word else too_long if len(word) > longest else ""
            if problem:
                errors.setdefault(f"{field}-{level.score}", []).append(problem.format(score=level.score))
        cleaned[level.score] = words
    unknown = set(levels) - {level.score for level in current}
    if unknown:
        errors.setdefault("", []).append("The scale has no score of " + ", ".join(str(s) for s in sorted(unknown)))
    return errors, cleaned
