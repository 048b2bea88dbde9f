"""The time-driven side effects the ``clock`` command applies.

States that depend on time are computed from timestamps and never wait for
this: the clock only does what should *happen* at a time (reminders now;
later, notices and letters). Each app registers its jobs in its own
``chronograph.py`` with :func:`clock_job`; the registry imports those
modules on first use. A job must be safe to run again at any moment: it
records what it has done and does nothing twice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.module_loading import autodiscover_modules

from . import clock

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClockJob:
    """A named side effect: ``run(now)`` applies whatever is due at ``now`` and returns how many it applied."""

    name: str
    run: Callable[[datetime], int]
    description: str


_JOBS: dict[str, ClockJob] = {}
_discovered = False


def clock_job(name: str) -> Callable[[Callable[[datetime], int]], Callable[[datetime], int]]:
    """Register a function as a clock job under ``name`` (its docstring's first line describes it)."""

    def register(function: Callable[[datetime], int]) -> Callable[[datetime], int]:
        description = (function.__doc__ or name).strip().splitlines()[0]
        _JOBS[name] = ClockJob(name=name, run=function, description=description)
        return function

    return register


def clock_jobs() -> list[ClockJob]:
    """Every registered job, by name."""
    global _discovered
    if not _discovered:
        autodiscover_modules("chronograph")
        _discovered = True
    return [_JOBS[name] for name in sorted(_JOBS)]


def run_due(now: datetime | None = None, *, only: list[str] | None = None) -> dict[str, int]:
    """Run every job (or those named in ``only``) for the moment ``now``; return how many effects each applied.

    A job that fails is logged and the others still run; the failure is
    reported as -1 so the command can exit with an error.
    """
    now = now or clock.now()
    applied: dict[str, int] = {}
    for job in clock_jobs():
        if only and job.name not in only:
            continue
        try:
            applied[job.name] = job.run(now)
        except Exception:
            logger.exception("Clock job %s failed", job.name)
            applied[job.name] = -1
    return applied
