"""Tenders and grant rounds, with their lots, questions, documents and timeline.

An opportunity is written as a draft by its lead commissioner, checked
against the Code, then published. Its status holds only what a person
decided (draft, published, cancelled, withdrawn); "open" and "closed" are read
from the submission deadline and the clock, so no job has to run at the
deadline. After publishing, every change is an amendment.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.accounts.models import Organisation
from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.models import Ward
from commissioning.core.money import MoneyField
from commissioning.records.models import CommissioningRecord, ServiceArea


class ProcurementThreshold(models.Model):
    """A legal value threshold, kept as data so it can change without code (amounts include VAT)."""

    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    amount = MoneyField()
    valid_from = models.DateField()

    class Meta:
        ordering = ["key", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "valid_from"], name="threshold_unique_from")]

    def __str__(self) -> str:
        return f"{self.label}: £{self.amount:,.2f} from {format_date(self.valid_from)}"


class Kind(models.TextChoices):
    TENDER = "tender", "Tender (contract)"
    GRANT = "grant", "Grant round"


class Regime(models.TextChoices):
    BELOW_THRESHOLD = "below_threshold", "Below threshold"
    LIGHT_TOUCH = "light_touch", "Light-touch regime (Procurement Act 2023)"
    COMPETITIVE = "competitive", "Above threshold: competitive flexible procedure"
    PSR = "psr", "Provider Selection Regime (NHS health care)"
    GRANT = "grant", "Grant"


class StandstillRule(models.Model):
    """How the standstill after an award decision is counted under one regime, kept as data.

    The period is ``working_days`` working days. It begins ``starts_days_after_publication``
    calendar days after the day the ``notice`` is published; when ``first_day_counts`` the day it
    begins is its first working day (if it is one), otherwise the working days are counted after
    that day. So the Procurement Act 2023 (s51: eight working days beginning with the day the
    contract award notice is published) is 0 days and counting, and the Provider Selection Regime
    (regulation 12: it begins on the day after the notice of intention to award is published and
    ends at the end of the eighth working day after that day) is 1 day and not counting. A
    ``voluntary`` standstill is set by the commissioner, from 0 to ``max_working_days``.
    """

    regime = models.CharField(max_length=20, choices=Regime.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(help_text="The standstill in working days (0 for none).")
    voluntary = models.BooleanField(
        default=False, help_text="The commissioner chooses the length, from 0 to the maximum below."
    )
    max_working_days = models.PositiveSmallIntegerField(
        default=0, help_text="The longest voluntary standstill a commissioner may set, in working days."
    )
    notice = models.CharField(
        max_length=100, blank=True, help_text='The notice whose publication starts it, e.g. "contract award notice".'
    )
    starts_days_after_publication = models.PositiveSmallIntegerField(
        default=0, help_text="Calendar days from the day the notice is published to the day the standstill begins."
    )
    first_day_counts = models.BooleanField(
        default=True,
        help_text="The day the standstill begins is its first working day (if it is one); otherwise counting "
        "starts on the working day after it.",
    )
    basis = models.CharField(
        max_length=300, blank=True, help_text='The law it follows, as letters cite it after "It follows".'
    )

    class Meta:
        ordering = ["regime"]

    def __str__(self) -> str:
        return f"Standstill under {self.get_regime_display()}: {self.working_days} working days"

    def snapshot(self) -> dict:
        """The counting rule as the award decision keeps it, so a later change here does not move it."""
        return {
            "regime": self.regime,
            "notice": self.notice,
            "starts_days_after_publication": self.starts_days_after_publication,
            "first_day_counts": self.first_day_counts,
            "basis": self.basis,
        }


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PriceMethod(models.TextChoices):
    LOWEST_PROPORTIONAL = "lowest_proportional", "Lowest price scores full marks; others in proportion"
    NONE = "none", "Price is not scored (fixed price or grant)"


def deadline_passed_q(moment) -> Q:
    """In SQL, the one definition of "the deadline has passed": see :meth:`Opportunity.deadline_passed`."""
    return Q(published_at__isnull=False, submission_deadline__isnull=False, submission_deadline__lte=moment)


class OpportunityQuerySet(models.QuerySet):
    def public(self):
        """Opportunities the public may see: published, cancelled after publishing, or withdrawn."""
        return self.filter(published_at__isnull=False).exclude(status=Status.DRAFT)

    def open_at(self, moment):
        """Published and before the deadline at ``moment``.

        Only publishing sets the status to published, and it sets ``published_at`` with it, so the
        status and the deadline alone decide (a test holds this to :meth:`Opportunity.is_open`)."""
        return self.filter(status=Status.PUBLISHED, submission_deadline__gt=moment)

    def closed_at(self, moment):
        """Published and past the deadline at ``moment``."""
        return self.filter(deadline_passed_q(moment), status=Status.PUBLISHED)

    def sealed_at(self, moment):
        """Those whose bids are still sealed at ``moment``: the deadline has not passed."""
        return self.exclude(deadline_passed_q(moment))

    def unsealed_at(self, moment):
        """Those whose deadline has passed at ``moment``, so their bids may be opened."""
        return self.filter(deadline_passed_q(moment))


class Opportunity(models.Model):
    """A tender or a grant round."""

    reference = models.CharField(max_length=20, unique=True)
    # The piece of commissioning this opportunity runs: a record may hold several (a tender re-run).
    record = models.ForeignKey(CommissioningRecord, on_delete=models.PROTECT, related_name="opportunities")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500)
    description = models.TextField(max_length=20000, blank=True)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="opportunities")
    city_wide = models.BooleanField(default=False)
    wards = models.ManyToManyField(Ward, blank=True, related_name="opportunities")
    outcomes = models.TextField(max_length=5000, blank=True, help_text="The outcomes sought, one per line.")
    total_value = MoneyField()
    # Set on publishing, when the lots are final: what the finder's "suitable for
    # small organisations" compares, from an index instead of a lookup per lot.
    smallest_lot_value = MoneyField(null=True, blank=True, editable=False)
    value_includes_vat = models.BooleanField(default=True)
    duration_months = models.PositiveSmallIntegerField()
    lead_commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_opportunities")
    joint_commissioners = models.ManyToManyField(Organisation, blank=True, related_name="joint_opportunities")
    regime = models.CharField(max_length=20, choices=Regime.choices)
    find_a_tender_reference = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(blank=True)

    # Timeline: exact times in Europe/London, stored in UTC.
    question_deadline = models.DateTimeField(null=True, blank=True)
    submission_deadline = models.DateTimeField(null=True, blank=True)
    evaluation_from = models.DateField(null=True, blank=True)
    expected_award = models.DateField(null=True, blank=True)
    service_start = models.DateField(null=True, blank=True)

    # Award criteria beyond the questions' own weights.
    price_weight = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    price_method = models.CharField(max_length=30, choices=PriceMethod.choices, default=PriceMethod.LOWEST_PROPORTIONAL)
    social_value_ambitions_referenced = models.BooleanField(
        default=False, help_text="The specification references the Leeds social value ambitions (PR-4)."
    )
    compact_clause_in_terms = models.BooleanField(
        default=False, help_text="The terms and conditions reference the Compact for Leeds (PR-11)."
    )
    standard_items = models.JSONField(
        default=list, blank=True, help_text="Evidence-store items this opportunity asks for."
    )

    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["status", "submission_deadline"]),
            models.Index(fields=["kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(total_value__gte=0), name="opportunity_value_not_negative"),
            models.CheckConstraint(
                condition=Q(price_weight__gte=0) & Q(price_weight__lte=100), name="opportunity_price_weight_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def deadline_passed(self, moment: datetime | None = None) -> bool:
        """The one definition of "the deadline has passed", at ``moment`` (the server's clock by default).

        True once an opportunity that was published has a submission deadline
        the clock has reached. From then on nothing more can be submitted and
        its commissioners may open the bids; until then the bids are sealed,
        whoever asks. Every read and write of a bid decides by this (or by
        :func:`deadline_passed_q`, the same rule in SQL), never by its own test
        of the deadline.
        """
        moment = clock.now() if moment is None else moment
        return (
            self.published_at is not None
            and self.submission_deadline is not None
            and moment >= self.submission_deadline
        )

    @property
    def sealed(self) -> bool:
        """Whether its bids are sealed now: nobody but the bidders may read them, or learn of them."""
        return not self.deadline_passed()

    @property
    def is_open(self) -> bool:
        """Published and before its deadline, by the server's clock."""
        return self.status == Status.PUBLISHED and self.submission_deadline is not None and not self.deadline_passed()

    @property
    def is_closed(self) -> bool:
        """Published and past its deadline."""
        return self.status == Status.PUBLISHED and self.deadline_passed()

    @property
    def questions_open(self) -> bool:
        """Open, and before the deadline for clarification questions."""
        return self.is_open and self.question_deadline is not None and clock.now() < self.question_deadline

    @property
    def display_status(self) -> str:
        """What a reader sees: draft, open, closed, cancelled or withdrawn."""
        if self.status == Status.PUBLISHED:
            return "open" if self.is_open else "closed"
        return self.status

    @property
    def commissioners(self) -> list[Organisation]:
        return [self.lead_commissioner, *self.joint_commissioners.all()]


class PricingMode(models.TextChoices):
    FLOOR = "floor", "Bids compete on price above a minimum acceptable price"
    FIXED = "fixed", "Fixed price: bids compete on quality only"
    MAX_AWARD = "max_award", "Grant: applications up to a maximum award"


class Lot(models.Model):
    """A part of an opportunity that is bid for and awarded on its own."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    value = MoneyField()
    city_wide = models.BooleanField(default=False)
    wards = models.ManyToManyField(Ward, blank=True, related_name="lots")
    pricing = models.CharField(max_length=20, choices=PricingMode.choices)
    floor_price = MoneyField(null=True, blank=True, help_text="The minimum acceptable price (PR-6).")
    fixed_price = MoneyField(null=True, blank=True)
    max_award = MoneyField(null=True, blank=True)

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="lot_number_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="lot_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.title}"


class QuestionKind(models.TextChoices):
    QUALITY = "quality", "Quality"
    SOCIAL_VALUE = "social_value", "Social value"


class Question(models.Model):
    """A question bidders answer, with its word limit and its weight in the award criteria."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices, default=QuestionKind.QUALITY)
    text = models.CharField(max_length=1000)
    guidance = models.TextField(max_length=3000, blank=True)
    word_limit = models.PositiveIntegerField()
    weight = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="question_number_unique"),
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=100), name="question_weight_percent"),
        ]

    def __str__(self) -> str:
        return f"Q{self.number}: {self.text[:60]}"


class DocumentKind(models.TextChoices):
    SPECIFICATION = "specification", "Specification"
    TERMS = "terms", "Terms and conditions"
    FORM = "form", "Form or template"
    OTHER = "other", "Other"


def document_path(instance: "Document", filename: str) -> str:
    # Stored under a digest so a name never collides and nothing is overwritten.
    return f"opportunities/{instance.opportunity.reference}/{instance.sha256[:16]}/{filename}"


class Document(models.Model):
    """A document published with an opportunity; its SHA-256 is kept so changes are visible."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=document_path, max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["opportunity", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class EventMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"


class EngagementEvent(models.Model):
    """A market engagement or meet-the-buyer event (PR-2), open to every provider."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="events")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    mode = models.CharField(max_length=20, choices=EventMode.choices)
    address = models.CharField(max_length=300, blank=True)
    link = models.URLField(blank=True)
    capacity = models.PositiveIntegerField()
    description = models.TextField(max_length=3000, blank=True)
    notes = models.TextField(max_length=20000, blank=True, help_text="Published after the event.")
    slides = models.FileField(upload_to="opportunities/events/", blank=True, max_length=300)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class EventRegistration(models.Model):
    """A provider's place at an engagement event."""

    event = models.ForeignKey(EngagementEvent, on_delete=models.CASCADE, related_name="registrations")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="event_registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations")
    attendees = models.PositiveSmallIntegerField(default=1)
    access_needs = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation"], name="one_registration_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} at {self.event}"


class Amendment(models.Model):
    """A change to a published opportunity, numbered, with what changed and whether it is material."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField()
    summary = models.TextField(max_length=3000)
    changes = models.JSONField(default=dict)
    material = models.BooleanField(default=False)
    new_deadline = models.DateTimeField(null=True, blank=True)
    # Why a moved deadline may leave less than PL-3's least lead time; blank when it leaves enough.
    lead_time_explanation = models.TextField(max_length=3000, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        ordering = ["opportunity", "number"]
        constraints = [models.UniqueConstraint(fields=["opportunity", "number"], name="amendment_number_unique")]

    def __str__(self) -> str:
        return f"Amendment {self.number} to {self.opportunity.reference}"


class Clarification(models.Model):
    """A provider's question and the commissioner's answer, published to everyone without the asker.

    ``question`` is the asker's own words and is never published: what the
    public reads is ``published_question``, the wording the commissioner
    published with the answer (the same words, or edited to remove what
    identifies the asker). It is empty until the answer is published.
    """

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField(max_length=3000, help_text="The asker's own words; never published.")
    published_question = models.TextField(
        max_length=3000, blank=True, help_text="The question as published with the answer."
    )
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    answer = models.TextField(max_length=5000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"Question {self.pk} about {self.opportunity.reference}" if self.pk else "A clarification question"

    @property
    def wording_edited(self) -> bool:
        """The question was published in other words than the asker's."""
        return bool(self.published_at and self.published_question != self.question)


class Interest(models.Model):
    """An organisation's expression of interest; it follows updates unless it stops."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="interests")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    following = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "organisation"], name="one_interest_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.opportunity.reference}"


class AlertSubscription(models.Model):
    """A person's e-mail alert: new and amended opportunities in chosen service areas or wards."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_alerts")
    service_areas = models.ManyToManyField(ServiceArea, blank=True)
    wards = models.ManyToManyField(Ward, blank=True)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Alerts for {self.user}"
