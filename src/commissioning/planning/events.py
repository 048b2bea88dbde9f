"""What other stages may hook onto when something happens to a plan.

A later stage (the e-mail alerts of the opportunities) registers a function
here; the planning app never imports it. Each function is called once the
transaction that made the change has committed, with the plan.
"""

from collections.abc import Callable

from django.db import transaction

# Called with the plan each time one is put on the pipeline.
after_plan_published: list[Callable] = []


def announce_published(plan) -> None:
    """Call every ``after_plan_published`` hook with ``plan`` once the current transaction commits."""
    hooks = list(after_plan_published)
    if hooks:
        transaction.on_commit(lambda: [hook(plan) for hook in hooks])
