"""Where later stages join in what evaluation does, without evaluation importing them.

Evaluation calls each registry at its moment; a later stage (feedback, say)
registers into them from its ``AppConfig.ready``. Evaluation works with none
registered: an award is decided, a notice recorded, the overview lists
evaluation's own tasks.

- :data:`after_award`: ``hook(evaluation)`` inside the award's transaction,
  after the decision is saved, so what it writes commits with the decision
  or not at all (letters written). Side effects for after the commit go
  through ``transaction.on_commit`` (surveys e-mailed).
- :data:`after_standstill`: ``hook(evaluation)`` inside the transaction that
  records the award notice's publication, once the standstill's end is
  counted (unsent letters brought up to date).
- :data:`overview_tasks`: ``hook(evaluation) -> list[Step]``, the tasks a
  stage adds to the end of the evaluation overview's task list, in the
  state its own pages read.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Registry:
    """An ordered set of hooks; registering the same function twice keeps one."""

    name: str
    hooks: list[Callable[..., Any]] = field(default_factory=list)

    def register(self, hook: Callable[..., Any]) -> Callable[..., Any]:
        """Add ``hook`` (usable as a decorator); a hook already there is not added again."""
        if hook not in self.hooks:
            self.hooks.append(hook)
        return hook

    def unregister(self, hook: Callable[..., Any]) -> None:
        """Take ``hook`` out, if it is there."""
        if hook in self.hooks:
            self.hooks.remove(hook)

    def call(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Call every hook in the order registered; return what each returned."""
        return [hook(*args, **kwargs) for hook in list(self.hooks)]


after_award = Registry("after_award")
after_standstill = Registry("after_standstill")
overview_tasks = Registry("overview_tasks")
