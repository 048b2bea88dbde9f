"""Reads of the letters and a bidder's results, scoped to who is asking.

- The opportunity's commissioners read every letter of its awarded
  evaluation, sent or not.
- A bidder's provider administrators and members read their own bid's
  results once the award decision is made, and its letters once sent.
- A letter exists only for a bid that was evaluated (it has a decision in
  the evaluation); any other answers 404, as does everything before the award
  and everything for anyone else.

What a bidder reads comes from its own letter's content, which names and
scores no bidder but itself and the winner.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from commissioning.evaluation.models import Decision, Evaluation, EvaluationStatus
from commissioning.evaluation.selectors import evaluation_get_for_commissioner
from commissioning.submissions.models import Submission
from commissioning.submissions.selectors import submission_get_for_bidder

from .models import Letter


def evaluated_letters() -> QuerySet[Letter]:
    """Letters to bids that have a decision in the letter's evaluation: the only letters there can be."""
    decided = Decision.objects.filter(evaluation=OuterRef("evaluation"), submission=OuterRef("submission"))
    return Letter.objects.filter(Exists(decided)).select_related("submission__organisation", "sent_by")


def awarded_evaluation_for_commissioner(*, user, reference: str) -> Evaluation:
    """The awarded evaluation of an opportunity the user commissions, or 404 (also before the award)."""
    evaluation = evaluation_get_for_commissioner(user=user, reference=reference)
    if evaluation.status != EvaluationStatus.AWARDED:
        raise Http404
    return evaluation


def letters_for_commissioner(*, evaluation: Evaluation) -> list[Letter]:
    """Every letter of an evaluation loaded through a checked selector, by organisation."""
    return list(evaluated_letters().filter(evaluation=evaluation).order_by("submission__organisation__name", "kind"))


def letter_get_for_commissioner(*, evaluation: Evaluation, letter_id: int) -> Letter:
    """One letter of an evaluation loaded through a checked selector, or 404."""
    letter = evaluated_letters().filter(evaluation=evaluation, pk=letter_id).first()
    if letter is None:
        raise Http404
    letter.evaluation = evaluation
    return letter


@dataclass(frozen=True)
class BidResults:
    """A bidder's view after the award: its bid, the decision's date and standstill, its letter's
    content (its own scores and the winner's) and the letters sent to it."""

    submission: Submission
    evaluation: Evaluation
    letter: Letter
    sent: list[Letter]

    @property
    def lots(self) -> list[dict]:
        return self.letter.content.get("lots", [])


def results_get_for_bidder(*, user, public_id) -> BidResults:
    """The results of one of the user's organisation's bids, once the award is decided, or 404."""
    submission = submission_get_for_bidder(user=user, public_id=public_id)
    evaluation = (
        Evaluation.objects.filter(opportunity_id=submission.opportunity_id, status=EvaluationStatus.AWARDED)
        .select_related("opportunity")
        .first()
    )
    if evaluation is None:
        raise Http404
    letters = list(evaluated_letters().filter(evaluation=evaluation, submission=submission).order_by("kind"))
    if not letters:
        raise Http404  # the bid was not evaluated (withdrawn, or it did not count)
    for letter in letters:
        letter.evaluation = evaluation
    submission.opportunity = evaluation.opportunity
    return BidResults(
        submission=submission,
        evaluation=evaluation,
        letter=letters[0],
        sent=[letter for letter in letters if letter.sent_at is not None],
    )


def letter_get_for_bidder(*, user, public_id, letter_id: int) -> Letter:
    """A letter sent to one of the user's organisation's bids, or 404 (also before it is sent)."""
    results = results_get_for_bidder(user=user, public_id=public_id)
    for letter in results.sent:
        if letter.pk == letter_id:
            return letter
    raise Http404
