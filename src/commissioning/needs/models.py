"""Needs assessments, their evidence and ward figures, co-production, and open reviews with comments.

An assessment asks a question about an outcome area and the wards it covers,
records the evidence it rests on (each piece with its source and the sector it
came from), and says what it found and which needs it identified. It is a
draft, seen only by its commissioning body, until it is completed through the
Code's gate (NA-1 to NA-3).

A review (of an assessment, a service or a sector) is published for comment
for a set period. Anyone may read it and comment; when it closes the
commissioner answers the comments in public, grouped ("You said, we did").
Whether a review is open is read from its dates and the clock, never set by a
job.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.accounts.models import Organisation
from commissioning.core.models import Ward
from commissioning.records.models import CommissioningRecord, ServiceArea


class Sector(models.TextChoices):
    """Where a piece of evidence came from. NA-1 asks for at least one from the third sector."""

    PUBLIC_BODY = "public_body", "Public body"
    THIRD_SECTOR = "third_sector", "Third sector"
    COMMUNITY = "community", "Community"
    PEOPLE_WHO_USE_SERVICES = "people_who_use_services", "People who use services"
    RESEARCH = "research", "Research"
    NATIONAL_DATA = "national_data", "National data"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    COMPLETED = "completed", "Completed"


class Assessment(models.Model):
    """A needs assessment for an outcome area and the wards it covers, by one commissioning body."""

    reference = models.CharField(max_length=20, unique=True)
    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="needs_assessments")
    title = models.CharField(max_length=200)
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="needs_assessments", verbose_name="outcome area"
    )
    city_wide = models.BooleanField(default=False)
    wards = models.ManyToManyField(Ward, blank=True, related_name="needs_assessments")
    question = models.TextField(max_length=2000, help_text="What the assessment sets out to understand.")
    findings = models.TextField(max_length=10000, blank=True)
    needs_identified = models.TextField(max_length=10000, blank=True, help_text="One need per line.")
    status = models.CharField(max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(completed_at__isnull=False),
                name="assessment_completed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def is_completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class Evidence(models.Model):
    """One piece of evidence an assessment rests on: its source and sector, when, where to find it, what it shows."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(max_length=200, help_text="Who produced it, e.g. \u201cCarers Leeds\u201d.")
    sector = models.CharField(max_length=30, choices=Sector.choices)
    dated = models.DateField(help_text="When it was published or collected.")
    link = models.URLField(max_length=500, blank=True)
    document = models.FileField(upload_to="needs/evidence/", blank=True, max_length=300)
    shows = models.TextField(max_length=4000, help_text="What it shows about the need.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dated", "pk"]

    def __str__(self) -> str:
        return f"{self.source} ({self.get_sector_display()})"


class WardFigure(models.Model):
    """One ward-level figure of an assessment: a ward, an indicator, a year and its value."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ward_figures")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(max_length=120)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["indicator", "year", "ward__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "ward", "indicator", "year"], name="ward_figure_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} in {self.ward}: {self.value}"


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    SURVEY = "survey", "Survey"
    DESIGN_GROUP = "design_group", "Design group"
    LIVED_EXPERIENCE_PANEL = "lived_experience_panel", "Lived-experience panel"
    INTERVIEWS = "interviews", "Interviews or focus groups"
    OTHER = "other", "Other"


class CoProduction(models.Model):
    """A co-production activity (NA-3, PL-4) held for an assessment, or for a plan through its record.

    ``record`` is the commissioning record a plan hangs off, so activities for a
    plan are kept here without this app knowing about plans.
    """

    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.CASCADE, related_name="co_production"
    )
    record = models.ForeignKey(
        CommissioningRecord, null=True, blank=True, on_delete=models.CASCADE, related_name="co_production"
    )
    kind = models.CharField(max_length=30, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    participants = models.PositiveIntegerField(help_text="How many people took part.")
    communities = models.TextField(max_length=2000, blank=True, help_text="Which communities took part.")
    organisations = models.ManyToManyField(Organisation, blank=True, related_name="co_production")
    what_changed = models.TextField(max_length=4000, help_text="What changed because of it.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(assessment__isnull=False) | Q(record__isnull=False),
                name="co_production_for_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class ReviewKind(models.TextChoices):
    NEEDS_ASSESSMENT = "needs_assessment", "Needs assessment"
    SERVICE = "service", "Service review"
    SECTOR = "sector", "Sector review"


class Review(models.Model):
    """A review published for comment from ``opens_at`` to ``closes_at``, then answered in public.

    A draft (``published_at`` empty) is seen only by its body. Open and closed
    are read from the dates; ``answered_at`` is when the body published its
    answers to every comment.
    """

    reference = models.CharField(max_length=20, unique=True)
    body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reviews")
    kind = models.CharField(max_length=30, choices=ReviewKind.choices)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=2000)
    text = models.TextField(max_length=20000, help_text="What is put to people for comment.")
    questions = models.TextField(max_length=4000, blank=True, help_text="The questions asked, one per line.")
    opens_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-closes_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True) | Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="review_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | (Q(opens_at__isnull=False) & Q(closes_at__isnull=False)),
                name="review_published_has_period",
            ),
            models.CheckConstraint(
                condition=Q(kind="needs_assessment", assessment__isnull=False) | ~Q(kind="needs_assessment"),
                name="review_of_assessment_names_it",
            ),
        ]
        indexes = [models.Index(fields=["published_at", "closes_at"], name="review_published_closes")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class CommentStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "Waiting for the e-mail address to be confirmed"
    PUBLISHED = "published", "Published"
    REMOVED = "removed", "Removed for abuse"


class Answer(models.Model):
    """One group of a review's answers: what people said, and what the body did about it."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField(default=0)
    you_said = models.TextField(max_length=4000)
    we_did = models.TextField(max_length=4000)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.you_said[:60]


class Comment(models.Model):
    """A comment on a review, by a signed-in person or by a name and an e-mail address confirmed by a link.

    Comments are moderated for abuse only: a removed comment keeps its text
    and the reason, and is counted, never silently lost. ``answer`` is the
    group of the body's answers it belongs to.
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    email = models.EmailField(max_length=254, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=5000)
    status = models.CharField(max_length=20, choices=CommentStatus.choices, default=CommentStatus.UNCONFIRMED)
    confirmation_digest = models.CharField(max_length=64, blank=True, db_index=True)
    posted_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.CharField(max_length=500, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    client_key = models.CharField(
        max_length=32, blank=True, help_text="A digest of the sender's network address, for the limit."
    )

    class Meta:
        ordering = ["posted_at", "pk"]
        indexes = [models.Index(fields=["review", "status"], name="comment_review_status")]

    def __str__(self) -> str:
        return f"{self.name} on {self.review_id}"
