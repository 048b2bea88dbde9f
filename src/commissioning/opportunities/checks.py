"""The Code's rules as they apply to an opportunity about to be published.

Each check reads the opportunity and says whether the rule is met, with a
sentence a commissioner can act on. The practice app runs them at the
"opportunity_publish" step; a rule that is not met can still be explained.

A check never judges a draft it cannot read: a missing or past deadline,
dates out of order, weights that do not add up to 100%, no lots or no
questions, or lots worth more than the total value. It says "cannot judge"
and what to correct, which blocks publishing like "not met" but cannot be
explained away.
"""

from decimal import Decimal

from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.workdays import working_days_between_db
from commissioning.planning.appraisal_reading import appraisal_of, judge_appraisal
from commissioning.practice.checks import CheckResult, rule_check
from commissioning.practice.lead_times import lead_days_required

from .models import Kind, PricingMode, Status
from .rules import lot_value_problem, lots_total, question_cap, weights, weights_problem

MODEL = "opportunities.opportunity"
STEP = "opportunity_publish"


def _publishing_day(opportunity):
    if opportunity.status != Status.DRAFT and opportunity.published_at is not None:
        return clock.london(opportunity.published_at).date()
    return clock.today()


def _timeline_unreadable(opportunity) -> str | None:
    """What stops the dates being counted, or None: a deadline after publishing, later dates in order."""
    deadline = opportunity.submission_deadline
    if deadline is None:
        return "Set the submission deadline"
    publishing = _publishing_day(opportunity)
    deadline_day = clock.london(deadline).date()
    if opportunity.status == Status.DRAFT and deadline <= clock.now():
        return f"The submission deadline, {format_date(deadline_day)}, has passed: set a deadline after publishing"
    if deadline_day < publishing:
        return (
            f"The submission deadline, {format_date(deadline_day)}, is before the opportunity was published on "
            f"{format_date(publishing)}"
        )
    award, start = opportunity.expected_award, opportunity.service_start
    if award is not None and award < deadline_day:
        return (
            f"The expected award date, {format_date(award)}, is before the submission deadline, "
            f"{format_date(deadline_day)}"
        )
    if award is not None and start is not None and start < award:
        return f"The service start date, {format_date(start)}, is before the expected award date, {format_date(award)}"
    return None


def _value_unreadable(opportunity, lots=None) -> str | None:
    """What stops the opportunity's value being read, or None: its lots must fit within its total."""
    lots = list(opportunity.lots.all()) if lots is None else lots
    problem = lot_value_problem(total_value=opportunity.total_value, lots_value=lots_total(lots))
    return f"{problem}: correct the total value or the lots" if problem else None


def _weights_unreadable(opportunity, w) -> str | None:
    problem = weights_problem(w)
    return f"{problem}, so the balance between them cannot be judged" if problem else None


@rule_check("PL-3", model=MODEL)
def lead_times(opportunity, settings) -> CheckResult:
    """Enough working days from publishing to the deadline, and from award to the start.

    Publishing is today for a draft, or the day it was published. Cannot judge
    without a deadline after publishing, with award and start dates (when
    given) in order after it, or with lots worth more than the total value
    (the value sets the lead time). Without award and start dates, only the
    time to bid is counted, and the detail says so.
    """
    if unreadable := _timeline_unreadable(opportunity) or _value_unreadable(opportunity):
        return CheckResult.cannot_judge(unreadable)
    publishing = _publishing_day(opportunity)
    deadline_day = clock.london(opportunity.submission_deadline).date()
    needed = lead_days_required(Decimal(opportunity.total_value), settings)
    have = working_days_between_db(publishing, deadline_day)
    problems = []
    if have < needed:
        problems.append(f"{have} working days from publishing to the deadline; at least {needed} are expected")
    mobilise = int(settings["mobilisation_days"])
    counted = f"{have} working days to bid (at least {needed})"
    # Without its own start date, the opportunity is held to the start its record (the plan) expects.
    start = opportunity.service_start or opportunity.record.expected_start
    if opportunity.expected_award and start and start < opportunity.expected_award:
        problems.append(
            f"The expected award ({format_date(opportunity.expected_award)}) is after the start the plan expects "
            f"({format_date(start)})"
        )
    elif opportunity.expected_award and start:
        between = working_days_between_db(opportunity.expected_award, start)
        if between < mobilise:
            which = "the start" if opportunity.service_start else "the start the plan expects"
            problems.append(f"{between} working days from award to {which}; at least {mobilise} are expected")
    else:
        # The award and start dates are optional until they are known: say what was not counted.
        counted += "; the time to mobilise is counted once the expected award and service start dates are set"
    if problems:
        return CheckResult(False, "; ".join(problems))
    return CheckResult(True, counted)


@rule_check("PL-2", model=MODEL)
def options_appraised(opportunity, settings) -> CheckResult:
    """The options appraisal of the opportunity's record: enough options weighed, one chosen, and why."""
    judged = judge_appraisal(appraisal_of(opportunity.record_id), options_at_least=int(settings["options_at_least"]))
    return CheckResult(judged.met, judged.detail)


@rule_check("PR-2", model=MODEL)
def engagement_event(opportunity, settings) -> CheckResult:
    """A market engagement event open to all, before the submission deadline.

    Cannot judge without a deadline to be before.
    """
    deadline = opportunity.submission_deadline
    if deadline is None:
        return CheckResult.cannot_judge("Set the submission deadline, so events before it can be counted")
    events = [e for e in opportunity.events.all() if e.starts_at < deadline]
    if not events:
        return CheckResult(False, "There is no engagement event before the deadline")
    first = min(events, key=lambda e: e.starts_at)
    return CheckResult(True, f"{first.title} on {format_date(first.starts_at)}")


@rule_check("PR-3", model=MODEL)
def lots_considered(opportunity, settings) -> CheckResult:
    """A large single-lot contract asks whether lots (or a grant) were considered.

    Cannot judge before there is a lot, or when the lots are worth more than the total.
    """
    above = Decimal(settings["lots_consider_above_value"])
    listed = list(opportunity.lots.all())
    if not listed:
        return CheckResult.cannot_judge("Add at least one lot")
    if unreadable := _value_unreadable(opportunity, listed):
        return CheckResult.cannot_judge(unreadable)
    lots = len(listed)
    if opportunity.kind == Kind.GRANT or lots > 1 or Decimal(opportunity.total_value) < above:
        return CheckResult(True, f"{lots} lot{'s' if lots != 1 else ''}")
    return CheckResult(False, f"One lot worth £{opportunity.total_value:,.0f}: say whether lots were considered")


@rule_check("PR-4", model=MODEL)
def social_value(opportunity, settings) -> CheckResult:
    """The Leeds social value ambitions are referenced and social value carries enough weight.

    Cannot judge the weight while the weights do not add up to 100%.
    """
    minimum = Decimal(settings["min_social_value_weight"])
    w = weights(opportunity)
    if unreadable := _weights_unreadable(opportunity, w):
        return CheckResult.cannot_judge(unreadable)
    problems = []
    if not opportunity.social_value_ambitions_referenced:
        problems.append("the specification does not reference the Leeds social value ambitions")
    if w.social_value < minimum:
        problems.append(f"social value is weighted {w.social_value.normalize():f}%, below {minimum.normalize():f}%")
    if problems:
        return CheckResult(False, "; ".join(problems).capitalize())
    return CheckResult(True, f"Social value is weighted {w.social_value.normalize():f}%")


@rule_check("PR-5", model=MODEL)
def quality_weight(opportunity, settings) -> CheckResult:
    """Quality carries at least the minimum weight, and at least as much as price.

    Cannot judge while the weights do not add up to 100%.
    """
    minimum = Decimal(settings["min_quality_weight"])
    w = weights(opportunity)
    if unreadable := _weights_unreadable(opportunity, w):
        return CheckResult.cannot_judge(unreadable)
    if w.quality >= minimum and w.quality >= w.price:
        return CheckResult(True, f"Quality is weighted {w.quality.normalize():f}%")
    return CheckResult(
        False,
        f"Quality is weighted {w.quality.normalize():f}% and price {w.price.normalize():f}%; "
        f"quality should be at least {minimum.normalize():f}% and at least the price weight",
    )


@rule_check("PR-6", model=MODEL)
def floor_or_fixed_price(opportunity, settings) -> CheckResult:
    """Every priced lot has a minimum acceptable price or a fixed price.

    Cannot judge a tender before it has a lot.
    """
    if opportunity.kind == Kind.GRANT:
        return CheckResult(True, "A grant round has maximum awards, not prices")
    lots = list(opportunity.lots.all())
    if not lots:
        return CheckResult.cannot_judge("Add at least one lot")
    missing = [
        f"Lot {lot.number}"
        for lot in lots
        if not (
            (lot.pricing == PricingMode.FLOOR and lot.floor_price is not None)
            or (lot.pricing == PricingMode.FIXED and lot.fixed_price is not None)
        )
    ]
    if missing:
        return CheckResult(False, f"{', '.join(missing)} has no minimum acceptable price or fixed price")
    return CheckResult(True, "Every lot has a minimum acceptable price or a fixed price")


@rule_check("PR-7", model=MODEL)
def proportionate_questions(opportunity, settings) -> CheckResult:
    """The number of questions and each word limit are within the caps for the value band.

    Cannot judge before there is a question, or when the lots are worth more
    than the total (the value sets the band).
    """
    questions = list(opportunity.questions.all())
    if not questions:
        return CheckResult.cannot_judge("Add at least one question")
    if unreadable := _value_unreadable(opportunity):
        return CheckResult.cannot_judge(unreadable)
    cap = question_cap(Decimal(opportunity.total_value), settings)
    max_words = int(settings["max_words_per_answer"])
    problems = []
    if len(questions) > cap:
        problems.append(f"{len(questions)} questions; at most {cap} for this value")
    long = [f"Q{q.number}" for q in questions if q.word_limit > max_words]
    if long:
        problems.append(f"{', '.join(long)} allow more than {max_words} words")
    if problems:
        return CheckResult(False, "; ".join(problems))
    return CheckResult(True, f"{len(questions)} questions (at most {cap}), each within {max_words} words")


@rule_check("PR-11", model=MODEL, step=STEP)
def compact_in_terms(opportunity, settings) -> CheckResult:
    """The terms and conditions (or the grant's offer terms) reference the Compact for Leeds."""
    if opportunity.compact_clause_in_terms:
        return CheckResult(True, "The terms reference the Compact for Leeds")
    return CheckResult(False, "The terms and conditions do not reference the Compact for Leeds")
