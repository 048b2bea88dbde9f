from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.equality import PROTECTED_CHARACTERISTICS, Characteristic
from commissioning.core.geography import LEEDS_LOCAL_AUTHORITY_CODE, leeds_wards
from commissioning.core.money import MoneyError, format_money, parse_money
from commissioning.core.sizebands import BANDS, SizeBand, income_range, size_band


@pytest.mark.parametrize(
    ("income", "band"),
    [
        (0, SizeBand.MICRO),
        (Decimal("9999.99"), SizeBand.MICRO),
        (10_000, SizeBand.SMALL),
        (99_999, SizeBand.SMALL),
        (100_000, SizeBand.MEDIUM),
        (1_000_000, SizeBand.LARGE),
        (10_000_000, SizeBand.MAJOR),
        (100_000_000, SizeBand.SUPER_MAJOR),
        (5_000_000_000, SizeBand.SUPER_MAJOR),
    ],
)
def test_ncvo_size_bands_include_their_lower_bound(income, band):
    assert size_band(income) == band


def test_unknown_income_has_no_band_and_negative_income_is_refused():
    assert size_band(None) is None
    with pytest.raises(ValueError):
        size_band(-1)


@given(st.decimals(min_value=0, max_value=10**10, places=2, allow_nan=False, allow_infinity=False))
def test_every_income_falls_in_exactly_one_band_within_its_range(income):
    band = size_band(income)
    matching = [b for b, low, high in BANDS if income >= low and (high is None or income < high)]
    assert matching == [band]
    low, high = income_range(band)
    assert low <= income and (high is None or income < high)


def test_leeds_has_33_wards_on_2018_boundaries():
    wards = leeds_wards()
    assert len(wards) == 33
    assert len({w.code for w in wards}) == 33
    assert all(w.code.startswith("E05") and len(w.code) == 9 for w in wards)
    assert {"Armley", "Wetherby", "Gipton & Harehills"} <= {w.name for w in wards}
    assert LEEDS_LOCAL_AUTHORITY_CODE == "E08000035"


@pytest.mark.django_db
def test_the_wards_are_loaded_into_the_database():
    from commissioning.core.models import Ward

    assert Ward.objects.count() == 33


def test_nine_protected_characteristics_plus_carers():
    assert len(PROTECTED_CHARACTERISTICS) == 9
    assert Characteristic.CARERS not in PROTECTED_CHARACTERISTICS
    assert len(Characteristic) == 10


@pytest.mark.parametrize(
    ("text", "value"),
    [("£1,234.50", Decimal("1234.50")), ("1234.5", Decimal("1234.50")), ("0", Decimal("0.00")), (12, Decimal("12.00"))],
)
def test_money_parses_pounds_and_pence(text, value):
    assert parse_money(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12.345", "no more than 2 decimal places"),
        ("-5", "zero or more"),
        ("twelve", "Enter an amount in pounds"),
        ("NaN", "Enter an amount in pounds"),
        ("Infinity", "Enter an amount in pounds"),
        ("", "Enter an amount"),
        ("12793627009195362446911471616", "9,999,999,999.99 or less"),
        ("1e40", "Enter an amount in pounds using digits"),
        ("10000000000", "9,999,999,999.99 or less"),
    ],
)
def test_money_refuses_what_is_not_pence_exact(text, message):
    with pytest.raises(MoneyError, match=message):
        parse_money(text)


def test_money_formats_for_people():
    assert format_money(Decimal("1234.50")) == "£1,234.50"
    assert format_money(Decimal("663540.00")) == "£663,540"


def test_the_clock_can_replay_an_earlier_moment_for_the_block_only():
    from datetime import timedelta

    from commissioning.core import clock

    earlier = clock.now() - timedelta(days=10)
    with clock.replaying(earlier):
        inside = clock.now()
        assert abs(inside - earlier) < timedelta(seconds=5)
        assert clock.today() == clock.london(inside).date()
    assert clock.now() - inside > timedelta(days=9)
