"""What a submission must hold before it can be submitted: pure checks over plain values.

The task list shows these section by section, and :func:`submission_submit`
refuses while any remain, so a provider sees the same sentence in both places.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from commissioning.core.money import format_money

WORD = re.compile(r"\S+")
# Drafts may run over the limit while they are being written (nothing typed is thrown away),
# up to this many times the limit; submitting needs them within it.
DRAFT_SLACK = 3


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of characters between spaces."""
    return len(WORD.findall(text or ""))


@dataclass(frozen=True)
class Problem:
    """Something to put right before submitting, with the section and field it belongs to."""

    section: str
    field: str
    message: str


def price_problem(
    *, pricing: str, price: Decimal | None, floor: Decimal | None, max_award: Decimal | None, lot_label: str
) -> str:
    """The reason a price cannot stand for a lot, or "" when it can (PR-6: never below the floor)."""
    if pricing == "fixed":
        return ""
    if price is None:
        return f"Enter your {'amount' if pricing == 'max_award' else 'price'} for {lot_label}"
    if price <= 0:
        return f"The {'amount' if pricing == 'max_award' else 'price'} for {lot_label} must be more than £0"
    if pricing == "floor" and floor is not None and price < floor:
        return (
            f"The price for {lot_label} must be at least the minimum acceptable price of {format_money(floor)}: "
            "a lower price is refused so that services are not bought below what they cost to run"
        )
    if pricing == "max_award" and max_award is not None and price > max_award:
        return f"The amount for {lot_label} must be no more than the maximum award of {format_money(max_award)}"
    return ""


def answer_problem(*, text: str, word_limit: int, number: int) -> str:
    """The reason an answer cannot be submitted, or ""."""
    words = count_words(text)
    if words == 0:
        return f"Answer question {number}"
    if words > word_limit:
        return f"Your answer to question {number} has {words} words: the limit is {word_limit}"
    return ""
