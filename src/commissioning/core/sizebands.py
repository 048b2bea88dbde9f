"""Organisation size bands by annual income (NCVO's bands).

micro: under £10,000; small: £10,000 to under £100,000; medium: £100,000 to
under £1m; large: £1m to under £10m; major: £10m to under £100m;
super-major: £100m and over. Each band includes its lower bound.
"""

from decimal import Decimal

from django.db import models


class SizeBand(models.TextChoices):
    MICRO = "micro", "Micro (under £10,000)"
    SMALL = "small", "Small (£10,000 to £100,000)"
    MEDIUM = "medium", "Medium (£100,000 to £1 million)"
    LARGE = "large", "Large (£1 million to £10 million)"
    MAJOR = "major", "Major (£10 million to £100 million)"
    SUPER_MAJOR = "super_major", "Super-major (over £100 million)"


# (band, lower bound inclusive, upper bound exclusive or None)
BANDS: list[tuple[SizeBand, Decimal, Decimal | None]] = [
    (SizeBand.MICRO, Decimal(0), Decimal(10_000)),
    (SizeBand.SMALL, Decimal(10_000), Decimal(100_000)),
    (SizeBand.MEDIUM, Decimal(100_000), Decimal(1_000_000)),
    (SizeBand.LARGE, Decimal(1_000_000), Decimal(10_000_000)),
    (SizeBand.MAJOR, Decimal(10_000_000), Decimal(100_000_000)),
    (SizeBand.SUPER_MAJOR, Decimal(100_000_000), None),
]


def size_band(income: Decimal | int | None) -> SizeBand | None:
    """Return the size band for an annual income, or None when income is unknown.

    Raises ValueError for a negative income, which no band admits.
    """
    if income is None:
        return None
    income = Decimal(income)
    if income < 0:
        raise ValueError("income must not be negative")
    for band, low, high in BANDS:
        if income >= low and (high is None or income < high):
            return band
    raise AssertionError("unreachable: the bands cover every non-negative income")


def income_range(band: SizeBand | str) -> tuple[Decimal, Decimal | None]:
    """Return the (inclusive lower, exclusive upper) income bounds of a band, for queries."""
    for candidate, low, high in BANDS:
        if candidate == band:
            return low, high
    raise ValueError(f"unknown size band {band!r}")
