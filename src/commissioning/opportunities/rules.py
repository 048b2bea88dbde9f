"""Pure calculations about an opportunity: weights, value bands, regimes, lead times.

Nothing here touches the database beyond reading the objects it is given, so
the checks, the services and the pages share one source of each number.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from commissioning.core.formats import format_date
from commissioning.core.money import format_money

from .models import Kind, PricingMode, QuestionKind, Regime

HUNDRED = Decimal(100)

# The published times that bidders plan by, with their labels: once published they only ever move
# later, and moving either is a material amendment that everyone bidding, following or booked is told of.
PUBLISHED_TIMES = {"question_deadline": "Clarification questions close", "submission_deadline": "Bids close"}


@dataclass(frozen=True)
class Weights:
    quality: Decimal
    social_value: Decimal
    price: Decimal

    @property
    def total(self) -> Decimal:
        return self.quality + self.social_value + self.price


def weights_problem(w: Weights) -> str | None:
    """Why the weights cannot be read as a balance of quality, social value and price, or None.

    Only weights that add up to exactly 100% say how much each part counts.
    """
    if w.total != HUNDRED:
        return f"The weights add up to {w.total.normalize():f}%; they must add up to 100%"
    return None


def lots_total(lots) -> Decimal:
    """What the lots are worth together."""
    return sum((Decimal(lot.value) for lot in lots), Decimal(0))


def lot_value_problem(*, total_value: Decimal, lots_value: Decimal) -> str | None:
    """Why lots worth ``lots_value`` in all do not fit an opportunity worth ``total_value``, or None.

    The lots are the parts the opportunity is bid for and awarded in, so
    together they cannot be worth more than its total value (nor can any
    one of them). The sentence gives both figures.
    """
    if lots_value > Decimal(total_value):
        return (
            f"The lots add up to {format_money(lots_value)}, more than the opportunity's total value of "
            f"{format_money(Decimal(total_value))}"
        )
    return None


def weights(opportunity, questions=None) -> Weights:
    """The weights of quality, social value and price, in percent."""
    questions = list(opportunity.questions.all()) if questions is None else questions
    quality = sum((q.weight for q in questions if q.kind == QuestionKind.QUALITY), Decimal(0))
    social = sum((q.weight for q in questions if q.kind == QuestionKind.SOCIAL_VALUE), Decimal(0))
    return Weights(quality=quality, social_value=social, price=Decimal(opportunity.price_weight or 0))


def question_cap(value: Decimal, settings: dict) -> int:
    """How many questions PR-7 allows for a contract of ``value`` (bands: 25k, 100k, 500k)."""
    if value <= 25_000:
        return int(settings["max_questions_up_to_25k"])
    if value <= 100_000:
        return int(settings["max_questions_25k_100k"])
    if value <= 500_000:
        return int(settings["max_questions_100k_500k"])
    return int(settings["max_questions_above_500k"])


def value_incl_vat(opportunity) -> Decimal:
    """The total value including VAT (20% is added when the value was given without it)."""
    value = Decimal(opportunity.total_value)
    return value if opportunity.value_includes_vat else value * Decimal("1.2")


def suggest_regime(
    *,
    kind: str,
    value_incl_vat: Decimal,
    light_touch: bool,
    nhs_health_care: bool,
    nhs_commissioner: bool,
    thresholds: dict[str, Decimal],
) -> str:
    """Suggest the regime an opportunity runs under, from its kind, value and service.

    A grant round is a grant. Health care services commissioned by an NHS body
    follow the Provider Selection Regime. Otherwise social, health and other light-touch services
    at or above the light-touch threshold follow the light-touch regime; other
    services at or above the goods and services threshold follow the
    competitive flexible procedure; everything else is below threshold.
    """
    if kind == Kind.GRANT:
        return Regime.GRANT
    if nhs_health_care and nhs_commissioner:
        return Regime.PSR
    if light_touch:
        if value_incl_vat >= thresholds["light_touch"]:
            return Regime.LIGHT_TOUCH
        return Regime.BELOW_THRESHOLD
    if value_incl_vat >= thresholds["goods_services_sub_central"]:
        return Regime.COMPETITIVE
    return Regime.BELOW_THRESHOLD


NOTICE_REQUIRED = {Regime.LIGHT_TOUCH, Regime.COMPETITIVE, Regime.PSR}


def _floor_problems(lot, label: str, *, kind: str, price_weight: Decimal) -> list[str]:
    if lot.floor_price is not None and lot.floor_price > lot.value:
        return [f"{label}: the minimum acceptable price cannot be more than the lot's value"]
    return []


def _fixed_price_problems(lot, label: str, *, kind: str, price_weight: Decimal) -> list[str]:
    problems = []
    if lot.fixed_price is None:
        problems.append(f"{label}: enter the fixed price")
    elif lot.fixed_price > lot.value:
        problems.append(f"{label}: the fixed price cannot be more than the lot's value")
    if price_weight > 0:
        problems.append(f"{label} has a fixed price, so price cannot carry a weight: set the price weight to 0")
    return problems


def _max_award_problems(lot, label: str, *, kind: str, price_weight: Decimal) -> list[str]:
    problems = []
    if kind != Kind.GRANT:
        problems.append(f"{label}: a maximum award is for grant rounds; a tender lot has a floor or a fixed price")
    if lot.max_award is None:
        problems.append(f"{label}: enter the maximum award")
    elif lot.max_award > lot.value:
        problems.append(f"{label}: the maximum award cannot be more than the lot's value")
    return problems


# Each way of pricing a lot, and what can be wrong with it.
_PRICING_PROBLEMS = {
    PricingMode.FLOOR: _floor_problems,
    PricingMode.FIXED: _fixed_price_problems,
    PricingMode.MAX_AWARD: _max_award_problems,
}


def lot_pricing_problems(lot, *, kind: str, price_weight: Decimal) -> list[str]:
    """What is wrong with a lot's pricing, as sentences (empty when nothing is)."""
    problems = _PRICING_PROBLEMS.get(lot.pricing)
    return problems(lot, f"Lot {lot.number}", kind=kind, price_weight=price_weight) if problems else []


def working_days_note(start: date, end: date, days: int) -> str:
    return f"{days} working days from {format_date(start)} to {format_date(end)}"
