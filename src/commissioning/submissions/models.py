"""Bids and applications: the draft a provider works on, and each sealed copy it submits.

A :class:`Submission` is one organisation's draft for one opportunity; it stays
editable until the deadline. Submitting freezes everything in it into a
:class:`SubmissionRecord`: the canonical JSON of what was sent and its SHA-256
digest, never changed afterwards. The latest record that is not withdrawn is
the one that counts. Nothing here is read by anyone outside the submitting
organisations except through ``selectors``, which keep it sealed until the
deadline and until the commissioner opens the submissions.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.accounts.models import Organisation
from commissioning.core.money import MoneyField
from commissioning.evidence.models import EvidenceItem
from commissioning.opportunities.models import Lot, Opportunity, Question


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Submission(models.Model):
    """One organisation's bid (for a tender) or application (for a grant round), as it is drafted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="submissions")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT)
    # Goes up with every change to the draft: a submit of an unchanged draft makes no second record.
    revision = models.PositiveIntegerField(default=1)
    # Who signs the declaration, kept so the check-answers page remembers it.
    declaration_name = models.CharField(max_length=200, blank=True)
    declaration_role = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation"], name="one_submission_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} for {self.opportunity.reference}"


class LotBid(models.Model):
    """A lot the submission bids for, with its price (or, for a grant, the amount asked for)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="lot_bids")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="+")
    price = MoneyField(null=True, blank=True)

    class Meta:
        ordering = ["lot__number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "lot"], name="one_bid_per_lot"),
            models.CheckConstraint(condition=Q(price__isnull=True) | Q(price__gt=0), name="lot_bid_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: lot {self.lot.number}"


class Answer(models.Model):
    """The answer to one of the opportunity's own questions, saved as it is written."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["question__number"]
        constraints = [models.UniqueConstraint(fields=["submission", "question"], name="one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.submission}: question {self.question.number}"


class EvidenceConfirmation(models.Model):
    """A standard item from an organisation's evidence store, confirmed as current for this submission.

    It points at the exact version confirmed; if the organisation changes the
    item later, the submission keeps what was confirmed.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="confirmations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=40)
    version = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "organisation", "item"], name="one_confirmation_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.item}"


class Commitment(models.Model):
    """A social value commitment: what will be done in Leeds, and how it will be measured."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(max_length=500)
    measure = models.CharField(max_length=200)
    target = models.CharField(max_length=100)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.description[:60]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random folder per file: names never collide, and nothing in the path says whose it is.
    return f"submissions/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    """A file sent with the submission; its SHA-256 goes into the receipt.

    Removing one from the draft only marks it removed: a record submitted
    earlier may name it, and what was submitted is never lost.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    file_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class MemberStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    CONFIRMED = "confirmed", "Confirmed"
    DECLINED = "declined", "Declined"


class ConsortiumMember(models.Model):
    """An organisation the lead has invited to bid with it; it confirms, and its evidence goes with the bid."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="consortium_memberships")
    role = models.CharField(max_length=300, help_text="What this organisation will deliver.")
    status = models.CharField(max_length=20, choices=MemberStatus.choices, default=MemberStatus.INVITED)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "organisation"], name="one_membership_per_consortium"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.submission}"


class SubmissionRecord(models.Model):
    """What was submitted, frozen: the canonical JSON, its SHA-256, and when the server received it.

    Records are never changed except to note a withdrawal. A draft revision
    makes at most one record (the unique constraint turns a double submit into
    one), and the latest record not withdrawn is the one that counts.
    """

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="records")
    number = models.PositiveIntegerField()
    revision = models.PositiveIntegerField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    canonical = models.TextField()
    sha256 = models.CharField(max_length=64)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="record_number_unique"),
            models.UniqueConstraint(fields=["submission", "revision"], name="one_record_per_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} #{self.number}"

    @property
    def document(self) -> dict:
        """The canonical form as data, for pages that show what was submitted."""
        return json.loads(self.canonical)


class Opening(models.Model):
    """The commissioner's opening of an opportunity's submissions after the deadline, with the bid statistics."""

    opportunity = models.OneToOneField(Opportunity, on_delete=models.PROTECT, related_name="opening")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    submissions = models.PositiveIntegerField()
    statistics = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Opening of {self.opportunity.reference}"
