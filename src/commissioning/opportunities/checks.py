"""The Code's rules as they apply to an opportunity about to be published.

Each check reads the opportunity and says whether the rule is met, with a
sentence a commissioner can act on. The practice app runs them at the
"opportunity_publish" step; a rule that is not met can still be explained.
"""

from decimal import Decimal

from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.workdays import working_days_between_db
from commissioning.practice.checks import CheckResult, rule_check

from .models import Kind, PricingMode
from .rules import lead_days_required, question_cap, weights

MODEL = "opportunities.opportunity"
STEP = "opportunity_publish"


@rule_check("PL-3", model=MODEL)
def lead_times(opportunity, settings) -> CheckResult:
    """Enough working days from publishing (today) to the deadline, and from award to the start."""
    if opportunity.submission_deadline is None:
        return CheckResult(False, "There is no submission deadline yet")
    today = clock.today()
    deadline_day = clock.london(opportunity.submission_deadline).date()
    needed = lead_days_required(Decimal(opportunity.total_value), settings)
    have = working_days_between_db(today, deadline_day)
    problems = []
    if have < needed:
        problems.append(f"{have} working days from publishing to the deadline; at least {needed} are expected")
    mobilise = int(settings["mobilisation_days"])
    if opportunity.expected_award and opportunity.service_start:
        between = working_days_between_db(opportunity.expected_award, opportunity.service_start)
        if between < mobilise:
            problems.append(f"{between} working days from award to the start; at least {mobilise} are expected")
    if problems:
        return CheckResult(False, "; ".join(problems))
    return CheckResult(True, f"{have} working days to bid (at least {needed})")


@rule_check("PR-2", model=MODEL)
def engagement_event(opportunity, settings) -> CheckResult:
    """A market engagement event open to all, before the submission deadline."""
    deadline = opportunity.submission_deadline
    events = [e for e in opportunity.events.all() if deadline is None or e.starts_at < deadline]
    if not events:
        return CheckResult(False, "There is no engagement event before the deadline")
    first = min(events, key=lambda e: e.starts_at)
    return CheckResult(True, f"{first.title} on {format_date(first.starts_at)}")


@rule_check("PR-3", model=MODEL)
def lots_considered(opportunity, settings) -> CheckResult:
    """A large single-lot contract asks whether lots (or a grant) were considered."""
    above = Decimal(settings["lots_consider_above_value"])
    lots = opportunity.lots.count()
    if opportunity.kind == Kind.GRANT or lots > 1 or Decimal(opportunity.total_value) < above:
        return CheckResult(True, f"{lots} lot{'s' if lots != 1 else ''}")
    return CheckResult(False, f"One lot worth £{opportunity.total_value:,.0f}: say whether lots were considered")


@rule_check("PR-4", model=MODEL)
def social_value(opportunity, settings) -> CheckResult:
    """The Leeds social value ambitions are referenced and social value carries enough weight."""
    minimum = Decimal(settings["min_social_value_weight"])
    w = weights(opportunity)
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
    """Quality carries at least the minimum weight, and at least as much as price."""
    minimum = Decimal(settings["min_quality_weight"])
    w = weights(opportunity)
    if w.quality >= minimum and w.quality >= w.price:
        return CheckResult(True, f"Quality is weighted {w.quality.normalize():f}%")
    return CheckResult(
        False,
        f"Quality is weighted {w.quality.normalize():f}% and price {w.price.normalize():f}%; "
        f"quality should be at least {minimum.normalize():f}% and at least the price weight",
    )


@rule_check("PR-6", model=MODEL)
def floor_or_fixed_price(opportunity, settings) -> CheckResult:
    """Every priced lot has a minimum acceptable price or a fixed price."""
    if opportunity.kind == Kind.GRANT:
        return CheckResult(True, "A grant round has maximum awards, not prices")
    missing = [
        f"Lot {lot.number}"
        for lot in opportunity.lots.all()
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
    """The number of questions and each word limit are within the caps for the value band."""
    cap = question_cap(Decimal(opportunity.total_value), settings)
    max_words = int(settings["max_words_per_answer"])
    questions = list(opportunity.questions.all())
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
