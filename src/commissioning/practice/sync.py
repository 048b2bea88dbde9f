"""Keeping the database's copy of the Code in step with the catalogue."""

from dataclasses import dataclass, field

from django.db import transaction

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
        from .models import Principle, Rule
    else:
        Principle = apps.get_model("practice", "Principle")
        Rule = apps.get_model("practice", "Rule")

    report = SyncReport()
    with transaction.atomic():
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

        rules = {r.code: r for r in Rule.objects.prefetch_related("principles")}
        for position, definition in enumerate(RULES, start=1):
            wanted = {
                "position": position,
                "stage": definition.stage,
                "title": definition.title,
                "code_text": definition.code_text,
                "check_text": definition.check_text,
                "guards_step": definition.guards_step or "",
            }
            rule = rules.get(definition.code)
            created = rule is None
            if created:
                rule = Rule.objects.create(code=definition.code, settings=definition.defaults, **wanted)
                report.rules_created.append(definition.code)
                changed = False
            else:
                changed = False
                for name, value in wanted.items():
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
            have_principles = set() if created else {p.pk for p in rule.principles.all()}
            if wanted_principles != have_principles:
                rule.principles.set(wanted_principles)
                changed = True
            if changed and not created:
                report.rules_updated.append(definition.code)
    return report
