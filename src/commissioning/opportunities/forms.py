"""Forms for the opportunity pages. They check shapes; services check the rules."""

from django import forms

from commissioning.accounts.forms import ward_choices
from commissioning.evidence.standard_items import StandardItem
from commissioning.frontend.forms import GovukForm, MoneyInput

from .models import DocumentKind, EventMode, Kind, PriceMethod, PricingMode, QuestionKind, Regime, ServiceArea

VALUE_BAND_CHOICES = [
    ("", "Any value"),
    ("up_to_25k", "Up to £25,000"),
    ("25k_100k", "£25,000 to £100,000"),
    ("100k_500k", "£100,000 to £500,000"),
    ("over_500k", "Over £500,000"),
]


class FinderForm(GovukForm):
    q = forms.CharField(label="Search", required=False, max_length=200)
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Tenders and grants")] + list(Kind.choices))
    area = forms.ChoiceField(label="Service area", required=False)
    ward = forms.ChoiceField(label="Ward", required=False)
    value = forms.ChoiceField(label="Value", required=False, choices=VALUE_BAND_CHOICES)
    closing_before = forms.DateField(
        label="Closing on or before (dd/mm/yyyy)", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )
    small = forms.BooleanField(label="Suitable for small organisations (a lot of £100,000 or less)", required=False)
    state = forms.ChoiceField(
        label="Show", required=False, choices=[("open", "Open"), ("closed", "Closed"), ("all", "Open and closed")]
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("closing", "Closing soonest"), ("newest", "Newest"), ("value", "Highest value")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any service area")] + list(
            ServiceArea.objects.filter(active=True).values_list("slug", "name")
        )
        self.fields["ward"].choices = [("", "Any ward")] + ward_choices()


DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%Y-%m-%d %H:%M"]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DEADLINE_MESSAGES = {
    "required": "Enter when bids close",
    "invalid": "Enter when bids close as a date and time, like 22/01/2027 12:00",
    "horizon": "The deadline must be %(limit)s",
}
QUESTION_DEADLINE_MESSAGES = {
    "required": "Enter when clarification questions close",
    "invalid": "Enter when clarification questions close as a date and time, like 08/01/2027 17:00",
    "horizon": "The closing time for questions must be %(limit)s",
}


def _money(label: str, required: bool = True, help_text: str = "") -> MoneyInput:
    # Typed as digits, commas and one point (an optional £): "1e4" is not £10,000.
    return MoneyInput(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
    )


def _percent(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_value": "Enter a percentage of 100 or less",
            "min_value": "Enter a percentage of 0 or more",
            "invalid": "Enter a number, like 60",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
    )


class OpportunityForm(GovukForm):
    """The details of a draft tender or grant round."""

    kind = forms.ChoiceField(
        label="Is this a tender or a grant round?",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a tender or a grant round"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    summary = forms.CharField(
        label="Summary",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences for the finder and alerts.",
        error_messages={"required": "Enter a summary"},
    )
    description = forms.CharField(
        label="Full description", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    outcomes = forms.CharField(
        label="Outcomes sought (one per line)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    service_area = forms.ModelChoiceField(
        label="Service area",
        queryset=ServiceArea.objects.filter(active=True),
        empty_label="Choose a service area",
        error_messages={"required": "Choose a service area"},
    )
    city_wide = forms.BooleanField(label="It covers the whole of Leeds", required=False)
    wards = forms.MultipleChoiceField(
        label="Wards it covers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose Leeds wards from the list"},
    )
    total_value = _money("Total value")
    value_includes_vat = forms.BooleanField(label="The value includes VAT", required=False, initial=True)
    duration_months = forms.IntegerField(
        label="Length in months",
        min_value=1,
        max_value=240,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={"required": "Enter the length in months"},
    )
    regime = forms.ChoiceField(
        label="Procedure", required=False, help_text="Leave blank to have it suggested from the value and service."
    )
    find_a_tender_reference = forms.CharField(
        label="Find a Tender notice reference (if the law requires one)", required=False, max_length=40
    )
    question_deadline = forms.DateTimeField(
        label="Clarification questions close",
        required=False,
        input_formats=DATETIME_FORMATS,
        help_text="For example, 08/01/2027 17:00 (UK time)",
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
        error_messages=QUESTION_DEADLINE_MESSAGES,
    )
    submission_deadline = forms.DateTimeField(
        label="Bids close",
        required=False,
        input_formats=DATETIME_FORMATS,
        help_text="For example, 22/01/2027 12:00 (UK time)",
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
        error_messages=DEADLINE_MESSAGES,
    )
    expected_award = forms.DateField(
        label="Expected award date",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y"),
    )
    service_start = forms.DateField(
        label="Service starts", required=False, input_formats=DATE_FORMATS, widget=forms.DateInput(format="%d/%m/%Y")
    )
    price_weight = _percent("Price weight (%)")
    price_method = forms.ChoiceField(label="How price is scored", choices=[])
    social_value_ambitions_referenced = forms.BooleanField(
        label="The specification references the Leeds social value ambitions", required=False
    )
    compact_clause_in_terms = forms.BooleanField(
        label="The terms and conditions reference the Compact for Leeds", required=False
    )
    standard_items = forms.MultipleChoiceField(
        label="What to take from each bidder's evidence store (asked once, used many times)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=StandardItem.choices,
        help_text="Bidders confirm these as current instead of answering questions about them.",
    )

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = ward_choices()
        self.fields["regime"].choices = [("", "Suggest it for me")] + list(Regime.choices)
        self.fields["price_method"].choices = PriceMethod.choices
        if records:
            # Only when starting a draft, and only the body's own records: a new record is the default.
            self.fields["record"] = forms.ChoiceField(
                label="Which commissioning record is it part of?",
                required=False,
                choices=[("", "Start a new commissioning record with these details")]
                + [(r.reference, f"{r.reference}: {r.title}") for r in records],
                help_text="Choose a record to run another tender or grant round for the same piece of commissioning.",
                error_messages={"invalid_choice": "Choose one of your commissioning records"},
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("city_wide") and not cleaned.get("wards") and "wards" not in self.errors:
            self.add_error("wards", "Choose the wards it covers, or say it covers the whole of Leeds")
        q, d = cleaned.get("question_deadline"), cleaned.get("submission_deadline")
        if q and d and q >= d:
            self.add_error("question_deadline", "Questions must close before bids close")
        return cleaned


class LotForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    description = forms.CharField(
        label="Description", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    value = _money("Value")
    city_wide = forms.BooleanField(label="This lot covers the whole of Leeds", required=False)
    wards = forms.MultipleChoiceField(
        label="Wards this lot covers", required=False, widget=forms.CheckboxSelectMultiple
    )
    pricing = forms.ChoiceField(
        label="Pricing", widget=forms.RadioSelect, error_messages={"required": "Choose how this lot is priced"}
    )
    floor_price = _money("Minimum acceptable price", required=False, help_text="Bids below it are refused (PR-6).")
    fixed_price = _money("Fixed price", required=False)
    max_award = _money("Maximum award", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = ward_choices()
        self.fields["pricing"].choices = PricingMode.choices

    def clean(self):
        cleaned = super().clean()
        needed = {"floor": "floor_price", "fixed": "fixed_price", "max_award": "max_award"}.get(cleaned.get("pricing"))
        if needed and cleaned.get(needed) is None and needed not in self.errors:
            self.add_error(needed, f"Enter the {self.fields[needed].label.lower()}")
        value = cleaned.get("value")
        for name in ("floor_price", "fixed_price", "max_award"):
            amount = cleaned.get(name)
            if amount is not None and value is not None and amount > value:
                self.add_error(name, f"The {self.fields[name].label.lower()} cannot be more than the lot's value")
        return cleaned


class QuestionForm(GovukForm):
    kind = forms.ChoiceField(label="Kind", widget=forms.RadioSelect)
    text = forms.CharField(
        label="Question",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the question"},
    )
    guidance = forms.CharField(
        label="Guidance for bidders", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    word_limit = forms.IntegerField(
        label="Word limit",
        min_value=10,
        max_value=10000,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the word limit"},
    )
    weight = _percent("Weight (%)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = QuestionKind.choices


class EventForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, initial="Meet the buyer")
    starts_at = forms.DateTimeField(
        label="Starts",
        input_formats=DATETIME_FORMATS,
        help_text="For example, 15/12/2026 10:00 (UK time)",
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
        error_messages={"required": "Enter when it starts", "invalid": "Enter a date and time like 15/12/2026 10:00"},
    )
    ends_at = forms.DateTimeField(
        label="Ends",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
        error_messages={"required": "Enter when it ends", "invalid": "Enter a date and time like 15/12/2026 12:00"},
    )
    mode = forms.ChoiceField(label="Where", widget=forms.RadioSelect)
    address = forms.CharField(label="Address (in person)", required=False, max_length=300)
    link = forms.URLField(label="Link to join (online)", required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label="Places", min_value=1, max_value=10000, widget=forms.TextInput(attrs={"class": "govuk-input--width-5"})
    )
    description = forms.CharField(
        label="What it will cover", required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label="Notes published after the event",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mode"].choices = EventMode.choices


class ExplainForm(GovukForm):
    """Why a rule does not apply, and the second person who is to confirm it.

    ``confirmers`` are the people who may confirm an explanation the writer
    gives for this body (see ``practice.permissions.confirmers_for``).
    """

    rule = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why this rule does not apply here",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Explain why the rule does not apply",
            "max_length": "The explanation must be 3,000 characters or fewer",
        },
    )
    confirmer = forms.ModelChoiceField(
        label="Who will confirm it",
        help_text=(
            "Another commissioner of your commissioning body, or an administrator. They are e-mailed and "
            "confirm it in the hub; until then the rule does not count as explained."
        ),
        queryset=None,
        empty_label="Choose who will confirm it",
        error_messages={
            "required": "Choose who will confirm the explanation",
            "invalid_choice": "Choose someone from the list to confirm the explanation",
        },
    )

    def __init__(self, *args, confirmers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmer"].queryset = confirmers
        self.fields["confirmer"].label_from_instance = lambda user: (
            f"{user.full_name} ({user.email})" if user.full_name else user.email
        )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone following the opportunity is told this reason.",
        error_messages={"required": "Give a reason"},
    )


class AmendForm(GovukForm):
    summary = forms.CharField(
        label="What has changed",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everyone following the opportunity is sent this.",
        error_messages={"required": "Say what has changed"},
    )
    material = forms.BooleanField(
        label="This is a material change (it could change who bids or what they offer)",
        required=False,
        help_text="Moving either closing time is always a material change.",
    )
    description = forms.CharField(
        label="Full description", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )
    question_deadline = forms.DateTimeField(
        label="Clarification questions close",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
        error_messages=QUESTION_DEADLINE_MESSAGES,
    )
    submission_deadline = forms.DateTimeField(
        label="Bids close",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M"),
        help_text="Once published, the closing times can only move later.",
        error_messages=DEADLINE_MESSAGES,
    )
    lead_time_explanation = forms.CharField(
        label="Why is less time than the Code's lead time enough? (if the new deadline leaves less)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only needed when the new deadline leaves fewer working days from today than PL-3 expects. "
        "It is published with the amendment.",
    )


class AskForm(GovukForm):
    organisation = forms.ChoiceField(label="Asking for", required=True)
    question = forms.CharField(
        label="Your question",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The question and its answer are published to everyone; your name is not.",
        error_messages={"required": "Enter your question"},
    )


class AnswerForm(GovukForm):
    """The answer to one question, and the question's wording as it will be published.

    Build one per question with ``clarification`` (the question it answers):
    its fields get ids of their own, and the wording starts as the asker's
    words. A post without a wording publishes the question word for word.
    """

    clarification = forms.IntegerField(widget=forms.HiddenInput)
    published_question = forms.CharField(
        label="The question as it will be published",
        help_text=(
            "Edit it to take out anything that identifies who asked. Their own words are kept, "
            "and they are told if you change them."
        ),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    answer = forms.CharField(
        label="Answer to this question",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the answer",
            "max_length": "The answer must be 5,000 characters or fewer",
        },
    )

    def __init__(self, *args, clarification=None, **kwargs):
        if clarification is not None:
            kwargs.setdefault("auto_id", f"question-{clarification.pk}-%s")
            kwargs.setdefault(
                "initial", {"clarification": clarification.pk, "published_question": clarification.question}
            )
        super().__init__(*args, **kwargs)

    def clean_published_question(self) -> str | None:
        # Absent (an older form, or a script) means "word for word"; present but blank is a mistake.
        if "published_question" not in self.data:
            return None
        wording = self.cleaned_data["published_question"]
        if not wording:
            raise forms.ValidationError("Enter the question as it will be published", code="required")
        if len(wording) > 3000:
            raise forms.ValidationError("The question must be 3,000 characters or fewer", code="max_length")
        return wording


class BookForm(GovukForm):
    organisation = forms.ChoiceField(label="Booking for")
    attendees = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=20,
        initial=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            code: "Enter the number of places, from 1 to 20"
            for code in ("required", "invalid", "min_value", "max_value")
        },
    )
    access_needs = forms.CharField(label="Access needs (optional)", required=False, max_length=500)


class AlertsForm(GovukForm):
    service_areas = forms.ModelMultipleChoiceField(
        label="Service areas",
        required=False,
        queryset=ServiceArea.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
    )
    wards = forms.MultipleChoiceField(label="Wards", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = ward_choices()


class DocumentForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of document",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document it is"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title for the document"}
    )
    file = forms.FileField(
        label="File",
        help_text="PDF, Word, Excel or OpenDocument, smaller than 20 MB.",
        error_messages={"required": "Choose a file", "empty": "The file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = DocumentKind.choices
