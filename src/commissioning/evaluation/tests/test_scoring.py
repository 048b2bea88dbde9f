"""Property tests of the scoring functions: weights, proportions, ties, fixed-price lots, rounding."""

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from commissioning.evaluation.scoring import (
    Bid,
    Criterion,
    ScoringError,
    abnormally_low,
    criterion_points,
    points,
    price_points,
    score_lot,
    spread,
)

SCALE = 4
CRITERIA = [
    Criterion("q1", "quality", Decimal(30)),
    Criterion("q2", "quality", Decimal(30)),
    Criterion("sv", "social_value", Decimal(10)),
]
PRICE_WEIGHT = Decimal(30)

scores = st.integers(min_value=0, max_value=SCALE)
prices = st.decimals(min_value=Decimal("1000.00"), max_value=Decimal("2000000.00"), places=2)


@st.composite
def bids(draw, priced=True, min_size=1, max_size=8):
    n = draw(st.integers(min_value=min_size, max_value=max_size))
    return [
        Bid(
            key=f"b{i}",
            scores={c.key: draw(scores) for c in CRITERIA},
            price=draw(prices) if priced else None,
        )
        for i in range(n)
    ]


def two_places(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.01"))


@given(bids())
def test_every_component_is_in_points_to_two_places_and_the_total_adds_up(lot):
    for result in score_lot(criteria=CRITERIA, bids=lot, scale_max=SCALE, price_weight=PRICE_WEIGHT):
        assert all(two_places(v) for v in result.components.values())
        assert two_places(result.price)
        assert result.total == result.quality + result.social_value + result.price
        assert result.quality == result.components["q1"] + result.components["q2"]
        assert Decimal(0) <= result.total <= Decimal(100)


@given(bids())
def test_the_lowest_price_scores_full_marks_and_others_in_proportion(lot):
    results = {r.key: r for r in score_lot(criteria=CRITERIA, bids=lot, scale_max=SCALE, price_weight=PRICE_WEIGHT)}
    lowest = min(b.price for b in lot)
    for bid in lot:
        if bid.price == lowest:
            assert results[bid.key].price == PRICE_WEIGHT
        else:
            assert results[bid.key].price <= PRICE_WEIGHT
            assert results[bid.key].price == points(PRICE_WEIGHT * lowest / bid.price)


@given(bids())
def test_results_are_ranked_by_total_then_quality_then_price(lot):
    results = score_lot(criteria=CRITERIA, bids=lot, scale_max=SCALE, price_weight=PRICE_WEIGHT)
    price = {b.key: b.price for b in lot}
    assert [r.rank for r in results] == sorted(r.rank for r in results)
    assert results[0].rank == 1
    for better, worse in zip(results, results[1:], strict=False):
        assert (better.total, better.quality_and_social_value, -price[better.key]) >= (
            worse.total,
            worse.quality_and_social_value,
            -price[worse.key],
        )
        level = (better.total, better.quality_and_social_value, price[better.key]) == (
            worse.total,
            worse.quality_and_social_value,
            price[worse.key],
        )
        assert (better.rank == worse.rank) == level
        if level:
            assert better.tied and worse.tied


@given(bids(), st.randoms())
def test_the_order_bids_arrive_in_changes_nothing(lot, random):
    shuffled = list(lot)
    random.shuffle(shuffled)
    first = {r.key: r for r in score_lot(criteria=CRITERIA, bids=lot, scale_max=SCALE, price_weight=PRICE_WEIGHT)}
    second = {r.key: r for r in score_lot(criteria=CRITERIA, bids=shuffled, scale_max=SCALE, price_weight=PRICE_WEIGHT)}
    assert first == second


@given(bids(min_size=2), st.sampled_from([c.key for c in CRITERIA]))
def test_a_better_answer_never_lowers_a_bids_total_or_rank(lot, key):
    bid = lot[0]
    assume(bid.scores[key] < SCALE)
    better = Bid(key=bid.key, scores={**bid.scores, key: bid.scores[key] + 1}, price=bid.price)
    before = {r.key: r for r in score_lot(criteria=CRITERIA, bids=lot, scale_max=SCALE, price_weight=PRICE_WEIGHT)}
    after = {
        r.key: r
        for r in score_lot(criteria=CRITERIA, bids=[better, *lot[1:]], scale_max=SCALE, price_weight=PRICE_WEIGHT)
    }
    assert after[bid.key].total >= before[bid.key].total
    assert after[bid.key].rank <= before[bid.key].rank


@given(bids(priced=False))
def test_a_fixed_price_lot_is_scored_on_quality_alone(lot):
    results = score_lot(criteria=CRITERIA, bids=lot, scale_max=SCALE, price_weight=PRICE_WEIGHT, fixed_price=True)
    for result in results:
        assert result.price is None
        assert result.total == result.quality + result.social_value
        assert not result.abnormally_low


def test_full_marks_and_the_lowest_price_make_one_hundred():
    perfect = Bid("a", {c.key: SCALE for c in CRITERIA}, Decimal("50000"))
    dearer = Bid("b", {c.key: SCALE for c in CRITERIA}, Decimal("60000"))
    best, second = score_lot(criteria=CRITERIA, bids=[dearer, perfect], scale_max=SCALE, price_weight=PRICE_WEIGHT)
    assert (best.key, best.total, best.rank) == ("a", Decimal(100), 1)
    assert second.price == Decimal("25.00") and second.total == Decimal("95.00")


def test_a_tie_on_total_goes_to_the_higher_quality_score():
    # a: quality 30 + price 20 = 50; b: quality 20 + price 30 (the lowest) = 50.
    criteria = [Criterion("q", "quality", Decimal(40))]
    a = Bid("a", {"q": 3}, Decimal("60000"))
    b = Bid("b", {"q": 2}, Decimal("40000"))
    first, second = score_lot(criteria=criteria, bids=[b, a], scale_max=4, price_weight=Decimal(30))
    assert first.total == second.total == Decimal("50.00")
    assert (first.key, first.rank, second.rank) == ("a", 1, 2)
    assert not first.tied and not second.tied


def test_bids_level_on_everything_share_a_rank():
    a = Bid("a", {c.key: 2 for c in CRITERIA}, Decimal("50000"))
    b = Bid("b", {c.key: 2 for c in CRITERIA}, Decimal("50000"))
    results = score_lot(criteria=CRITERIA, bids=[a, b], scale_max=SCALE, price_weight=PRICE_WEIGHT)
    assert [r.rank for r in results] == [1, 1] and all(r.tied for r in results)


def test_rounding_is_half_up_to_two_places():
    assert criterion_points(1, Decimal(10), 3) == Decimal("3.33")
    assert criterion_points(2, Decimal(10), 3) == Decimal("6.67")
    assert price_points(Decimal("3"), Decimal("1"), Decimal("10")) == Decimal("3.33")
    assert points(Decimal("0.125")) == Decimal("0.13")


@pytest.mark.parametrize("score", [-1, 5])
def test_a_score_off_the_scale_is_refused(score):
    with pytest.raises(ScoringError, match="from 0 to 4"):
        criterion_points(score, Decimal(10), 4)


def test_a_missing_score_or_price_is_refused():
    with pytest.raises(ScoringError, match="no moderated score"):
        score_lot(criteria=CRITERIA, bids=[Bid("a", {"q1": 1}, Decimal(1))], scale_max=4, price_weight=PRICE_WEIGHT)
    with pytest.raises(ScoringError, match="needs its price"):
        score_lot(
            criteria=CRITERIA, bids=[Bid("a", {c.key: 1 for c in CRITERIA})], scale_max=4, price_weight=PRICE_WEIGHT
        )


def test_a_price_far_below_the_average_is_flagged_not_excluded():
    assert abnormally_low(Decimal(70), [Decimal(70), Decimal(100), Decimal(110)])
    assert not abnormally_low(Decimal(90), [Decimal(90), Decimal(100), Decimal(110)])
    assert not abnormally_low(Decimal(10), [Decimal(10)])
    lot = [
        Bid("low", {c.key: 2 for c in CRITERIA}, Decimal(60000)),
        *[Bid(f"b{i}", {c.key: 2 for c in CRITERIA}, Decimal(100000)) for i in range(3)],
    ]
    results = {r.key: r for r in score_lot(criteria=CRITERIA, bids=lot, scale_max=SCALE, price_weight=PRICE_WEIGHT)}
    assert results["low"].abnormally_low and results["low"].rank == 1
    assert not results["b0"].abnormally_low


def test_spread_is_the_gap_between_highest_and_lowest():
    assert spread([1, 4, 2]) == 3 and spread([2, 2]) == 0 and spread([]) == 0
