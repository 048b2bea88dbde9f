"""Money as Decimal pounds, exact to the penny.

Money is never a float. Amounts are stored in ``MoneyField`` (a DecimalField
with two decimal places) and parsed from user input with :func:`parse_money`,
which refuses anything that is not a whole number of pence.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models

PENNY = Decimal("0.01")


class MoneyError(ValueError):
    """Raised when a text is not an amount of money in pounds and pence."""


LARGEST = Decimal("9999999999.99")
# What a typed amount may look like: digits and commas, then at most one point and its digits,
# with an optional £ in front. "1e4", "NaN", "1_000" and "0x10" are not amounts of money.
TYPED_AMOUNT = re.compile(r"(?P<sign>-?)(?:£\s*)?(?P<minus>-?)(?P<number>[0-9][0-9,]*(?:\.[0-9]+)?)")


def parse_money(text: str | int | Decimal, *, allow_negative: bool = False) -> Decimal:
    """Parse "£1,234.50", "1234.5" or 1234 into Decimal("1234.50").

    Typed text may hold digits, commas and one decimal point, with an optional
    leading £ (and a minus sign, where negative amounts are allowed): "1e4",
    "NaN" or "-0" are refused, never read as numbers. Refuses more than two
    decimal places (never silently rounds someone's price), infinities and,
    unless allowed, negative amounts.
    """
    shape = "Enter an amount in pounds using digits, like 1250 or 1,250.50"
    if isinstance(text, Decimal | int):
        raw = str(text)
    else:
        raw = str(text).strip()
        if not raw:
            raise MoneyError("Enter an amount")
        found = TYPED_AMOUNT.fullmatch(raw)
        if found is None or (found["sign"] and found["minus"]) or found["number"].endswith(","):
            raise MoneyError(shape)
        negative = bool(found["sign"] or found["minus"])
        if negative and not allow_negative:
            raise MoneyError("Enter an amount of zero or more")
        raw = ("-" if negative else "") + found["number"].replace(",", "")
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise MoneyError(shape) from exc
    if not value.is_finite():
        raise MoneyError(shape)
    # What a money column holds; and quantizing a longer number would itself fail.
    if abs(value) > LARGEST:
        raise MoneyError("Enter an amount of £9,999,999,999.99 or less")
    if value != value.quantize(PENNY):
        raise MoneyError("Enter an amount with no more than 2 decimal places")
    if value < 0 and not allow_negative:
        raise MoneyError("Enter an amount of zero or more")
    return value.quantize(PENNY)


def round_pence(value: Decimal) -> Decimal:
    """Round a computed amount to the penny, halves away from zero."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def format_money(value: Decimal | str | None) -> str:
    """Format an amount as "£1,234.50" (or "£1,234" when it is whole pounds).

    A string is read as the exact decimal it spells, as stored in a canonical document.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = Decimal(value)
    if value == value.to_integral_value():
        return f"£{value:,.0f}"
    return f"£{value:,.2f}"


class MoneyField(models.DecimalField):
    """A sum of money in pounds, exact to the penny, up to £9,999,999,999.99."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
