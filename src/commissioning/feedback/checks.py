"""The Code's feedback rules as they apply to an evaluation once the award is decided: PR-9, PR-10, PR-11.

- PR-10: every feedback letter (a tender's feedback letter, a grant round's
  decision letter) goes out by its due day, the set number of working days
  after the decision. It is not met as soon as one is unsent after its day,
  or was sent after it; met while every letter went, or may still go, on time.
- PR-11: every grant offer letter carries the Compact for Leeds clause.
- PR-9: a lessons-learned survey went to every successful and unsuccessful
  bidder and every organisation that registered interest but did not bid,
  within the set number of working days of the decision.

Before the award decision there is nothing to check and each rule reads as
met ("not due yet"), so a gate at the award step is never closed by them.
The standings are plain functions of the letters and the day, so the
commissioner's dashboard reads them from rows it has already loaded.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.workdays import add_working_days, closure_days
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.practice.checks import CheckResult, rule_check

from .letters import COMPACT_CLAUSE
from .models import Letter, LetterKind
from .surveys import organisations_due_a_survey

MODEL = "evaluation.evaluation"
FEEDBACK_KINDS = (LetterKind.FEEDBACK, LetterKind.DECLINE)


def letter_sent_late(letter: Letter) -> bool:
    """Sent, but on a day (UK time) after the day it was due by."""
    return letter.sent_at is not None and clock.london(letter.sent_at).date() > letter.due_by


def letter_overdue(letter: Letter, today: date) -> bool:
    """Not sent, and its due day has passed."""
    return letter.sent_at is None and today > letter.due_by


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class FeedbackStanding:
    """Where an evaluation's feedback letters stand on a day (PR-10)."""

    on_time: list[Letter] = field(default_factory=list)
    late: list[Letter] = field(default_factory=list)
    overdue: list[Letter] = field(default_factory=list)
    waiting: list[Letter] = field(default_factory=list)  # unsent, still within their day

    @property
    def total(self) -> int:
        return len(self.on_time) + len(self.late) + len(self.overdue) + len(self.waiting)

    @property
    def met(self) -> bool:
        return not (self.late or self.overdue)

    @property
    def detail(self) -> str:
        if not self.total:
            return "No unsuccessful bidders: no feedback letters are due"
        parts = []
        if self.overdue:
            first = min(letter.due_by for letter in self.overdue)
            parts.append(f"{_plural(len(self.overdue), 'feedback letter')} not sent, due by {format_date(first)}")
        if self.late:
            parts.append(f"{_plural(len(self.late), 'feedback letter')} sent after the day it was due")
        if self.waiting:
            first = min(letter.due_by for letter in self.waiting)
            parts.append(f"{_plural(len(self.waiting), 'feedback letter')} to send by {format_date(first)}")
        if self.on_time:
            parts.append(f"{_plural(len(self.on_time), 'feedback letter')} sent on time")
        return "; ".join(parts)


def feedback_standing(letters: Iterable[Letter], today: date) -> FeedbackStanding:
    """Sort an evaluation's feedback letters into on time, late, overdue and waiting, as of ``today``."""
    standing = FeedbackStanding()
    for letter in letters:
        if letter.kind not in FEEDBACK_KINDS:
            continue
        if letter.sent_at is not None:
            (standing.late if letter_sent_late(letter) else standing.on_time).append(letter)
        elif letter_overdue(letter, today):
            standing.overdue.append(letter)
        else:
            standing.waiting.append(letter)
    return standing


def compact_standing(letters: Iterable[Letter]) -> CheckResult:
    """Whether every grant offer letter carries the Compact for Leeds clause (PR-11)."""
    offers = [letter for letter in letters if letter.kind == LetterKind.OFFER]
    if not offers:
        return CheckResult(True, "No grant offer letters")
    missing = [letter for letter in offers if COMPACT_CLAUSE not in (letter.content.get("compact_clause") or "")]
    if missing:
        names = ", ".join(letter.content.get("organisation", "") for letter in missing)
        return CheckResult(False, f"The offer letter to {names} does not carry the Compact for Leeds clause")
    return CheckResult(True, f"{_plural(len(offers), 'offer letter')} carrying the Compact for Leeds clause")


def survey_standing(
    evaluation: Evaluation, due_organisations: set[int], surveyed: set[int], days: int, closures=None
) -> CheckResult:
    """Whether every organisation due a survey has been sent one, by the set day after the decision (PR-9).

    ``closures`` are the administrators' closure days, read from the database when not given.
    """
    if evaluation.status != EvaluationStatus.AWARDED or evaluation.decided_at is None:
        return CheckResult(True, "Not due until the award decision")
    missing = due_organisations - surveyed
    if not missing:
        return CheckResult(True, f"Surveys sent to {_plural(len(surveyed), 'organisation')}")
    decision_day = clock.london(evaluation.decided_at).date()
    due = add_working_days(decision_day, days, closure_days() if closures is None else closures)
    if clock.today() > due:
        missed = _plural(len(missing), "organisation")
        return CheckResult(False, f"{missed} not sent a survey, due by {format_date(due)}")
    return CheckResult(True, f"Surveys to send to {_plural(len(missing), 'organisation')} by {format_date(due)}")


@rule_check("PR-10", model=MODEL)
def timely_feedback(evaluation: Evaluation, settings) -> CheckResult:
    """Every feedback letter sent by its due day (the set working days after the decision)."""
    if evaluation.status != EvaluationStatus.AWARDED:
        return CheckResult(True, "Not due until the award decision")
    standing = feedback_standing(evaluation.letters.all(), clock.today())
    return CheckResult(standing.met, standing.detail)


@rule_check("PR-11", model=MODEL)
def compact_in_offer_letters(evaluation: Evaluation, settings) -> CheckResult:
    """Every grant offer letter carries the Compact for Leeds clause."""
    return compact_standing(evaluation.letters.all())


@rule_check("PR-9", model=MODEL)
def lessons_surveys(evaluation: Evaluation, settings) -> CheckResult:
    """A survey to every bidder and every organisation that registered interest but did not bid."""
    due = set(organisations_due_a_survey(evaluation))
    surveyed = set(evaluation.survey_invitations.values_list("organisation_id", flat=True))
    return survey_standing(evaluation, due, surveyed, int(settings["survey_working_days"]))
