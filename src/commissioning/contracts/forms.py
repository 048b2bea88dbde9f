"""Forms for the agreement pages. They check shapes; the services check the rules."""

from decimal import Decimal

from django import forms
from django.conf import settings

from commissioning.accounts.models import Organisation, OrganisationStatus, Side
from commissioning.frontend.forms import GovukForm, MoneyInput, WholeNumberField

from .models import AgreementKind, Breakdown, Origin, PaymentBasis, Risk, VariationKind

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
INTERVAL_CHOICES = [
    ("3", "Quarterly"),
    ("1", "Monthly"),
    ("6", "Every six months"),
    ("12", "Yearly"),
    ("0", "In one payment"),
]


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=f"{label} (dd/mm/yyyy)",
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a date, like 01/04/2027",
        },
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
    )


def _money(label: str, *, required: bool = True, help_text: str = "") -> MoneyInput:
    return MoneyInput(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
    )


class TermsForm(GovukForm):
    """The terms of a draft agreement, as the commissioner edits them."""

    title = forms.CharField(label="Title", max_length=200)
    description = forms.CharField(
        label="What is bought or funded", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    outcomes = forms.CharField(
        label="Outcomes sought",
        help_text="One per line.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    department = forms.CharField(label="Department responsible", required=False, max_length=200)
    value = _money("Value over the whole term", help_text="In pounds, for example 90,000.")
    value_includes_vat = forms.BooleanField(label="The value includes VAT", required=False)
    irrecoverable_vat = _money("Irrecoverable VAT", required=False, help_text="Leave empty when there is none.")
    starts_on = _date("Start date")
    ends_on = _date("End date")
    review_on = _date("Review date", required=False)
    extension_months = WholeNumberField(
        label="Most it may be extended by, in months", min_value=0, max_value=120, required=False
    )
    extension_terms = forms.CharField(
        label="Extension terms", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    payment_basis = forms.ChoiceField(label="How it is paid", choices=PaymentBasis.choices, widget=forms.RadioSelect)
    payment_interval_months = forms.TypedChoiceField(
        label="How often it is paid", choices=INTERVAL_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    risk = forms.ChoiceField(
        label="Risk rating",
        choices=Risk.choices,
        widget=forms.RadioSelect,
        help_text="With the value, this sets the monitoring tier (CM-1).",
    )
    risk_reason = forms.CharField(
        label="Why the risk is rated so",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed for a high rating.",
    )
    returns_per_year = WholeNumberField(
        label="Returns a year",
        min_value=1,
        max_value=12,
        required=False,
        help_text="Leave empty for the tier's number. Asking for more than the tier allows needs an explanation.",
    )
    breakdowns = forms.MultipleChoiceField(
        label="Returns break the people reached down by",
        choices=Breakdown.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The Code asks for all three (CM-4); leaving one out needs an explanation.",
    )
    special_conditions = forms.CharField(
        label="Special conditions", required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )
    feedback_open = forms.BooleanField(
        label="People who use the service can give feedback through the agreement's public page (CM-2)",
        required=False,
    )
    coordination_note = forms.CharField(
        label="How monitoring is co-ordinated with the provider's other funders (CM-3)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    compact_confirmed = forms.BooleanField(
        label="The agreement written outside the hub carries the Compact for Leeds clause (PR-11)", required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("irrecoverable_vat") is None and "irrecoverable_vat" in data:
            data["irrecoverable_vat"] = 0
        if data.get("extension_months") is None and "extension_months" in data:
            data["extension_months"] = 0
        return data


class NewAgreementForm(TermsForm):
    """An agreement made by hand: a direct award or a grant made outside a round, with the reason."""

    record = forms.ModelChoiceField(
        label="Commissioning record",
        queryset=None,
        empty_label="Choose the record it belongs to",
        error_messages={
            "required": "Choose the commissioning record",
            "invalid_choice": "Choose a record from the list",
        },
    )
    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Organisation.objects.none(),
        empty_label="Choose the provider",
        error_messages={"required": "Choose the provider", "invalid_choice": "Choose a provider from the list"},
    )
    kind = forms.ChoiceField(label="Kind of agreement", choices=AgreementKind.choices, widget=forms.RadioSelect)
    origin = forms.ChoiceField(
        label="How it was made",
        choices=[c for c in Origin.choices if c[0] != Origin.AWARD],
        widget=forms.RadioSelect,
    )
    origin_reason = forms.CharField(
        label="Why it was made without a competition or a grant round",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=None,
        empty_label="Choose the service area",
        error_messages={"required": "Choose the service area", "invalid_choice": "Choose a service area from the list"},
    )

    field_order = ["record", "provider", "kind", "origin", "origin_reason", "service_area"]

    def __init__(self, *args, records, service_areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].queryset = records
        self.fields["record"].label_from_instance = lambda record: f"{record.reference}: {record.title}"
        self.fields["provider"].queryset = Organisation.objects.filter(
            side=Side.PROVIDER, status=OrganisationStatus.VERIFIED
        ).order_by("name")
        self.fields["service_area"].queryset = service_areas
        self.order_fields(self.field_order)


class MeasureForm(GovukForm):
    """A KPI and its target."""

    name = forms.CharField(label="What the KPI measures", max_length=300)
    target = forms.DecimalField(
        label="Target",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    unit = forms.CharField(label="Unit", required=False, max_length=60, help_text='For example "people" or "%".')
    published = forms.BooleanField(label="Publish it as one of the contract's KPIs", required=False)


class AcceptForm(GovukForm):
    """The provider's authorised person accepts the agreement as issued."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = forms.CharField(label="Your full name", max_length=150)
    role = forms.CharField(label="Your role", max_length=150, help_text="For example Chief Executive or Chair.")
    confirm = forms.BooleanField(
        label="I have read this agreement and I am authorised to accept it for my organisation",
        error_messages={"required": "Confirm that you have read the agreement and may accept it"},
    )


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Why", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class OwnDocumentForm(GovukForm):
    """The agreement's own document, written outside the hub."""

    file = forms.FileField(
        label="The agreement's document",
        help_text="A PDF, Word or OpenDocument file.",
        error_messages={"required": "Choose the document to attach", "empty": "The file you chose is empty"},
    )


class PaymentForm(GovukForm):
    """An instalment's invoice or claim received, and its payment."""

    invoice_received_on = _date("Date the invoice or claim was received")
    invoice_reference = forms.CharField(label="Invoice or claim reference (optional)", required=False, max_length=100)
    paid_on = _date("Date it was paid", required=False, help_text="Leave empty until it is paid.")
    paid_amount = _money("Amount paid", required=False, help_text="Leave empty when it is the instalment's amount.")


class DisputeForm(GovukForm):
    """Why an invoice or claim is disputed: the provider is told."""

    reason = forms.CharField(
        label="Why is the invoice or claim disputed?",
        help_text="The provider's administrators are e-mailed this.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the invoice or claim is disputed: the provider is told"},
    )


class SettleForm(GovukForm):
    """The day the valid invoice or claim that settles a dispute was received."""

    valid_invoice_received_on = _date("Date the valid invoice or claim was received")


class BeneficiaryFeedbackForm(GovukForm):
    """What someone who uses a service wants to say about it, in plain words."""

    text = forms.CharField(
        label="What do you want to tell us?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tell us what you think of the service"},
    )
    rating = forms.ChoiceField(
        label="How good is the service? (optional)",
        required=False,
        choices=[("5", "5: Very good"), ("4", "4: Good"), ("3", "3: OK"), ("2", "2: Poor"), ("1", "1: Very poor")],
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="Your name (optional)", required=False, max_length=150)
    contact = forms.CharField(
        label="Your e-mail address or phone number (optional)",
        help_text="Only if you want a reply. Only the people who run and fund the service see it.",
        required=False,
        max_length=254,
    )
    stamp = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    website = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class ResponseForm(GovukForm):
    response = forms.CharField(label="Your response", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class VariationForm(GovukForm):
    """A change of value, term or scope, with its reason. The service checks which fields each kind needs."""

    kind = forms.ChoiceField(
        label="What does the variation change?",
        choices=[
            (VariationKind.VALUE, "The value"),
            (VariationKind.TERM, "The term (the end date)"),
            (VariationKind.SCOPE, "The scope: what is bought or funded"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the variation changes", "invalid_choice": "Choose from the list"},
    )
    new_value = _money(
        "New value over the whole term",
        required=False,
        help_text="For a change of value, or a change of term that also changes the value. In pounds.",
    )
    new_ends_on = _date("New end date", required=False, help_text="For a change of term.")
    scope_change = forms.CharField(
        label="How the scope changes",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For a change of scope.",
    )
    material_scope_change = forms.BooleanField(
        label="The scope changes materially (a change notice is then needed for a contract above the threshold)",
        required=False,
    )
    reason = forms.CharField(
        label="Why the agreement is varied", max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )


class UpliftForm(GovukForm):
    """An inflation uplift of what is left to pay, as a variation."""

    uplift_percent = forms.DecimalField(
        label="Uplift, in per cent",
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
        help_text="Of what is still to pay under the agreement. For example 3.4.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )
    reason = forms.CharField(
        label="Why the agreement is uplifted", max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(GovukForm):
    """A second person's decision on a proposed variation."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve it: the agreement is changed"), ("reject", "Do not approve it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the variation"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you do not approve it.",
    )


def _rate_field() -> forms.DecimalField:
    lowest, highest = (Decimal(str(n)) for n in settings.CONTRACTS["cpi_rate_range"])
    return forms.DecimalField(
        label="12-month rate, in per cent",
        min_value=lowest,
        max_value=highest,
        max_digits=5,
        decimal_places=1,
        help_text=f"Between {lowest} and {highest}. For example 2.9.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
    )


class InflationRateForm(GovukForm):
    """A published CPI figure: a year's annual average (no month), or one month's 12-month rate."""

    year = WholeNumberField(label="Year", widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}))
    month = WholeNumberField(
        label="Month (1 to 12)",
        required=False,
        min_value=1,
        max_value=12,
        help_text="Leave empty for the year's annual average.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2"}),
    )
    rate = forms.DecimalField()
    source = forms.CharField(label="Where it was published", max_length=500, help_text="For example the ONS release.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rate"] = _rate_field()
        self.order_fields(["year", "month", "rate", "source"])


class InflationCorrectForm(GovukForm):
    """A CPI figure corrected, with its source."""

    rate = forms.DecimalField()
    source = forms.CharField(label="Where it was published", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rate"] = _rate_field()
        self.order_fields(["rate", "source"])
