"""Reads of the Code: principles, rules and comply-or-explain outcomes.

The catalogue and its settings are public, as are outcomes: the Code asks for
comply-or-explain to be seen. Whether someone may see the object an outcome is
about is decided by the selector that loaded that object.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from .catalogue import STAGES
from .checks import model_key
from .models import Outcome, Principle, Rule, RuleOutcome

RULE_CODE_PATTERN = re.compile(r"[A-Z]{2}-[0-9]{1,3}")


def _rules_in_order() -> QuerySet[Rule]:
    return Rule.objects.order_by("position", "code")


def principles_with_rules() -> list[Principle]:
    """Return the 12 principles in order, each with ``rules`` prefetched in catalogue order.

    Guarantees two queries whatever the number of rules.
    """
    return list(Principle.objects.order_by("number").prefetch_related(Prefetch("rules", queryset=_rules_in_order())))


@dataclass(frozen=True)
class StageRules:
    key: str
    label: str
    rules: list[Rule]


def rules_by_stage(*, active_only: bool = False) -> list[StageRules]:
    """Return the rules grouped by stage, stages in the Code's order, rules in catalogue order.

    Each rule has its principles prefetched. Stages without rules are left
    out. Guarantees two queries.
    """
    rules = _rules_in_order().prefetch_related(Prefetch("principles", queryset=Principle.objects.order_by("number")))
    if active_only:
        rules = rules.filter(active=True)
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.stage, []).append(rule)
    return [StageRules(stage.key, stage.label, grouped[stage.key]) for stage in STAGES if stage.key in grouped]


def rules_list() -> list[Rule]:
    """Return every rule in catalogue order with its principles prefetched (two queries)."""
    return list(
        _rules_in_order().prefetch_related(Prefetch("principles", queryset=Principle.objects.order_by("number")))
    )


def rules_with_settings() -> list[Rule]:
    """Return the rules that have settings an administrator can change, in catalogue order."""
    return [rule for rule in _rules_in_order() if rule.setting_definitions]


def rule_get(code: str) -> Rule:
    """Return rule ``code`` (any case, "pr-5" finds PR-5) with its principles prefetched.

    Raises ``Rule.DoesNotExist`` when there is no such rule, without asking the
    database when ``code`` cannot be a rule code at all (it may come from a URL).
    """
    code = str(code).strip().upper()
    if not RULE_CODE_PATTERN.fullmatch(code):
        raise Rule.DoesNotExist(f"There is no rule {code!r}")
    return Rule.objects.prefetch_related(Prefetch("principles", queryset=Principle.objects.order_by("number"))).get(
        code=code
    )


def rule_outcomes_for(*, obj: Any) -> list[RuleOutcome]:
    """Return the current outcome of each rule recorded for ``obj``, in catalogue order.

    Superseded outcomes are left out; one query.
    """
    if obj.pk is None:
        return []
    return list(
        RuleOutcome.objects.filter(object_type=model_key(obj), object_id=str(obj.pk), superseded_at__isnull=True)
        .select_related("rule", "recorded_by")
        .order_by("rule__position", "rule__code")
    )


def rule_outcome_history_for(*, obj: Any, rule_code: str | None = None) -> list[RuleOutcome]:
    """Return every outcome ever recorded for ``obj`` (optionally for one rule), newest first."""
    if obj.pk is None:
        return []
    rows = RuleOutcome.objects.filter(object_type=model_key(obj), object_id=str(obj.pk))
    if rule_code:
        rows = rows.filter(rule__code=rule_code)
    return list(rows.select_related("rule", "recorded_by").order_by("-recorded_at", "-id"))


def outcome_counts(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    object_type: str | None = None,
) -> dict[str, dict[str, int]]:
    """Count current outcomes per rule: {"PR-5": {"met": 3, "not_met": 0, "explained": 1}, …}.

    Every rule appears, with zeros where nothing was recorded. ``since`` and
    ``until`` bound when the outcome was recorded. One query for the counts,
    one for the rules.
    """
    rows = RuleOutcome.objects.filter(superseded_at__isnull=True)
    if since is not None:
        rows = rows.filter(recorded_at__gte=since)
    if until is not None:
        rows = rows.filter(recorded_at__lt=until)
    if object_type:
        rows = rows.filter(object_type=object_type)
    counts: dict[str, dict[str, int]] = {
        code: {outcome: 0 for outcome in Outcome.values} for code in _rules_in_order().values_list("code", flat=True)
    }
    for row in rows.values("rule__code", "outcome").annotate(n=Count("id")).order_by():
        counts.setdefault(row["rule__code"], {o: 0 for o in Outcome.values})[row["outcome"]] = row["n"]
    return counts
