"""Feedback and evaluation, the Code's own stage after the award: letters to bidders and lessons learned.

A :class:`Letter` goes to each bidder once the award is decided, its content
fixed when it is written; a :class:`SurveyInvitation` asks each bidder and
each organisation that registered interest how the process went, and a
:class:`SurveyAnswer` keeps what it said. The tables keep the names they had
when these lived in the evaluation app, so nothing already written moves.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.accounts.models import Organisation
from commissioning.evaluation.models import Evaluation
from commissioning.submissions.models import Submission


class LetterKind(models.TextChoices):
    AWARD = "award", "Award letter"
    FEEDBACK = "feedback", "Feedback letter"
    OFFER = "offer", "Grant offer letter"
    DECLINE = "decline", "Grant decision letter"


class Letter(models.Model):
    """A letter to one bidder after the award decision, its content fixed when it is written."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="letters")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    content = models.JSONField()
    written_at = models.DateTimeField()
    due_by = models.DateField(help_text="Feedback must be sent by this day (PR-10).")
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        db_table = "evaluation_letter"  # kept from before feedback was its own app
        ordering = ["kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["submission", "kind"], name="one_letter_of_a_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.submission.organisation}"


class SurveyRole(models.TextChoices):
    SUCCESSFUL = "successful", "Successful bidder"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful bidder"
    INTERESTED = "interested", "Registered interest but did not bid"


class SurveyInvitation(models.Model):
    """A lessons-learned survey sent to one organisation after the award (PR-9).

    The link's secret goes only into the e-mail: a SHA-256 digest of it is
    kept, so the link works without signing in and cannot be read back from
    the database.
    """

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="survey_invitations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=SurveyRole.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    recipients = models.JSONField(default=list, help_text="The addresses the survey was e-mailed to.")
    sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "evaluation_surveyinvitation"  # kept from before feedback was its own app
        ordering = ["role", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "organisation"], name="one_survey_per_organisation")
        ]

    def __str__(self) -> str:
        return f"Survey for {self.organisation} about {self.evaluation.opportunity.reference}"


class SurveyAnswer(models.Model):
    """What one organisation said in its survey: kept as given, once."""

    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE, related_name="answer")
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How the process was, from 1 (very poor) to 5 (very good)."
    )
    worked = models.TextField(blank=True, max_length=3000)
    improve = models.TextField(blank=True, max_length=3000)
    reasons = models.JSONField(default=list, blank=True, help_text="Why the organisation did not bid.")
    reason_other = models.TextField(blank=True, max_length=3000)
    answered_at = models.DateTimeField()

    class Meta:
        db_table = "evaluation_surveyanswer"  # kept from before feedback was its own app
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)), name="a_rating_of_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"Answer to {self.invitation}"
