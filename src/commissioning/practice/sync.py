"""Keeping the database's copy of the Code in step with the catalogue."""

from dataclasses import dataclass, field

from django.db import transaction

from . import models
from .catalogue import PRINCIPLES, RULES


@dataclass
class SyncReport:
    principles_created: list[int] = field(default_factory=list)
    principles_updated: list[int] = field(default_factory=list)
    rules_created: list[str] = field(default_factory=list)
    rules_updated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.principles_created or self.principles_updated or self.rules_created or self.rules_updated)


def _sync_principles(Principle, report: SyncReport) -> dict:
    """Every principle in the catalogue, created or given the Code's current words; return them by number."""
    principles = {p.number: p for p in Principle.objects.all()}
    for definition in PRINCIPLES:
        principle = principles.get(definition.number)
        if principle is None:
            principles[definition.number] = Principle.objects.create(
                number=definition.number, title=definition.title, text=definition.text
            )
            report.principles_created.append(definition.number)
        elif (principle.title, principle.text) != (definition.title, definition.text):
            principle.title, principle.text = definition.title, definition.text
            principle.save(update_fields=["title", "text"])
            report.principles_updated.append(definition.number)
    return principles


def _wanted(definition, position: int) -> dict:
    """The rule's fields as the catalogue defines them."""
    return {
        "position": position,
        "stage": definition.stage,
        "title": definition.title,
        "code_text": definition.code_text,
        "check_text": definition.check_text,
        "guards_step": definition.guards_step or "",
    }


def _bring_up_to_date(rule, definition, position: int, principles: dict) -> bool:
    """Give an existing rule the catalogue's fields, settings keys and principles; say whether anything changed.

    A setting an administrator changed keeps its value; keys the definition no longer lists are dropped.
    """
    changed = False
    for name, value in _wanted(definition, position).items():
        if getattr(rule, name) != value:
            setattr(rule, name, value)
            changed = True
    current = dict(rule.settings or {})
    merged = {key: current.get(key, default) for key, default in definition.defaults.items()}
    if merged != current:
        rule.settings = merged
        changed = True
    if changed:
        rule.save()
    wanted_principles = {principles[number].pk for number in definition.principles}
    if wanted_principles != {p.pk for p in rule.principles.all()}:
        rule.principles.set(wanted_principles)
        changed = True
    return changed


def catalogue_sync(apps=None) -> SyncReport:
    """Load the catalogue into the database, or bring the database up to date with it.

    Guarantees, whatever state it starts from:

    - every principle and rule in the catalogue exists, with the Code's current
      words, title, stage, check, guarded step, order and principles;
    - every rule has exactly the settings keys its definition lists: missing
      keys get Leeds's default, keys no longer defined are dropped, and a value
      an administrator has changed is kept;
    - a rule's ``active`` flag is left as the administrator set it;
    - running it again changes nothing (it is idempotent).

    ``apps`` is the historical app registry when called from a migration; the
    current models are used otherwise. Nothing is audited: this is a
    deployment step, not a person's change.
    """
    if apps is None:
        Principle, Rule = models.Principle, models.Rule
    else:
        Principle = apps.get_model("practice", "Principle")
        Rule = apps.get_model("practice", "Rule")

    report = SyncReport()
    with transaction.atomic():
        principles = _sync_principles(Principle, report)
        rules = {r.code: r for r in Rule.objects.prefetch_related("principles")}
        for position, definition in enumerate(RULES, start=1):
            rule = rules.get(definition.code)
            if rule is None:
                rule = Rule.objects.create(
                    code=definition.code, settings=definition.defaults, **_wanted(definition, position)
                )
                report.rules_created.append(definition.code)
                rule.principles.set({principles[number].pk for number in definition.principles})
            elif _bring_up_to_date(rule, definition, position, principles):
                report.rules_updated.append(definition.code)
    return report
