"""The standard evidence items live in the evidence app; this name keeps older imports working."""

from commissioning.evidence.standard_items import DEFAULT_ITEMS, StandardItem

__all__ = ["DEFAULT_ITEMS", "StandardItem"]
