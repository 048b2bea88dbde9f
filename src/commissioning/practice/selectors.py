"""Reads of the Code: principles, rules and comply-or-explain outcomes.

The catalogue and its settings are public, as are outcomes: the Code asks for
comply-or-explain to be seen. Whether someone may see the object an outcome is
about is decided by the selector that loaded that object.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet

from .catalogue import STAGES
from .checks import model_key
from .models import Explanation, ExplanationStatus, Outcome, Principle, Rule, RuleOutcome
from .permissions import may_confirm_for

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
    """The Code's rules for one stage of the cycle, in catalogue order."""

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


def rules_active_among(codes: Iterable[str]) -> dict[str, Rule]:
    """Return the rules among ``codes`` that are switched on, by code (one query)."""
    return {rule.code: rule for rule in Rule.objects.filter(code__in=list(codes), active=True)}


def rule_outcomes_for(*, obj: Any) -> list[RuleOutcome]:
    """Return the current outcome of each rule recorded for ``obj``, in catalogue order.

    Superseded outcomes are left out; one query. An "explained" outcome here
    always rests on an explanation a second person confirmed: pending ones
    are not outcomes (see :func:`explanations_pending_for`).
    """
    if obj.pk is None:
        return []
    return list(
        RuleOutcome.objects.filter(object_type=model_key(obj), object_id=str(obj.pk), superseded_at__isnull=True)
        .select_related("rule", "recorded_by", "explanation__decided_by")
        .order_by("rule__position", "rule__code")
    )


def rule_outcomes_for_many(*, objects: list[Any]) -> dict[tuple[str, str], list[RuleOutcome]]:
    """Return the current outcomes of many objects at once, keyed by ("app.model", str(pk)), in catalogue order.

    As :func:`rule_outcomes_for` for each object (superseded outcomes left
    out), in one query whatever the number of objects; objects with nothing
    recorded are absent. The objects may be of different models.
    """
    wanted: dict[str, list[str]] = {}
    for obj in objects:
        if obj.pk is not None:
            wanted.setdefault(model_key(obj), []).append(str(obj.pk))
    if not wanted:
        return {}
    about = Q()
    for object_type, ids in wanted.items():
        about |= Q(object_type=object_type, object_id__in=ids)
    grouped: dict[tuple[str, str], list[RuleOutcome]] = {}
    recorded = RuleOutcome.objects.filter(about, superseded_at__isnull=True).select_related("rule")
    for outcome in recorded.order_by("rule__position", "rule__code"):
        grouped.setdefault((outcome.object_type, outcome.object_id), []).append(outcome)
    return grouped


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


def _explanations() -> QuerySet[Explanation]:
    return Explanation.objects.select_related("rule", "body", "written_by", "confirmer", "decided_by")


def explanations_latest_for(*, obj: Any) -> dict[str, Explanation]:
    """Return, per rule code, the newest explanation written for ``obj`` (pending, confirmed or declined).

    Withdrawn ones are left out. One query. The object's own selector decides
    who may see it; this is what its commissioners' pages show.
    """
    if obj.pk is None:
        return {}
    latest: dict[str, Explanation] = {}
    rows = (
        _explanations()
        .filter(object_type=model_key(obj), object_id=str(obj.pk))
        .exclude(status=ExplanationStatus.WITHDRAWN)
        .order_by("-written_at", "-id")
    )
    for row in rows:
        latest.setdefault(row.rule.code, row)
    return latest


def explanations_pending_for(*, obj: Any) -> list[Explanation]:
    """Return the explanations of ``obj`` waiting for confirmation, in catalogue order (one query)."""
    if obj.pk is None:
        return []
    return list(
        _explanations()
        .filter(object_type=model_key(obj), object_id=str(obj.pk), status=ExplanationStatus.PENDING)
        .order_by("rule__position", "rule__code")
    )


def _waiting_for(user: Any) -> Q:
    named = Q(confirmer=user)
    if user.is_administrator:
        named |= Q(confirmer__isnull=True)
    return named


def explanations_awaiting(*, user: Any) -> list[Explanation]:
    """Return the explanations waiting for ``user`` to confirm or decline, oldest first.

    Guarantees: only pending explanations that name ``user`` (and, for an
    administrator, those recorded before a confirmer was named), never one
    ``user`` wrote, and only while ``user`` may still confirm for its body.
    Each has ``subject`` set to what it explains. Empty for anyone else.
    """
    found = _awaiting(user)
    _attach_subjects(found)
    return found


def _awaiting(user: Any) -> list[Explanation]:
    if not getattr(user, "is_authenticated", False):
        return []
    rows = (
        _explanations()
        .filter(_waiting_for(user), status=ExplanationStatus.PENDING)
        .exclude(written_by=user)
        .order_by("written_at", "id")
    )
    return [row for row in rows if may_confirm_for(user, row.body)]


def explanations_awaiting_count(*, user: Any) -> int:
    """How many explanations wait for ``user`` to confirm (see :func:`explanations_awaiting`); one query."""
    return len(_awaiting(user))


def explanation_get_for_confirmer(*, user: Any, explanation_id: int) -> Explanation:
    """Return explanation ``explanation_id`` for the person named to confirm it, in any state.

    Raises ``Explanation.DoesNotExist`` for anyone else, its writer included,
    and for someone who may no longer confirm for its body, so whether it
    exists is not told. ``subject`` is set to what it explains.
    """
    if not getattr(user, "is_authenticated", False):
        raise Explanation.DoesNotExist
    found = _explanations().filter(_waiting_for(user), pk=explanation_id).exclude(written_by=user).first()
    if found is None or not may_confirm_for(user, found.body):
        raise Explanation.DoesNotExist
    _attach_subjects([found])
    return found


def _attach_subjects(explanations: list[Explanation]) -> None:
    # One query per kind of object explained (opportunities, evaluations…), not per row.
    by_type: dict[str, set[str]] = {}
    for row in explanations:
        by_type.setdefault(row.object_type, set()).add(row.object_id)
    subjects: dict[tuple[str, str], Any] = {}
    for object_type, ids in by_type.items():
        model = apps.get_model(object_type)
        for found in model.objects.filter(pk__in=ids):
            subjects[(object_type, str(found.pk))] = found
    for row in explanations:
        row.subject = subjects.get((row.object_type, row.object_id))
