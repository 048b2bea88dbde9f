"""Scoring a lot's bids: pure functions over plain values, the same for pages, letters and tests.

Each answer's moderated score on the published scale (default 0 to 4) earns
its question's weight in proportion: a score of 3 out of 4 on a question worth
20% earns 15 points. Price earns the price weight by the published method:
the lowest price scores full marks and others in proportion to how far they
are above it (lowest / price). A fixed-price lot scores quality and social
value only. Every component is rounded to two decimal places, half up, and the
total is the sum of the rounded components, so what a letter shows adds up.

Ranking is by total, highest first; a tie is broken by the higher quality
score (quality and social value together), then the lower price; bids still
level share a rank and are marked tied, for the panel to decide and record
why. A price under a set share of the lot's average (default 80%) is flagged
as abnormally low, for clarification; it is never excluded here.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

POINTS = Decimal("0.01")
HUNDRED = Decimal(100)
DEFAULT_ABNORMAL_SHARE = Decimal("0.80")


def points(value: Decimal) -> Decimal:
    """Round a score to two decimal places, halves up."""
    return value.quantize(POINTS, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Criterion:
    """A question that is scored: its key, whether it is quality or social value, and its weight in %."""

    key: str
    kind: str  # "quality" or "social_value"
    weight: Decimal


@dataclass(frozen=True)
class Bid:
    """One bid for a lot: its moderated score per criterion key, and its price (None for a fixed-price lot)."""

    key: str
    scores: Mapping[str, int]
    price: Decimal | None = None


@dataclass(frozen=True)
class Result:
    """A bid's scores with every component shown, its rank and its flags."""

    key: str
    components: dict[str, Decimal]
    quality: Decimal
    social_value: Decimal
    price: Decimal | None
    total: Decimal
    rank: int = 0
    tied: bool = False
    abnormally_low: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def quality_and_social_value(self) -> Decimal:
        return self.quality + self.social_value


class ScoringError(ValueError):
    """Inputs that cannot be scored: a score off the scale, a missing score, a price where none belongs."""


def criterion_points(score: int, weight: Decimal, scale_max: int) -> Decimal:
    """The points one answer earns: its weight in proportion to the score on the scale."""
    if not 0 <= score <= scale_max:
        raise ScoringError(f"A score must be from 0 to {scale_max}")
    return points(weight * Decimal(score) / Decimal(scale_max))


def price_points(price: Decimal, lowest: Decimal, weight: Decimal) -> Decimal:
    """Lowest price scores full marks; others in proportion (lowest / price)."""
    if price <= 0 or lowest <= 0:
        raise ScoringError("Prices must be more than £0")
    return points(weight * lowest / price)


def abnormally_low(price: Decimal, prices: Iterable[Decimal], share: Decimal = DEFAULT_ABNORMAL_SHARE) -> bool:
    """Whether ``price`` is under ``share`` of the average of ``prices`` (which include it)."""
    values = list(prices)
    if len(values) < 2:
        return False
    average = sum(values, Decimal(0)) / len(values)
    return price < average * share


def score_lot(
    *,
    criteria: list[Criterion],
    bids: list[Bid],
    scale_max: int,
    price_weight: Decimal,
    fixed_price: bool = False,
    abnormal_share: Decimal = DEFAULT_ABNORMAL_SHARE,
) -> list[Result]:
    """Score and rank every bid for one lot; results come back best first.

    Raises :class:`ScoringError` for a score off the scale, a criterion without
    a score, or a priced lot bid without a price.
    """
    priced = not fixed_price and price_weight > 0
    prices = [bid.price for bid in bids]
    if priced and any(p is None for p in prices):
        raise ScoringError("Every bid for a priced lot needs its price")
    lowest = min(prices) if priced and prices else None
    scored: list[Result] = []
    for bid in bids:
        components: dict[str, Decimal] = {}
        for criterion in criteria:
            if criterion.key not in bid.scores:
                raise ScoringError(f"Bid {bid.key} has no moderated score for {criterion.key}")
            components[criterion.key] = criterion_points(bid.scores[criterion.key], criterion.weight, scale_max)
        quality = sum((components[c.key] for c in criteria if c.kind == "quality"), Decimal(0))
        social = sum((components[c.key] for c in criteria if c.kind == "social_value"), Decimal(0))
        price = price_points(bid.price, lowest, price_weight) if priced else None
        flagged = priced and abnormally_low(bid.price, prices, abnormal_share)
        scored.append(
            Result(
                key=bid.key,
                components=components,
                quality=quality,
                social_value=social,
                price=price,
                total=quality + social + (price or Decimal(0)),
                abnormally_low=flagged,
            )
        )
    return rank(scored, prices={bid.key: bid.price for bid in bids})


def _order(result: Result, prices: Mapping[str, Decimal | None]) -> tuple:
    price = prices.get(result.key)
    # Highest total, then highest quality, then lowest price (no price sorts as level).
    return (-result.total, -result.quality_and_social_value, price if price is not None else Decimal(0))


def rank(results: list[Result], *, prices: Mapping[str, Decimal | None]) -> list[Result]:
    """Order results best first and number them; bids level on every tie-break share a rank and are marked tied."""
    ordered = sorted(results, key=lambda r: (_order(r, prices), r.key))
    ranked: list[Result] = []
    for index, result in enumerate(ordered):
        level_before = index > 0 and _order(ordered[index - 1], prices) == _order(result, prices)
        level_after = index + 1 < len(ordered) and _order(ordered[index + 1], prices) == _order(result, prices)
        number = ranked[-1].rank if level_before else index + 1
        ranked.append(
            Result(
                key=result.key,
                components=result.components,
                quality=result.quality,
                social_value=result.social_value,
                price=result.price,
                total=result.total,
                rank=number,
                tied=level_before or level_after,
                abnormally_low=result.abnormally_low,
            )
        )
    return ranked


def spread(scores: Iterable[int]) -> int:
    """The difference between the highest and lowest individual score: what moderation looks at first."""
    values = list(scores)
    return max(values) - min(values) if values else 0


def weights_total(criteria: list[Criterion], price_weight: Decimal) -> Decimal:
    """The criteria's weights and the price weight together: 100 for a well-formed opportunity."""
    return sum((c.weight for c in criteria), Decimal(0)) + price_weight
