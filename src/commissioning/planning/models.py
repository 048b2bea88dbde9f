"""Plans on the shared pipeline, their overlaps and how they are co-ordinated, partners, and options appraisals.

A plan is planned commissioning by one body: it hangs off a commissioning
record, which already says what, for whom, where, when and for how much, and
adds the outcome area, the funding type, when it is expected to be advertised,
its status and a contact. A plan is a draft, seen only by its bodies and named
partners, until it is put on the pipeline (``published_at``).

Two plans on the pipeline overlap when they share the outcome area, a ward
(or either is city-wide) and part of their period; the overlap is kept so both
commissioners can record how they co-ordinate (PL-1).

An options appraisal belongs to a record, not to a plan, so an opportunity
started without a plan can still show the options it considered (PL-2).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.accounts.models import Organisation
from commissioning.core.money import MoneyField
from commissioning.needs.models import Assessment
from commissioning.records.models import CommissioningRecord, ServiceArea


class FundingType(models.TextChoices):
    GRANT = "grant", "Grant"
    CONTRACT = "contract", "Contract"
    EITHER = "either", "Grant or contract (to be decided)"


class PlanStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    PLANNED = "planned", "Planned"
    APPROVED = "approved", "Approved"
    ADVERTISED = "advertised", "Advertised"
    AWARDED = "awarded", "Awarded"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Plan(models.Model):
    """One planned piece of commissioning on the pipeline, with its record's facts and its own timing."""

    record = models.OneToOneField(CommissioningRecord, on_delete=models.PROTECT, related_name="plan")
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, related_name="plans", verbose_name="outcome area"
    )
    funding_type = models.CharField(max_length=20, choices=FundingType.choices)
    expected_advert = models.DateField(help_text="When it is expected to be advertised.")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.IDEA)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans")
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField(max_length=254)
    published_at = models.DateTimeField(null=True, blank=True, help_text="When it was put on the pipeline.")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["expected_advert", "pk"]
        indexes = [
            models.Index(fields=["published_at", "expected_advert"], name="plan_pipeline"),
            models.Index(fields=["service_area", "status"], name="plan_area_status"),
            # The pipeline's order: a page is read from the index, not sorted from every plan.
            models.Index(fields=["expected_advert", "id"], name="plan_advert_order"),
        ]

    def __str__(self) -> str:
        return f"Plan for {self.record}"


class Coordination(models.TextChoices):
    JOINT = "joint", "Joint commissioning"
    ALIGNED = "aligned", "Aligned timing"
    APART = "apart", "Kept apart, for a reason"


class Overlap(models.Model):
    """Two plans of different bodies for the same outcome area, ward and period (PL-1).

    ``first`` is the plan with the lower key, so a pair is kept once. An overlap
    stays open until one of the two bodies records how they co-ordinate; it is
    ``cleared`` (kept, not deleted) when a change means the plans no longer overlap.
    """

    first = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="overlaps_as_first")
    second = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="overlaps_as_second")
    found_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    coordination = models.CharField(max_length=20, choices=Coordination.choices, blank=True)
    note = models.TextField(max_length=4000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="overlap_pair_once"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="overlap_pair_ordered"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | ~Q(coordination=""),
                name="overlap_resolution_says_how",
            ),
        ]

    def __str__(self) -> str:
        return f"Overlap of plans {self.first_id} and {self.second_id}"


class PartnerStage(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    DESIGN = "design", "Design"
    EVALUATION = "evaluation", "Evaluation"


class Partner(models.Model):
    """A third-sector organisation named as a commissioning partner on one stage of a plan (PL-4)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plan_partnerships")
    stage = models.CharField(max_length=20, choices=PartnerStage.choices)
    involvement = models.TextField(max_length=2000, help_text="What they do at this stage.")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stage", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "organisation", "stage"], name="partner_once_per_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_stage_display()})"


class OptionKind(models.TextChoices):
    GRANT = "grant", "Grant"
    CONTRACT = "contract", "Contract"
    LOTS = "lots", "Several lots"
    CONSORTIUM = "consortium", "A consortium"
    FRAMEWORK = "framework", "A framework"
    IN_HOUSE = "in_house", "In-house"
    ANOTHER_BODY = "another_body", "Working with another body"
    DO_NOTHING = "do_nothing", "Doing nothing"
    OTHER = "other", "Other"


class Appraisal(models.Model):
    """The options appraisal of one piece of commissioning (PL-2): the options, the choice and why."""

    record = models.OneToOneField(CommissioningRecord, on_delete=models.PROTECT, related_name="appraisal")
    chosen = models.OneToOneField("Option", null=True, blank=True, on_delete=models.SET_NULL, related_name="chosen_by")
    rationale = models.TextField(max_length=6000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(chosen__isnull=True) | ~Q(rationale=""),
                name="appraisal_choice_has_rationale",
            ),
        ]

    def __str__(self) -> str:
        return f"Options appraisal for {self.record}"


class Option(models.Model):
    """One option considered: its shape (size, length, number of contracts, funding), benefits, risks and costs."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="options")
    kind = models.CharField(max_length=20, choices=OptionKind.choices)
    description = models.CharField(max_length=300)
    value = MoneyField(null=True, blank=True, help_text="The size, in pounds.")
    length_months = models.PositiveSmallIntegerField(null=True, blank=True)
    contracts = models.PositiveSmallIntegerField(null=True, blank=True, help_text="How many contracts or grants.")
    funding_type = models.CharField(max_length=20, choices=FundingType.choices, blank=True)
    benefits = models.TextField(max_length=4000)
    risks = models.TextField(max_length=4000)
    costs = models.TextField(max_length=4000, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="option_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"
