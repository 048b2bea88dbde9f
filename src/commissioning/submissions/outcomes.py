"""What a later stage has decided about bids, read without submissions importing that stage.

The stage that decides awards registers a reader with :func:`outcome_reader` when
it is ready; the provider's pages ask :func:`outcomes_for`.
"""

from collections.abc import Callable, Sequence

# ``reader(submissions)`` answers {submission id: "Successful" | "Unsuccessful"} for the
# bids whose award is decided, and leaves out the others.
OutcomeReader = Callable[[Sequence], dict[int, str]]
_outcome_readers: list[OutcomeReader] = []


def outcome_reader(reader: OutcomeReader) -> OutcomeReader:
    """Register ``reader``; a later reader's answer for a bid replaces an earlier one's."""
    _outcome_readers.append(reader)
    return reader


def outcomes_for(submissions: Sequence) -> dict[int, str]:
    """The decided outcome of each of ``submissions`` (only the bidder's own, and only once decided)."""
    outcomes: dict[int, str] = {}
    if not submissions:
        return outcomes
    for reader in _outcome_readers:
        outcomes.update(reader(submissions))
    return outcomes


def award_decided(submission) -> bool:
    """Whether the award decision covering this bid has been made."""
    return submission.pk in outcomes_for([submission])
