"""An organisation's public page, with a part from each stage that has something to say about it.

A stage writes, in its app's ``organisation_page.py``::

    @organisation_part(order=10)
    def agreements(organisation, user) -> OrganisationPart | None:
        ...

The function is given the organisation (already loaded through
:func:`~commissioning.accounts.selectors.organisation_get_for`, so the user may
see it) and the user, and returns what to show or None. It reads only through
its own stage's selectors, so what it shows keeps that stage's rules (a public
page shows only what is published). The accounts app imports no stage: the
modules are found on first use, and parts show in the order of
``INSTALLED_APPS`` (the cycle's order), then by ``order``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class OrganisationPart:
    """What one stage shows on an organisation's page: a heading and a template of its own with its context."""

    heading: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PartFunction = Callable[[Any, Any], OrganisationPart | None]


@dataclass(frozen=True)
class _Registered:
    order: int
    function: PartFunction

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"


_REGISTRY: dict[str, _Registered] = {}
_discovered = False


def organisation_part(*, order: int = 0) -> Callable[[PartFunction], PartFunction]:
    """Register ``function(organisation, user) -> OrganisationPart | None``; registering it again replaces it."""

    def register(function: PartFunction) -> PartFunction:
        entry = _Registered(order=order, function=function)
        _REGISTRY[entry.name] = entry
        return function

    return register


def _app_position(entry: _Registered) -> int:
    order = [config.name for config in apps.get_app_configs()]
    config = apps.get_containing_app_config(entry.function.__module__)
    return order.index(config.name) if config is not None else len(order)


def parts_for(organisation, user) -> list[OrganisationPart]:
    """The stages' parts of ``organisation``'s page as ``user`` may see them, the empty ones left out."""
    global _discovered
    if not _discovered:
        autodiscover_modules("organisation_page")
        _discovered = True
    entries = sorted(_REGISTRY.values(), key=lambda e: (_app_position(e), e.order, e.name))
    return [part for entry in entries if (part := entry.function(organisation, user)) is not None]
