"""How the Code's rules are checked against the record.

Each stage registers, for its own objects, one function per rule it can
check::

    @rule_check("PR-5", model="opportunities.opportunity")
    def quality_weight(opportunity, settings):
        ...
        return CheckResult(met=..., detail="Quality is weighted 70%")

A check is a pure reading of the object: it never writes. ``settings`` are the
rule's current settings, typed (see :func:`rule_settings`). A check that
cannot judge the object as it stands (a deadline already past, weights that
do not add up to 100%, no lots yet) says so instead of guessing::

        return CheckResult.cannot_judge("The weights add up to 160%; they must add up to 100%")

Such a rule is neither met nor explainable: it stops the step until the
object is corrected, and its sentence says what to correct.

:func:`evaluate` answers "may this object go through this step?": it runs every
active rule that guards the step and has a check for the object's model, and
lets a current explanation stand in for a rule that is not met. Recording the
answer is :func:`commissioning.practice.services.gate_require`'s job.

Checks live in each app's ``checks.py``, which the practice app imports when
Django starts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .catalogue import RULES_BY_CODE, STEPS, rule_definition
from .models import Outcome, Rule, RuleOutcome

# A check's standing when its input cannot be judged. It is not an outcome
# that is recorded: a gate never lets such an object through, so only met and
# explained outcomes are written when a step is taken.
CANNOT_JUDGE = "cannot_judge"
CANNOT_JUDGE_LABEL = "Cannot judge"


@dataclass(frozen=True)
class CheckResult:
    """What a check found: whether the rule is met, and a sentence saying what it saw.

    ``judged`` is False when the object could not be judged against the rule;
    ``detail`` then says what is wrong with the object. Such a result is never met.
    """

    met: bool
    detail: str = ""
    judged: bool = True

    def __post_init__(self) -> None:
        if self.met and not self.judged:
            raise ValueError("A check that cannot judge its input cannot say the rule is met")

    @classmethod
    def cannot_judge(cls, problem: str) -> "CheckResult":
        """The object cannot be judged against the rule; ``problem`` says what to correct."""
        return cls(met=False, detail=problem, judged=False)


CheckFunction = Callable[[Any, dict[str, int | Decimal]], CheckResult]

_registry: dict[tuple[str, str], CheckFunction] = {}
# The step at which each registered check runs for its model: the rule's own
# step by default, or another one the stage names (PR-11's Compact clause is
# checked when a tender is published as well as when an agreement is issued).
_steps: dict[tuple[str, str], str | None] = {}


def model_key(obj: Any) -> str:
    """Return the "app.model" label an object's checks are registered under."""
    return obj._meta.label_lower


def rule_check(code: str, *, model: str, step: str | None = None) -> Callable[[CheckFunction], CheckFunction]:
    """Register the decorated function as the check of rule ``code`` for objects of ``model``.

    The check runs at ``step`` for that model; by default, the step the rule
    guards in the catalogue. Guarantees that the rule and the step exist and
    that no other function already checks the same rule for the same model;
    either mistake stops the project from starting rather than leaving a rule
    unchecked.
    """
    if code not in RULES_BY_CODE:
        raise ImproperlyConfigured(f"There is no rule {code!r} in the Code's catalogue")
    if step is not None and step not in STEPS:
        raise ImproperlyConfigured(f"There is no step {step!r}")
    key = (code, model.lower())
    _steps[key] = step or RULES_BY_CODE[code].guards_step

    def register(func: CheckFunction) -> CheckFunction:
        existing = _registry.get(key)
        if existing is not None and _name_of(existing) != _name_of(func):
            raise ImproperlyConfigured(f"{code} already has a check for {model}: {_name_of(existing)}")
        _registry[key] = func
        return func

    return register


def rule_check_unregister(code: str, *, model: str) -> None:
    """Forget the check of rule ``code`` for ``model`` (tests use this to clean up)."""
    _registry.pop((code, model.lower()), None)
    _steps.pop((code, model.lower()), None)


def registered_check(code: str, model: str) -> CheckFunction | None:
    """Return the check registered for rule ``code`` and ``model``, or None."""
    return _registry.get((code, model.lower()))


def _name_of(func: Callable) -> str:
    return f"{func.__module__}.{func.__qualname__}"


def rule_settings(code: str) -> dict[str, int | Decimal]:
    """Return rule ``code``'s current settings: int for whole numbers, Decimal for money.

    Keys the database lacks take the catalogue's default. Raises
    ``Rule.DoesNotExist`` for a rule that is not loaded.
    """
    return Rule.objects.get(code=code).typed_settings


def rule_setting(code: str, key: str) -> int | Decimal:
    """Return one current setting of rule ``code``, typed like :func:`rule_settings`.

    Raises ``KeyError`` when the rule has no such setting, so a typo in a
    check fails loudly instead of reading a default.
    """
    rule_definition(code).setting(key)
    return rule_settings(code)[key]


@dataclass(frozen=True)
class RuleStatus:
    """Where one rule stands for one object: met, not met, explained, or cannot judge.

    ``explanation`` is the current explained outcome the status rests on, when
    the rule is not met but has been explained and the explanation confirmed.
    "Cannot judge" (:data:`CANNOT_JUDGE`) means the object is not fit to be
    checked; it blocks like "not met", and no explanation stands in for it.
    """

    rule: Rule
    outcome: str
    detail: str
    explanation: RuleOutcome | None = None

    @property
    def is_met(self) -> bool:
        return self.outcome == Outcome.MET

    @property
    def is_blocking(self) -> bool:
        return self.outcome in (Outcome.NOT_MET, CANNOT_JUDGE)

    @property
    def is_judged(self) -> bool:
        return self.outcome != CANNOT_JUDGE

    @property
    def outcome_label(self) -> str:
        return CANNOT_JUDGE_LABEL if self.outcome == CANNOT_JUDGE else Outcome(self.outcome).label

    @property
    def sentence(self) -> str:
        """The rule in one line, e.g. "PR-5 Quality is given the greater weight: not met (…)"."""
        text = f"{self.rule.code} {self.rule.title}: {self.outcome_label.lower()}"
        return f"{text} ({self.detail})" if self.detail else text


@dataclass(frozen=True)
class Gate:
    """The answer to "may this object go through this step?", rule by rule."""

    obj: Any
    step: str
    items: tuple[RuleStatus, ...]

    @property
    def allowed(self) -> bool:
        """True when every rule that guards the step is met or explained."""
        return not self.blocking

    @property
    def blocking(self) -> list[RuleStatus]:
        """The rules that are neither met nor explained."""
        return [item for item in self.items if item.is_blocking]

    @property
    def step_label(self) -> str:
        return STEPS.get(self.step, self.step)

    @property
    def unjudged(self) -> list[RuleStatus]:
        """The rules whose checks cannot judge the object as it stands."""
        return [item for item in self.items if not item.is_judged]

    @property
    def message(self) -> str:
        """A readable account of what stops the step, or an empty string when nothing does."""
        if self.allowed:
            return ""
        parts = []
        unmet = [item.sentence for item in self.blocking if item.is_judged]
        if unmet:
            parts.append(f"meet or explain: {'; '.join(unmet)}")
        unjudged = [item.sentence for item in self.unjudged]
        if unjudged:
            parts.append(f"correct what the Code's checks cannot judge: {'; '.join(unjudged)}")
        return f"Before {self.step_label}, {'. And '.join(parts)}"


def _current_outcomes(obj: Any, rules: list[Rule]) -> dict[int, RuleOutcome]:
    if obj.pk is None or not rules:
        return {}
    rows = RuleOutcome.objects.filter(
        object_type=model_key(obj),
        object_id=str(obj.pk),
        rule__in=rules,
        superseded_at__isnull=True,
    ).select_related("explanation__decided_by")
    return {row.rule_id: row for row in rows}


def _status(rule: Rule, check: CheckFunction, obj: Any, current: RuleOutcome | None) -> RuleStatus:
    result = check(obj, rule.typed_settings)
    if not result.judged:
        return RuleStatus(rule, CANNOT_JUDGE, result.detail)
    if result.met:
        return RuleStatus(rule, Outcome.MET, result.detail)
    # Only an explanation a second person has confirmed stands in for the rule;
    # one waiting for confirmation, or declined, leaves the rule not met.
    if current is not None and current.counts_as_explained:
        return RuleStatus(rule, Outcome.EXPLAINED, result.detail, current)
    return RuleStatus(rule, Outcome.NOT_MET, result.detail)


def evaluate(obj: Any, step: str) -> Gate:
    """Check every active rule whose check for ``obj``'s model runs at ``step``.

    Guarantees: each such rule appears once, in catalogue order, as met (its
    check passed), explained (its check failed but a current explanation for
    this rule and object stands, confirmed by a second person), not met, or
    cannot judge (its check found the object unfit to judge; this blocks the
    gate whatever was explained). Rules without a check for this
    model are left out. Nothing is written; a bounded number of queries is
    made (two, plus whatever the checks themselves read).
    """
    if step not in STEPS:
        raise ValueError(f"There is no step called {step!r}")
    key = model_key(obj)
    codes = [code for (code, model), at in _steps.items() if model == key and at == step and (code, model) in _registry]
    rules = list(Rule.objects.filter(active=True, code__in=codes).order_by("position", "code"))
    current = _current_outcomes(obj, rules)
    items = tuple(_status(rule, _registry[(rule.code, key)], obj, current.get(rule.pk)) for rule in rules)
    return Gate(obj=obj, step=step, items=items)


def rule_status(obj: Any, code: str) -> RuleStatus | None:
    """Check one rule for ``obj`` now, whatever step it guards, without recording anything.

    Returns None when the rule is inactive or has no check for ``obj``'s model.
    Stages use it to show a rule's standing on a page before the step comes.
    """
    check = registered_check(code, model_key(obj))
    if check is None:
        return None
    rule = Rule.objects.filter(code=code, active=True).first()
    if rule is None:
        return None
    current = _current_outcomes(obj, [rule]).get(rule.pk)
    return _status(rule, check, obj, current)
