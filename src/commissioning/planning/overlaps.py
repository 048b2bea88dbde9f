"""When two plans overlap (PL-1), as plain functions over plain values.

Two plans overlap when they are for the same outcome area, share a ward (or
either is city-wide), their periods share at least one day (both ends
included), and they are by different commissioning bodies that are not
already commissioning together (neither lead body is a joint body of the
other plan). Nothing here reads the database: the service gives the facts.

:func:`overlapping_pairs` finds every overlapping pair among many plans
without comparing all pairs: plans are grouped by outcome area, sorted by
start, and swept, so a plan is compared only with those of its area whose
period is still running when it starts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PlanFacts:
    """What overlapping depends on: the outcome area, where, when, and by whom."""

    key: int
    outcome_area: int
    start: date
    end: date
    lead_body: int
    wards: frozenset[int] = field(default_factory=frozenset)
    city_wide: bool = False
    joint_bodies: frozenset[int] = field(default_factory=frozenset)


def _same_place(a: PlanFacts, b: PlanFacts) -> bool:
    return a.city_wide or b.city_wide or not a.wards.isdisjoint(b.wards)


def _same_time(a: PlanFacts, b: PlanFacts) -> bool:
    return a.start <= b.end and b.start <= a.end


def _different_bodies(a: PlanFacts, b: PlanFacts) -> bool:
    if a.lead_body == b.lead_body:
        return False
    return a.lead_body not in b.joint_bodies and b.lead_body not in a.joint_bodies


def plans_overlap(a: PlanFacts, b: PlanFacts) -> bool:
    """Whether plans ``a`` and ``b`` overlap; symmetric, and never true of a plan and itself."""
    if a.key == b.key or a.outcome_area != b.outcome_area:
        return False
    return _same_time(a, b) and _same_place(a, b) and _different_bodies(a, b)


def overlapping_pairs(plans: Iterable[PlanFacts]) -> set[tuple[int, int]]:
    """Every overlapping pair among ``plans``, each as ``(lower key, higher key)``.

    The same answer as checking every pair with :func:`plans_overlap`. Each
    plan is compared only with plans of its outcome area still running when it
    starts, and of those only with the ones in one of its wards or city-wide
    (a city-wide plan with every one running), so the work grows with the pairs
    that could overlap, not with the square of the plans.
    """
    by_area: dict[int, list[PlanFacts]] = defaultdict(list)
    for plan in plans:
        by_area[plan.outcome_area].append(plan)
    found: set[tuple[int, int]] = set()
    for area_plans in by_area.values():
        area_plans.sort(key=lambda p: (p.start, p.key))
        everyone = _Running()
        city_wide = _Running()
        by_ward: dict[int, _Running] = defaultdict(_Running)
        for plan in area_plans:
            if plan.city_wide:
                candidates = everyone.at(plan.start)
            else:
                candidates = city_wide.at(plan.start)
                for ward in plan.wards:
                    candidates = candidates + by_ward[ward].at(plan.start)
            for other in candidates:
                if plans_overlap(plan, other):
                    found.add((min(plan.key, other.key), max(plan.key, other.key)))
            everyone.add(plan)
            if plan.city_wide:
                city_wide.add(plan)
            for ward in plan.wards:
                by_ward[ward].add(plan)
    return found


class _Running:
    """Plans met so far in the sweep, forgetting those that ended before the day asked about."""

    def __init__(self) -> None:
        self.plans: list[PlanFacts] = []

    def add(self, plan: PlanFacts) -> None:
        self.plans.append(plan)

    def at(self, day: date) -> list[PlanFacts]:
        # The sweep asks in order of start, so a plan that ended before this day is never needed again.
        self.plans = [plan for plan in self.plans if plan.end >= day]
        return self.plans


def overlaps_with(plan: PlanFacts, others: Iterable[PlanFacts]) -> set[int]:
    """The keys of the plans among ``others`` that ``plan`` overlaps."""
    return {other.key for other in others if plans_overlap(plan, other)}
