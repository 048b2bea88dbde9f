"""Contracts and grant agreements, and what follows them: monitoring, returns, payments, feedback, variations.

An :class:`Agreement` is drafted from each awarded lot (a tender's contract,
a grant round's grant agreement) once the standstill has ended, or made by
hand for a direct award or a grant made outside a round, with the reason. The
commissioner issues it (the Code's gate at "issuing an agreement": PR-11 and
CM-1 to CM-4); the provider's authorised person accepts it, and the SHA-256
of the exact document accepted is kept with their name, role and the time.

Acceptance fixes the monitoring plan: one :class:`MonitoringReturn` row per
period the plan asks for, and one :class:`Payment` row per instalment of the
schedule. Returns carry counts only, never about a named person. Every
figure a rule uses (the tiers, how often returns are due, how many measures)
is a setting of the Code's rules, kept by administrators; CPI rates are
reference data (:class:`InflationRate`) shipped with the published figures.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from commissioning.accounts.models import Organisation
from commissioning.core.money import MoneyField
from commissioning.opportunities.models import Lot, Opportunity
from commissioning.records.models import CommissioningRecord, ServiceArea

USER = settings.AUTH_USER_MODEL


class AgreementKind(models.TextChoices):
    CONTRACT = "contract", "Contract"
    GRANT = "grant", "Grant agreement"


class Origin(models.TextChoices):
    AWARD = "award", "Awarded through the hub"
    DIRECT_AWARD = "direct_award", "Direct award"
    GRANT_OUTSIDE_ROUND = "grant_outside_round", "Grant made outside a round"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued, waiting for acceptance"
    ACCEPTED = "accepted", "Accepted"


class Risk(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Tier(models.TextChoices):
    LIGHT = "light", "Light"
    STANDARD = "standard", "Standard"
    ENHANCED = "enhanced", "Enhanced"


class PaymentBasis(models.TextChoices):
    ADVANCE = "advance", "In advance"
    ARREARS = "arrears", "In arrears, against invoices or claims"


class Breakdown(models.TextChoices):
    """What a return breaks the people reached down by (CM-4)."""

    WARD = "ward", "Leeds ward"
    CHARACTERISTIC = "characteristic", "Protected characteristics and carers"
    COMMUNITY = "community", "Community of interest"


ALL_BREAKDOWNS = [b.value for b in Breakdown]


def feedback_token() -> str:
    """The secret part of an agreement's public feedback address: hard to guess, easy to type from a poster."""
    return secrets.token_urlsafe(9)


class Agreement(models.Model):
    """One contract or grant agreement between a commissioning body and a provider."""

    reference = models.CharField(max_length=20, unique=True)
    record = models.ForeignKey(CommissioningRecord, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=10, choices=AgreementKind.choices)
    origin = models.CharField(max_length=30, choices=Origin.choices)
    origin_reason = models.TextField(
        max_length=3000, blank=True, help_text="Why a direct award or a grant outside a round was made."
    )
    # The award it came from: one agreement per successful bid and lot.
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="agreements", null=True, blank=True
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="agreements", null=True, blank=True)
    decision = models.OneToOneField(
        "evaluation.Decision", on_delete=models.PROTECT, related_name="agreement", null=True, blank=True
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, help_text="What is bought or funded: the scope.")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="agreements")
    outcomes = models.TextField(max_length=5000, blank=True, help_text="The outcomes sought, one per line.")
    commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements_let")
    department = models.CharField(max_length=200, blank=True, help_text="The department responsible.")
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements_held")
    value = MoneyField(help_text="The value over the whole term, as agreed at the start.")
    value_includes_vat = models.BooleanField(default=True)
    irrecoverable_vat = MoneyField(default=0)
    light_touch = models.BooleanField(
        default=False, help_text="Let under the light-touch regime (social, health and other services)."
    )
    payment_basis = models.CharField(max_length=10, choices=PaymentBasis.choices)
    payment_interval_months = models.PositiveSmallIntegerField(
        default=3, help_text="Months between payments: 1, 3, 6 or 12; 0 for one payment."
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    review_on = models.DateField(null=True, blank=True)
    extension_months = models.PositiveSmallIntegerField(default=0, help_text="The most it may be extended by.")
    extension_terms = models.TextField(max_length=2000, blank=True)
    special_conditions = models.TextField(max_length=10000, blank=True)
    # Monitoring in proportion (CM-1): the tier comes from the value and this rating.
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    risk_reason = models.TextField(max_length=2000, blank=True)
    tier = models.CharField(max_length=10, choices=Tier.choices, default=Tier.STANDARD)
    returns_per_year = models.PositiveSmallIntegerField(default=2)
    claims_need_evidence = models.BooleanField(default=False)
    spend_reported = models.BooleanField(default=True)
    breakdowns = models.JSONField(default=list, help_text="What returns break the people reached down by (CM-4).")
    needs_performance_assessment = models.BooleanField(default=False)
    # The Compact for Leeds (PR-11): the generated document carries the clause; one written outside the hub
    # (own_document) must confirm that it does.
    compact_clause = models.TextField(max_length=3000, blank=True)
    own_document = models.FileField(upload_to="contracts/agreements/", blank=True, max_length=300)
    compact_confirmed = models.BooleanField(default=False)
    # Beneficiaries' route (CM-2) and co-ordination with the provider's other funders (CM-3).
    feedback_open = models.BooleanField(default=True)
    feedback_token = models.CharField(max_length=20, unique=True, default=feedback_token)
    coordination_note = models.TextField(max_length=3000, blank=True)
    status = models.CharField(max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    # The exact document issued, and its digest: what the provider accepts.
    document = models.TextField(blank=True)
    document_digest = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    accepted_name = models.CharField(max_length=150, blank=True)
    accepted_role = models.CharField(max_length=150, blank=True)
    accepted_digest = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["commissioner", "status"]),
            models.Index(fields=["provider", "status"]),
            models.Index(fields=["status", "starts_on"]),
            # The register's and the lists' order, newest first, walked without a sort.
            models.Index(fields=["-starts_on", "-id"], name="agreement_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="agreement_value_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="agreement_ends_after_start"),
            models.CheckConstraint(
                condition=Q(origin="award") | ~Q(origin_reason=""), name="agreement_outside_a_round_says_why"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | ~Q(accepted_digest=""), name="agreement_acceptance_has_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"


class Measure(models.Model):
    """A key performance indicator of an agreement, with its target (Procurement Act s52 above its threshold)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="measures")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=300)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    unit = models.CharField(max_length=60, blank=True, help_text='What the target counts, e.g. "people" or "%".')
    published = models.BooleanField(default=False, help_text="Published as one of the contract's KPIs.")

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="one_measure_per_number")]

    def __str__(self) -> str:
        return f"{self.agreement.reference} KPI {self.number}: {self.name}"


class ReturnStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted, waiting for review"
    QUERIED = "queried", "Questions asked"
    ACCEPTED = "accepted", "Accepted"
    SHARED = "shared", "Covered by a shared return"


class MonitoringReturn(models.Model):
    """One monitoring return due under an agreement's plan, for one period (CM-1, CM-4).

    Counts of people reached are aggregate: ``breakdowns`` holds
    ``{"ward": {code: n}, "characteristic": {characteristic: {category: n}}, "community": {name: n}}``.
    What the provider types is kept as typed while the return is a draft.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="returns")
    number = models.PositiveSmallIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ReturnStatus.choices, default=ReturnStatus.NOT_STARTED)
    draft = models.JSONField(default=dict, blank=True, help_text="What the provider has typed, as typed.")
    narrative = models.TextField(max_length=5000, blank=True)
    case_studies = models.TextField(max_length=10000, blank=True)
    measures = models.JSONField(default=list, blank=True, help_text="[{number, name, target, actual, note}]")
    spend = models.JSONField(default=dict, blank=True, help_text="{budget, actual, note}")
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    breakdowns = models.JSONField(default=dict, blank=True)
    mismatch_explanation = models.TextField(max_length=2000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    # A return another funder's return covers for this period, by both commissioners' agreement (CM-3).
    covered_by = models.ForeignKey("self", on_delete=models.PROTECT, related_name="covers", null=True, blank=True)
    share_proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    share_proposed_at = models.DateTimeField(null=True, blank=True)
    share_agreed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    share_agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_return_per_number"),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="return_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} return {self.number}"


class ReviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    QUERIED = "queried", "Questions asked"


class ReturnReview(models.Model):
    """A commissioner's review of a submitted return: accepted, or questions asked back. Kept as history."""

    monitoring_return = models.ForeignKey(MonitoringReturn, on_delete=models.CASCADE, related_name="reviews")
    outcome = models.CharField(max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField(max_length=5000, blank=True)
    submission_digest = models.CharField(max_length=64, help_text="The digest of the submission reviewed.")
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["reviewed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome="accepted") | ~Q(note=""), name="a_query_says_what_it_asks")
        ]

    def __str__(self) -> str:
        return f"{self.monitoring_return}: {self.get_outcome_display()}"


class Payment(models.Model):
    """One instalment of an agreement's payment schedule, and when it was claimed and paid."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="payments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField(help_text="When it is due to be paid (in advance) or claimed (in arrears).")
    amount = MoneyField()
    invoice_received_on = models.DateField(null=True, blank=True, help_text="When the invoice or claim was received.")
    invoice_reference = models.CharField(max_length=100, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_amount = MoneyField(null=True, blank=True)
    disputed = models.BooleanField(default=False, help_text="The invoice was disputed, and the provider told.")
    dispute_reason = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        indexes = [models.Index(fields=["paid_on"]), models.Index(fields=["due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_payment_per_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True)
                | Q(invoice_received_on__isnull=True)
                | Q(paid_on__gte=F("invoice_received_on")),
                name="payment_not_before_its_invoice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} payment {self.number}"


class BeneficiaryFeedback(models.Model):
    """What someone who uses a service said about it through the agreement's public route (CM-2).

    Contact details are optional and seen only by the agreement's
    commissioners and its provider.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="beneficiary_feedback")
    received_at = models.DateTimeField()
    text = models.TextField(max_length=3000)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (very poor) to 5 (very good).")
    contact_name = models.CharField(max_length=150, blank=True)
    contact = models.CharField(max_length=254, blank=True, help_text="An e-mail address or telephone number.")
    response = models.TextField(max_length=3000, blank=True, help_text="The provider's response.")
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    client_key = models.CharField(
        max_length=32, blank=True, help_text="A digest of the sender's address, for the limit."
    )
    hidden = models.BooleanField(default=False, help_text="Set aside as spam or abuse, with who did it.")
    hidden_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["agreement", "received_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)),
                name="feedback_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.agreement.reference}"


class VariationKind(models.TextChoices):
    VALUE = "value", "Change of value"
    TERM = "term", "Change of term"
    SCOPE = "scope", "Change of scope"
    UPLIFT = "uplift", "Inflation uplift"


class VariationStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class Variation(models.Model):
    """A change to an agreement's value, term or scope, with its reason and size against the original."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="variations")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=VariationKind.choices)
    reason = models.TextField(max_length=3000)
    value_change = MoneyField(default=0, help_text="The change to the value over the term (negative to reduce).")
    new_ends_on = models.DateField(null=True, blank=True)
    scope_change = models.TextField(max_length=3000, blank=True)
    uplift_percent = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # Worked out when proposed, against the original value and term (Procurement Act s74-75).
    percent_of_original = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    change_notice_required = models.BooleanField(default=False)
    change_notice_reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=VariationStatus.choices, default=VariationStatus.PROPOSED)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="one_variation_per_number")]

    def __str__(self) -> str:
        return f"{self.agreement.reference} variation {self.number}"


class Rating(models.TextChoices):
    """The ratings of a contract performance notice (Procurement Regulations 2024, reg 39(5))."""

    GOOD = "good", "Good"
    APPROACHING = "approaching", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    OTHER = "other", "Other"


class PerformanceAssessment(models.Model):
    """A periodic assessment of an agreement's performance against its KPIs, drawn from the returns."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="assessments")
    period_start = models.DateField()
    period_end = models.DateField()
    rating = models.CharField(max_length=30, choices=Rating.choices)
    measure_ratings = models.JSONField(default=list, help_text="[{number, name, target, actual, rating}]")
    note = models.TextField(max_length=5000, blank=True)
    assessed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()

    class Meta:
        ordering = ["agreement", "period_end"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="assessment_period_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.agreement.reference} assessment to {self.period_end}"


class InflationRate(models.Model):
    """A published Consumer Prices Index 12-month rate: a year's annual average, or one month's (ONS D7G7).

    Reference data administrators keep; the hub ships with the published figures.
    """

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for the annual average.")
    rate = models.DecimalField(max_digits=5, decimal_places=1, help_text="Per cent.")
    series = models.CharField(max_length=10, default="D7G7")
    source = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year", "month"], name="one_rate_per_period"),
            models.UniqueConstraint(
                fields=["series", "year"], condition=Q(month__isnull=True), name="one_annual_rate_per_year"
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | (Q(month__gte=1) & Q(month__lte=12)), name="rate_month_1_to_12"
            ),
        ]

    def __str__(self) -> str:
        return f"CPI {self.year}{f'-{self.month:02d}' if self.month else ''}: {self.rate}%"


class CalendarFeed(models.Model):
    """A provider's secret iCalendar address for its reporting and payment calendar (CM-3).

    The address's secret is shown once when it is made; only its SHA-256 digest is kept, so it cannot be
    read back. Making a new one stops the old address working.
    """

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="calendar_feed")
    token_digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar feed of {self.organisation}"
