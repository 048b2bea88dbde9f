"""Where a bid stands for the people writing it: what counts, what is left to do, and whether it can change.

A submitted record is fixed. While the draft is exactly the revision that was
submitted, the bid is that record: it was checked when it was submitted, it
keeps the evidence versions it was submitted with, and nothing that happens
in the evidence store afterwards (a new version, a certificate expiring)
makes it "in progress" again. Only a change to the draft starts new work,
and that work is checked afresh against the store as it is now.

After the deadline nothing can be submitted or changed, so nothing is left
to do and no page offers editing.
"""

from dataclasses import dataclass, field

from .models import Submission, SubmissionRecord, SubmissionStatus
from .rules import Problem
from .services import problems_for


@dataclass(frozen=True)
class BidProgress:
    """What the bid's pages show: the latest record, whether the draft is it, and what is left to do."""

    latest: SubmissionRecord | None
    is_open: bool  # before the deadline: the draft can still change and be submitted
    is_record: bool  # the draft is exactly the submitted record that counts
    problems: list[Problem] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        """A submitted record that is not withdrawn stands."""
        return self.latest is not None and self.latest.withdrawn_at is None

    @property
    def changed_since(self) -> bool:
        """The draft has changed since the record that counts, which still counts until submitted again."""
        return self.counts and not self.is_record

    @property
    def to_do(self) -> list[Problem]:
        """What must be put right before submitting: nothing once the deadline has passed."""
        return self.problems if self.is_open else []


def bid_progress_for(submission: Submission) -> BidProgress:
    """Where ``submission`` stands now. No access check: the caller loaded it through a checked selector.

    The problems are those of the draft, checked against the evidence store as
    it is now, unless the draft is the submitted record (which has none: it is
    fixed as it was checked). After the deadline they say only how the draft
    was left: there is nothing more to do.
    """
    latest = submission.records.order_by("-number").first()
    is_record = bool(
        latest is not None
        and latest.withdrawn_at is None
        and submission.status == SubmissionStatus.SUBMITTED
        and latest.revision == submission.revision
    )
    is_open = submission.opportunity.is_open
    problems = [] if is_record else problems_for(submission)
    return BidProgress(latest=latest, is_open=is_open, is_record=is_record, problems=problems)
