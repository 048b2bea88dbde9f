"""The commissioning record: the one record every stage of one piece of commissioning hangs off.

It says what is bought or funded, for whom, where, when, for how much and by
which bodies. Needs assessments and plans come before any opportunity exists;
opportunities run it; agreements, notices and decommissioning will hang off it
too, so no stage has to invent its own link to the others.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from commissioning.accounts.models import Organisation
from commissioning.core.models import Ward
from commissioning.core.money import MoneyField


class ServiceArea(models.Model):
    """An outcome area: a category of service that administrators keep (e.g. "Mental health and wellbeing").

    Needs assessments, plans, opportunities and agreements are all filed under one,
    so the pipeline, the finder and the register share their filters.

    ``light_touch`` marks social, health and other services that the light-touch
    regime covers; ``nhs_health_care`` marks health care services the NHS
    commissions under the Provider Selection Regime.
    """

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    light_touch = models.BooleanField(default=True)
    nhs_health_care = models.BooleanField(default=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        # The table kept its first name when the model moved here from opportunities (ADR 19).
        db_table = "opportunities_servicearea"

    def __str__(self) -> str:
        return self.name


class CommissioningRecord(models.Model):
    """One piece of commissioning, from need to ending, led by one body with any joint bodies."""

    reference = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, help_text="What is bought or funded.")
    client_groups = models.TextField(
        max_length=2000, blank=True, help_text="For whom: the client groups or beneficiaries."
    )
    city_wide = models.BooleanField(default=False)
    wards = models.ManyToManyField(Ward, blank=True, related_name="commissioning_records")
    expected_start = models.DateField(null=True, blank=True)
    expected_end = models.DateField(null=True, blank=True)
    estimated_value = MoneyField(null=True, blank=True, help_text="The estimated total value, in pounds.")
    lead_body = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="led_records")
    joint_bodies = models.ManyToManyField(Organisation, blank=True, related_name="joint_records")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="record_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(expected_start__isnull=True)
                | Q(expected_end__isnull=True)
                | Q(expected_end__gte=models.F("expected_start")),
                name="record_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def bodies(self) -> list[Organisation]:
        """The lead body first, then the joint bodies (from the prefetch when a selector loaded them)."""
        return [self.lead_body, *(b for b in self.joint_bodies.all() if b.pk != self.lead_body_id)]
