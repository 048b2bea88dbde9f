"""Overlap detection as pure functions: the rule for two plans, and the sweep over many."""

from datetime import date, timedelta
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from commissioning.planning.overlaps import PlanFacts, overlapping_pairs, plans_overlap

DAY0 = date(2027, 1, 1)


@st.composite
def plan_facts(draw, key=None):
    start = DAY0 + timedelta(days=draw(st.integers(0, 700)))
    wards = draw(st.frozensets(st.integers(1, 6), max_size=3))
    lead = draw(st.integers(1, 4))
    return PlanFacts(
        key=draw(st.integers(1, 10_000)) if key is None else key,
        outcome_area=draw(st.integers(1, 3)),
        start=start,
        end=start + timedelta(days=draw(st.integers(0, 500))),
        lead_body=lead,
        wards=wards,
        city_wide=draw(st.booleans()) if not wards else draw(st.sampled_from([False, False, True])),
        joint_bodies=draw(st.frozensets(st.integers(1, 4), max_size=2)) - {lead},
    )


@st.composite
def many_plans(draw):
    count = draw(st.integers(0, 25))
    return [draw(plan_facts(key=k)) for k in range(1, count + 1)]


def brute_force(plans):
    return {(min(a.key, b.key), max(a.key, b.key)) for a, b in combinations(plans, 2) if plans_overlap(a, b)}


def base(**changes) -> PlanFacts:
    facts = {
        "key": 1,
        "outcome_area": 1,
        "start": date(2027, 4, 1),
        "end": date(2028, 3, 31),
        "lead_body": 1,
        "wards": frozenset({10}),
    }
    return PlanFacts(**(facts | changes))


@given(plan_facts(), plan_facts())
def test_overlapping_is_symmetric(a, b):
    assert plans_overlap(a, b) == plans_overlap(b, a)


@given(plan_facts())
def test_a_plan_never_overlaps_itself(a):
    assert not plans_overlap(a, a)


@given(many_plans())
def test_the_sweep_finds_exactly_the_pairs_that_checking_every_pair_finds(plans):
    assert overlapping_pairs(plans) == brute_force(plans)


@given(plan_facts(key=1), plan_facts(key=2), st.integers(1, 400))
def test_moving_one_plans_period_after_the_others_end_clears_the_overlap(a, b, gap):
    length = b.end - b.start
    moved = PlanFacts(
        **{**b.__dict__, "start": a.end + timedelta(days=gap), "end": a.end + timedelta(days=gap) + length}
    )
    assert not plans_overlap(a, moved)
    assert overlapping_pairs([a, moved]) == set()


def test_same_area_shared_ward_shared_days_different_bodies_overlap():
    assert plans_overlap(base(), base(key=2, lead_body=2))


def test_periods_that_touch_on_one_day_overlap_both_ends_included():
    assert plans_overlap(base(), base(key=2, lead_body=2, start=date(2028, 3, 31), end=date(2029, 3, 31)))
    assert not plans_overlap(base(), base(key=2, lead_body=2, start=date(2028, 4, 1), end=date(2029, 3, 31)))


def test_a_city_wide_plan_overlaps_one_in_any_ward():
    assert plans_overlap(base(), base(key=2, lead_body=2, wards=frozenset(), city_wide=True))


def test_different_wards_or_areas_do_not_overlap():
    assert not plans_overlap(base(), base(key=2, lead_body=2, wards=frozenset({11})))
    assert not plans_overlap(base(), base(key=2, lead_body=2, outcome_area=2))


def test_the_same_body_or_bodies_already_commissioning_together_do_not_overlap():
    assert not plans_overlap(base(), base(key=2))
    assert not plans_overlap(base(), base(key=2, lead_body=2, joint_bodies=frozenset({1})))
    assert not plans_overlap(base(joint_bodies=frozenset({2})), base(key=2, lead_body=2))
