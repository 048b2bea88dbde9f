"""Evaluation of an opportunity's opened submissions, the award decision and what follows it.

One :class:`Evaluation` per opportunity, started once its submissions are
opened. Panelists declare conflicts against every bidder before they see any
bid, score each answer with a justification, and submit their scores; the
commissioner moderates a consensus score per answer, and those moderated
scores, with the prices, make the results. A recommendation records a
:class:`Decision` per bid and lot; a second commissioner approves; the award
decision starts the standstill. Scores are kept as entered: nothing here is
overwritten without a record of who and when.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.accounts.models import Organisation
from commissioning.core.money import MoneyField
from commissioning.opportunities.models import Lot, Opportunity, Question
from commissioning.submissions.models import Submission


class ScaleLevel(models.Model):
    """One point of the published scoring scale (default 0 to 4), with what it means; administrators keep it."""

    score = models.PositiveSmallIntegerField(unique=True)
    label = models.CharField(max_length=60)
    descriptor = models.TextField(max_length=1000)

    class Meta:
        ordering = ["score"]

    def __str__(self) -> str:
        return f"{self.score}: {self.label}"


class EvaluationStatus(models.TextChoices):
    SCORING = "scoring", "Scoring"
    MODERATION = "moderation", "Moderation"
    RECOMMENDED = "recommended", "Recommended, waiting for approval"
    APPROVED = "approved", "Approved, waiting for the award decision"
    AWARDED = "awarded", "Awarded"


class Evaluation(models.Model):
    """The evaluation of one opportunity, from the panel to the award decision."""

    opportunity = models.OneToOneField(Opportunity, on_delete=models.PROTECT, related_name="evaluation")
    status = models.CharField(max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.SCORING)
    # The scale as published when evaluation started: a later change by an administrator does not move it.
    scale = models.JSONField(default=list)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recommended_at = models.DateTimeField(null=True, blank=True)
    recommendation = models.TextField(blank=True, max_length=5000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    standstill_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # The regime's counting rule as it stood at the decision (opportunities.StandstillRule.snapshot).
    standstill_rule = models.JSONField(default=dict, blank=True)
    # Empty until the award notice's publication is recorded: until then the standstill has not started.
    standstill_ends = models.DateTimeField(null=True, blank=True)
    notice_published_at = models.DateTimeField(
        null=True, blank=True, help_text="When the award notice (or notice of intention to award) was published."
    )
    notice_reference = models.CharField(
        max_length=200, blank=True, help_text="The notice's reference or address on Find a Tender."
    )
    notice_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    notice_recorded_at = models.DateTimeField(null=True, blank=True)
    lessons_learned = models.TextField(blank=True, max_length=10000)

    def __str__(self) -> str:
        return f"Evaluation of {self.opportunity.reference}"

    @property
    def awaiting_notice(self) -> bool:
        """Awarded with a standstill whose notice's publication is not yet recorded: it has not started."""
        return (
            self.status == EvaluationStatus.AWARDED and bool(self.standstill_days) and self.notice_published_at is None
        )

    @property
    def scale_max(self) -> int:
        return max((level["score"] for level in self.scale), default=4)


class Panelist(models.Model):
    """A person appointed to score the opportunity's bids: staff, a partner or a service user."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="panelists")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_places")
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    appointed_at = models.DateTimeField()
    declared_at = models.DateTimeField(null=True, blank=True)
    scores_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["appointed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "user"], name="one_place_per_panel")]

    def __str__(self) -> str:
        return f"{self.user} on {self.evaluation}"


class ConflictDeclaration(models.Model):
    """A panelist's declaration about one bidder: no conflict, or a conflict with what it is."""

    panelist = models.ForeignKey(Panelist, on_delete=models.CASCADE, related_name="declarations")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    conflicted = models.BooleanField()
    details = models.TextField(blank=True, max_length=2000)
    declared_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panelist", "submission"], name="one_declaration_per_bidder"),
            models.CheckConstraint(condition=Q(conflicted=False) | ~Q(details=""), name="a_conflict_says_what_it_is"),
        ]

    def __str__(self) -> str:
        return f"{self.panelist}: {'conflict' if self.conflicted else 'no conflict'} with {self.submission}"


class Score(models.Model):
    """One panelist's score for one answer, with the justification."""

    panelist = models.ForeignKey(Panelist, on_delete=models.CASCADE, related_name="scores")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    justification = models.TextField(max_length=5000)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panelist", "submission", "question"], name="one_score_per_answer")
        ]

    def __str__(self) -> str:
        return f"{self.panelist}: {self.score} for Q{self.question.number}"


class ModeratedScore(models.Model):
    """The consensus score for one answer, agreed at moderation, with its rationale: the score that counts."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="moderated")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    rationale = models.TextField(max_length=5000)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="one_moderated_score")]

    def __str__(self) -> str:
        return f"{self.submission}: {self.score} for Q{self.question.number}"


class PriceClarification(models.Model):
    """What the bidder said when an abnormally low price was queried, as recorded by the commissioner."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="clarifications")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="+")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(max_length=5000)
    accepted = models.BooleanField(help_text="Whether the price stands after clarification.")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "lot"], name="one_clarification_per_bid_lot")]

    def __str__(self) -> str:
        return f"Price clarification: {self.submission}, lot {self.lot.number}"


class Outcome(models.TextChoices):
    AWARDED = "awarded", "Successful"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"


class Decision(models.Model):
    """The outcome for one bid on one lot: successful with the amount, or unsuccessful with the reason."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="decisions")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="decisions")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="decisions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    amount = MoneyField(null=True, blank=True, help_text="The contract value or grant awarded.")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(max_length=5000)

    class Meta:
        ordering = ["lot__number", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "lot"], name="one_decision_per_bid_lot"),
            models.CheckConstraint(
                condition=Q(outcome="unsuccessful") | Q(amount__gt=0), name="an_award_has_an_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}, lot {self.lot.number}: {self.get_outcome_display()}"
