"""The Code of Practice in the database: principles, rules and comply-or-explain outcomes.

Principles and rules are loaded from :mod:`.catalogue` and kept in step with it
by :func:`.sync.catalogue_sync`; only a rule's ``settings`` and ``active`` flag
are a deployment's own. Outcomes are history: a new row for every outcome,
and an older one is only ever marked superseded, never changed otherwise.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models

from .catalogue import RULES_BY_CODE, STAGES, STEPS, SettingDefinition


class Principle(models.Model):
    """One of the Code's 12 Leeds Good Commissioning Principles."""

    number = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    text = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Rule(models.Model):
    """One action of the Code as a rule: the Code's words, our check, and its settings."""

    code = models.CharField(max_length=10, unique=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the catalogue.")
    stage = models.CharField(max_length=30, choices=[(s.key, s.label) for s in STAGES])
    title = models.CharField(max_length=200)
    code_text = models.TextField("the Code's words")
    check_text = models.TextField("what the hub checks")
    guards_step = models.CharField(
        max_length=40,
        blank=True,
        choices=list(STEPS.items()),
        help_text="The step this rule stops until met or explained; blank when it only records.",
    )
    principles = models.ManyToManyField(Principle, related_name="rules")
    settings = models.JSONField(default=dict, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "code"]
        indexes = [models.Index(fields=["guards_step", "active"])]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def stage_label(self) -> str:
        return self.get_stage_display()

    @property
    def guards_step_label(self) -> str:
        """Where the rule is checked, in words ("publishing an opportunity"), or ""."""
        return STEPS.get(self.guards_step, "")

    @property
    def setting_definitions(self) -> tuple[SettingDefinition, ...]:
        definition = RULES_BY_CODE.get(self.code)
        return definition.settings if definition else ()

    @property
    def typed_settings(self) -> dict[str, int | Decimal]:
        """The current settings as numbers: int for whole numbers and percentages, else Decimal.

        A key missing from the stored values takes the catalogue's default, and
        a stored value that no longer fits falls back to the default too, so a
        check never reads nonsense.
        """
        values: dict[str, int | Decimal] = {}
        stored = self.settings or {}
        for definition in self.setting_definitions:
            raw = stored.get(definition.key, definition.default)
            try:
                values[definition.key] = definition.parse(raw)
            except ValueError:
                values[definition.key] = definition.default
        return values

    @property
    def settings_in_words(self) -> list[dict[str, str]]:
        """Each setting as {"key", "label", "value"} with the value in plain words."""
        typed = self.typed_settings
        return [{"key": d.key, "label": d.label, "value": d.describe(typed[d.key])} for d in self.setting_definitions]


class Outcome(models.TextChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    EXPLAINED = "explained", "Explained"


class ExplanationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Explanation(models.Model):
    """Why a rule does not apply to one object, written by one person and confirmed by a second.

    An explanation is pending until the person it names (``confirmer``) confirms
    or declines it in the hub. Only a confirmed explanation becomes the rule's
    "explained" outcome (see :class:`RuleOutcome`), so a pending or declined one
    never lets a gate through. ``body`` is the commissioning body it is given
    for: its other commissioners, and the hub's administrators, may confirm it.
    ``confirmer`` and ``body`` are empty only for explanations recorded before
    confirmation was required (``recorded_agreed_by`` keeps what was typed then);
    an administrator other than the writer confirms those.
    """

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="explanations")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    step = models.CharField(max_length=40, blank=True, help_text="The step it is given for.")
    body = models.ForeignKey("accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="Why the rule does not apply, in the writer's words.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()
    confirmer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=20, choices=ExplanationStatus.choices, default=ExplanationStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(
        blank=True, help_text="The confirmer's words on confirming, or the reason for declining."
    )
    recorded_agreed_by = models.CharField(
        max_length=200, blank=True, help_text="Who was typed as agreeing it, before confirmation was required."
    )

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "rule"]),
            models.Index(fields=["confirmer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="explanation_has_reason"),
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id"],
                condition=models.Q(status="pending"),
                name="explanation_one_pending",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decision_note=""),
                name="explanation_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["confirmed", "declined"])
                | (models.Q(decided_by__isnull=False) & models.Q(decided_at__isnull=False)),
                name="explanation_decision_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} explanation for {self.object_type} {self.object_id}"

    @property
    def is_pending(self) -> bool:
        return self.status == ExplanationStatus.PENDING

    @property
    def is_confirmed(self) -> bool:
        return self.status == ExplanationStatus.CONFIRMED

    @property
    def status_label(self) -> str:
        return self.get_status_display()

    @property
    def step_label(self) -> str:
        return STEPS.get(self.step, self.step)


class RuleOutcome(models.Model):
    """What happened to one rule for one object: met, not met, or explained.

    An "explained" outcome is written only when a second person confirms an
    :class:`Explanation`, and points to it; one without it (recorded before
    confirmation was required) never counts as explained.

    ``object_type`` is the object's "app.model" label and ``object_id`` its
    primary key, so any stage's objects can carry outcomes. At most one outcome
    per rule and object is current (``superseded_at`` empty); recording a new
    one marks the previous one superseded, so the history stays whole.
    """

    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="outcomes")
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    detail = models.TextField(blank=True, help_text="What the check found.")
    reason = models.TextField(blank=True, help_text="Why the rule does not apply, when explained.")
    agreed_by = models.CharField(max_length=200, blank=True, help_text="Who confirmed the explanation (name and role).")
    explanation = models.ForeignKey(
        Explanation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
        help_text="The confirmed explanation an explained outcome rests on.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    step = models.CharField(max_length=40, blank=True, help_text="The step it was recorded at.")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "rule"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome="explained") | ~models.Q(reason=""),
                name="rule_outcome_explained_has_reason",
            ),
            models.UniqueConstraint(
                fields=["rule", "object_type", "object_id"],
                condition=models.Q(superseded_at__isnull=True),
                name="rule_outcome_one_current",
            ),
        ]

    def __str__(self) -> str:
        outcome = self.get_outcome_display().lower()
        return f"{self.rule.code} {outcome} for {self.object_type} {self.object_id}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def counts_as_explained(self) -> bool:
        """Explained, and resting on an explanation a second person confirmed."""
        return self.outcome == Outcome.EXPLAINED and self.explanation_id is not None

    @property
    def step_label(self) -> str:
        return STEPS.get(self.step, self.step)
