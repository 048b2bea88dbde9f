"""The record's page, stage by stage: each stage adds its own part through this registry.

A stage writes, in its app's ``record.py``::

    @record_section(stage="procurement", order=10)
    def opportunities(record, user) -> Section | None:
        ...

The function is given the record (already loaded through
:func:`~commissioning.records.selectors.record_get_for`, so the user may see
it) and the user; it returns what to show, or None to show nothing. It must
read only through its own stage's selectors, so what it shows respects that
stage's rules (the seal on bids above all). The records app imports no stage:
``RecordsConfig.ready`` imports every app's ``record.py``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from commissioning.practice.catalogue import STAGE_LABELS, STAGES


@dataclass(frozen=True)
class Row:
    """One line of a section's summary list; ``href`` makes the value a link."""

    key: str
    value: str
    href: str = ""


@dataclass(frozen=True)
class Part:
    """One thing a section shows (an opportunity, an evaluation): a heading, its rows and its rule outcomes."""

    heading: str
    rows: list[Row] = field(default_factory=list)
    href: str = ""
    outcomes: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """What one stage shows on the record's page.

    Either ``parts`` (each with summary-list rows and the Code's rule outcomes
    at that stage, as ``practice.selectors.rule_outcomes_for`` returns them)
    and ``text``, or a ``template`` of its own given ``context``.
    """

    heading: str
    parts: list[Part] = field(default_factory=list)
    text: str = ""
    template: str = ""
    context: dict[str, Any] = field(default_factory=dict)


SectionFunction = Callable[[Any, Any], Section | None]


@dataclass(frozen=True)
class Registered:
    stage: str
    order: int
    function: SectionFunction

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"


@dataclass(frozen=True)
class StageSections:
    """The sections of one of the Code's stages, as the page shows them."""

    key: str
    label: str
    sections: list[Section]


_REGISTRY: dict[str, Registered] = {}
_STAGE_ORDER = {stage.key: position for position, stage in enumerate(STAGES)}


def record_section(*, stage: str, order: int = 0) -> Callable[[SectionFunction], SectionFunction]:
    """Register ``function(record, user) -> Section | None`` as part of the record's page at ``stage``.

    ``stage`` is one of the Code's stages (``practice.catalogue.STAGES``);
    sections show in the Code's order of stages, then by ``order``. Registering
    the same function again (a module imported twice) replaces it.
    """
    if stage not in STAGE_LABELS:
        raise ValueError(f"Unknown stage {stage!r}: use one of {', '.join(STAGE_LABELS)}")

    def register(function: SectionFunction) -> SectionFunction:
        entry = Registered(stage=stage, order=order, function=function)
        _REGISTRY[entry.name] = entry
        return function

    return register


def unregister(function: SectionFunction) -> None:
    """Take a section out of the registry (for tests that register their own)."""
    _REGISTRY.pop(f"{function.__module__}.{function.__qualname__}", None)


def registered() -> list[Registered]:
    """Every registered section, in the page's order."""
    return sorted(_REGISTRY.values(), key=lambda r: (_STAGE_ORDER[r.stage], r.order, r.name))


def sections_for(record, user) -> list[StageSections]:
    """The story so far of ``record`` as ``user`` may see it: each stage with the sections it returned.

    Stages whose sections all returned None are left out. The caller must
    have loaded ``record`` through ``record_get_for``.
    """
    by_stage: dict[str, list[Section]] = {}
    for entry in registered():
        section = entry.function(record, user)
        if section is not None:
            by_stage.setdefault(entry.stage, []).append(section)
    return [StageSections(key, STAGE_LABELS[key], sections) for key, sections in by_stage.items()]
