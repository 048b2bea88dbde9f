"""PL-3's lead times as pure calculations, shared by the plan's and the opportunity's checks."""

from decimal import Decimal


def lead_days_required(value: Decimal, settings: dict) -> int:
    """PL-3's least working days from publishing to the deadline for a contract of ``value``."""
    if value >= Decimal(settings["lead_value_threshold"]):
        return int(settings["lead_days_above_threshold"])
    return int(settings["lead_days_below_threshold"])


def advert_to_start_required(value: Decimal, settings: dict) -> int:
    """PL-3's least working days from advertising to the start: time to bid, then time to mobilise.

    The award sits between them; the plan does not know its date yet, so the
    two minimums are added and the time to evaluate is the commissioner's to add.
    """
    return lead_days_required(value, settings) + int(settings["mobilisation_days"])
