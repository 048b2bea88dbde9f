"""The pure calculations of contract management, as properties that hold for any input."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.workdays import is_working_day

from .. import monitoring
from ..models import PaymentBasis, Risk, Tier

SETTINGS = {
    "light_tier_up_to": Decimal("25000"),
    "standard_tier_up_to": Decimal("250000"),
    "high_risk_raises_tiers": 1,
    "returns_per_year_light": 1,
    "returns_per_year_standard": 2,
    "returns_per_year_enhanced": 4,
    "measures_light": 3,
    "measures_standard": 6,
    "measures_enhanced": 10,
    "spend_reported_over": Decimal("25000"),
    "claims_evidence_over": Decimal("250000"),
}
ORDER = [Tier.LIGHT, Tier.STANDARD, Tier.ENHANCED]
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000000"), places=2)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(money, money)
def test_a_higher_value_never_gets_a_lighter_tier(a, b):
    low, high = sorted((a, b))
    for risk in Risk.values:
        assert ORDER.index(monitoring.tier_for(low, risk, SETTINGS)) <= ORDER.index(
            monitoring.tier_for(high, risk, SETTINGS)
        )


@given(money)
def test_a_high_risk_raises_the_tier_by_the_setting_and_never_past_enhanced(value):
    base = ORDER.index(monitoring.tier_for(value, Risk.MEDIUM, SETTINGS))
    assert monitoring.tier_for(value, Risk.LOW, SETTINGS) == ORDER[base]
    assert monitoring.tier_for(value, Risk.HIGH, SETTINGS) == ORDER[min(base + 1, 2)]
    assert monitoring.tier_for(value, Risk.HIGH, {**SETTINGS, "high_risk_raises_tiers": 0}) == ORDER[base]


def test_the_tier_bands_include_their_top_value():
    assert monitoring.tier_for(Decimal("25000"), Risk.MEDIUM, SETTINGS) == Tier.LIGHT
    assert monitoring.tier_for(Decimal("25000.01"), Risk.MEDIUM, SETTINGS) == Tier.STANDARD
    assert monitoring.tier_for(Decimal("250000.01"), Risk.MEDIUM, SETTINGS) == Tier.ENHANCED


@given(days, st.integers(min_value=0, max_value=3700), st.sampled_from([1, 2, 3, 4, 6, 12]))
def test_the_periods_cover_every_day_of_the_term_once(start, length, per_year):
    end = start + timedelta(days=length)
    found = monitoring.periods(start, end, per_year)
    assert found[0].start == start and found[-1].end == end
    for before, after in zip(found, found[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    assert [p.number for p in found] == list(range(1, len(found) + 1))
    assert all(p.start <= p.end for p in found)


def test_periods_from_a_month_end_do_not_drift_and_meet_leap_years():
    found = monitoring.periods(date(2027, 1, 31), date(2028, 1, 30), 12)
    assert [p.start for p in found[:3]] == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31)]
    leap = monitoring.periods(date(2027, 8, 31), date(2028, 8, 30), 2)
    assert leap[0].end == date(2028, 2, 28) and leap[1].start == date(2028, 2, 29)
    assert monitoring.add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


@given(days, st.integers(min_value=1, max_value=40))
def test_a_return_is_due_on_a_working_day_after_its_period(end, working_days):
    due = monitoring.return_due_on(end, working_days)
    assert due > end and is_working_day(due)


@given(
    money,
    days,
    st.integers(min_value=0, max_value=2000),
    st.sampled_from([0, 1, 3, 6, 12]),
    st.sampled_from(PaymentBasis.values),
)
def test_the_instalments_add_up_to_the_value_exactly_and_fall_within_reach_of_the_term(
    value, start, length, interval, basis
):
    end = start + timedelta(days=length)
    schedule = monitoring.payment_schedule(value, start, end, interval, basis)
    assert sum(item.amount for item in schedule) == value
    assert all(item.amount > 0 for item in schedule)
    for item in schedule:
        expected = item.period_start if basis == PaymentBasis.ADVANCE else item.period_end + timedelta(days=1)
        assert item.due_on == expected


def test_a_grant_paid_quarterly_in_advance_is_due_on_each_quarters_first_day():
    schedule = monitoring.payment_schedule(Decimal("40000"), date(2026, 4, 1), date(2027, 3, 31), 3, "advance")
    assert [i.due_on for i in schedule] == [date(2026, 4, 1), date(2026, 7, 1), date(2026, 10, 1), date(2027, 1, 1)]
    assert {i.amount for i in schedule} == {Decimal("10000.00")}


@given(days, st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=90))
def test_days_to_pay_count_calendar_days_and_the_terms_include_their_last_day(received, taken, terms):
    paid = received + timedelta(days=taken)
    assert monitoring.days_to_pay(received, paid) == taken
    assert monitoring.paid_within(received, paid, terms) == (taken <= terms)


def test_a_payment_before_its_invoice_is_refused():
    with pytest.raises(ValueError):
        monitoring.days_to_pay(date(2026, 5, 2), date(2026, 5, 1))


RATES = {2021: Decimal("2.6"), 2022: Decimal("9.1"), 2023: Decimal("7.3"), 2024: Decimal("2.5"), 2025: Decimal("3.4")}


def test_forty_thousand_a_year_since_2021_in_2021_pounds():
    assert monitoring.real_terms(Decimal("40000"), 2021, 2025, RATES) == Decimal("32240")
    assert monitoring.real_terms(Decimal("40000"), 2021, 2021, RATES) == Decimal("40000")
    assert monitoring.uplift_to_keep_value(Decimal("40000"), 2021, 2025, RATES) == Decimal("49628.24")


@given(st.dictionaries(st.integers(2016, 2030), st.decimals(min_value=0, max_value=15, places=1), min_size=15))
def test_with_prices_rising_the_real_value_never_grows(rates):
    years = sorted(rates)
    assert monitoring.real_terms(Decimal("1000"), years[0] - 1, years[-1], rates) <= Decimal("1000")


def test_a_missing_year_is_never_made_up():
    with pytest.raises(KeyError):
        monitoring.real_terms(Decimal("1000"), 2020, 2027, RATES)


NOTICE = {"value_percent": 10, "term_percent": 10}


def _notice(**kwargs):
    base = {
        "original_value": Decimal("1000000"),
        "value_changes": Decimal("0"),
        "original_days": 1000,
        "term_change_days": 0,
        "light_touch": False,
        "above_threshold": True,
        "material_scope_change": False,
        "settings": NOTICE,
    }
    return monitoring.change_notice_needed(**{**base, **kwargs})


def test_a_change_notice_is_needed_over_ten_per_cent_of_value_or_term():
    assert not _notice(value_changes=Decimal("100000")).required
    assert _notice(value_changes=Decimal("100000.01")).required
    assert _notice(value_changes=Decimal("-150000")).required
    assert not _notice(term_change_days=100).required and _notice(term_change_days=101).required
    assert _notice(material_scope_change=True).required


def test_light_touch_and_below_threshold_contracts_never_need_a_change_notice():
    assert not _notice(value_changes=Decimal("900000"), light_touch=True).required
    assert not _notice(value_changes=Decimal("900000"), above_threshold=False).required


@given(st.decimals(min_value=-2000000, max_value=2000000, places=2))
def test_a_bigger_change_never_needs_less_notice(change):
    if _notice(value_changes=change).required:
        assert _notice(value_changes=change * 2).required
