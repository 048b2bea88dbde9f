"""The transitions engine: a status table, guards, and the audit event in one transaction.

A workflow is declared as data: a list of :class:`Transition` rows, each naming
the move, the statuses it may start from, the status it ends in and the guards
that must pass. :func:`transition` is the only way a status changes: it locks
the row, checks the move is in the table and every guard passes, saves the new
status with any other field changes, and records an audit event, all in one
database transaction. A refused move changes nothing.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

from commissioning.audit.services import audit_record

# A guard looks at the object (and the actor) and returns None when the move may
# go ahead, or a sentence saying why not.
Guard = Callable[[Any, Any], str | None]


class TransitionError(Exception):
    """A move that is not allowed: wrong state, unknown move or a failed guard."""

    def __init__(self, messages: Iterable[str]):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    guards: tuple[Guard, ...] = ()
    verb: str = ""

    @property
    def audit_verb(self) -> str:
        return self.verb or self.name


@dataclass(frozen=True)
class Workflow:
    """A status table: which moves exist, from where, to where, with which guards."""

    name: str
    statuses: type[models.TextChoices]
    transitions: tuple[Transition, ...] = field(default_factory=tuple)
    field_name: str = "status"

    def __post_init__(self):
        valid = set(self.statuses.values)
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: transition names must be unique")
        for move in self.transitions:
            unknown = (set(move.sources) | {move.target}) - valid
            if unknown:
                raise ValueError(f"{self.name}.{move.name}: unknown statuses {sorted(unknown)}")

    def get(self, name: str) -> Transition:
        for move in self.transitions:
            if move.name == name:
                return move
        raise TransitionError([f"There is no move called {name!r} in {self.name}"])

    def moves_from(self, status: str) -> list[Transition]:
        """Return the moves the table allows from ``status`` (before guards)."""
        return [move for move in self.transitions if status in move.sources]

    def steps(self) -> dict[str, int]:
        """Return how many moves each status lies from the start, by the shortest way through the table.

        The start is the first status declared. A move back (a send-back) never shortens the way,
        so each status's number says how far along the table it is. A status no move reaches from
        the start is left out.
        """
        start = self.statuses.values[0]
        steps = {start: 0}
        frontier = [start]
        while frontier:
            following = []
            for status in frontier:
                for move in self.moves_from(status):
                    if move.target not in steps:
                        steps[move.target] = steps[status] + 1
                        following.append(move.target)
            frontier = following
        return steps

    def reached(self, current: str, status: str) -> bool:
        """Whether something at ``current`` has reached ``status`` or gone past it along the table."""
        steps = self.steps()
        if current not in steps or status not in steps:
            raise ValueError(f"{self.name}: {current!r} or {status!r} is not on the way through the table")
        return steps[current] >= steps[status]

    def check(self, obj: Any, name: str, actor: Any = None) -> list[str]:
        """Return why ``name`` may not be applied to ``obj`` now; empty when it may."""
        move = self.get(name)
        current = getattr(obj, self.field_name)
        if current not in move.sources:
            label = self.statuses(current).label if current in self.statuses.values else current
            return [f"This cannot be done while the status is {label.lower()}"]
        return [reason for guard in move.guards if (reason := guard(obj, actor))]


def t(name: str, sources: str | Iterable[str], target: str, *guards: Guard, verb: str = "") -> Transition:
    """Shorthand for one row of a status table."""
    source_set = frozenset([sources] if isinstance(sources, str) else sources)
    return Transition(name=name, sources=source_set, target=target, guards=tuple(guards), verb=verb)


def transition(
    *,
    workflow: Workflow,
    obj: models.Model,
    name: str,
    actor: Any,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> models.Model:
    """Apply move ``name`` to ``obj`` and audit it, atomically.

    The row is re-read under a lock so two concurrent moves cannot both pass
    their guards on a stale status. Raises :class:`TransitionError` and leaves
    the database unchanged when the move is not allowed. Returns the fresh object.
    """
    move = workflow.get(name)
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        before = {workflow.field_name: getattr(locked, workflow.field_name)}
        after = {workflow.field_name: move.target}
        # Guards see the move's other changes (a reason, a date) as they would be
        # saved; nothing is saved unless every guard passes.
        for key, value in (changes or {}).items():
            if key == workflow.field_name:
                raise ValueError("the status changes only through the move itself")
            before[key] = getattr(locked, key)
            after[key] = value
            setattr(locked, key, value)
        problems = workflow.check(locked, name, actor)
        if problems:
            raise TransitionError(problems)
        setattr(locked, workflow.field_name, move.target)
        locked.save(update_fields=[*after.keys(), *_auto_now_fields(locked)])
        audit_record(
            actor=actor,
            verb=f"{workflow.name}.{move.audit_verb}",
            obj=locked,
            before=before,
            after=after,
            reason=reason,
        )
    for key in after:
        setattr(obj, key, getattr(locked, key))
    return locked


def _auto_now_fields(instance: models.Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
