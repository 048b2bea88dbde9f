"""Forms for the needs assessment pages. They check shapes; the services check the rules."""

from django import forms

from commissioning.accounts.forms import ward_choices
from commissioning.accounts.models import Organisation, OrganisationStatus
from commissioning.frontend.forms import GovukForm
from commissioning.records.models import ServiceArea

from .models import ActivityKind, Sector
from .services import IMPORT_ALL_OR_NOTHING, IMPORT_GOOD_ROWS

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: str, help_text: str = "For example, 27/03/2026") -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=DATE_FORMATS, help_text=help_text, widget=forms.DateInput(format="%d/%m/%Y")
    )


class AssessmentForm(GovukForm):
    """What an assessment asks, for which outcome area and wards, and (as it goes) what it found."""

    title = forms.CharField(label="Title", max_length=200)
    service_area = forms.ModelChoiceField(
        label="Outcome area",
        queryset=ServiceArea.objects.filter(active=True),
        empty_label="Choose an outcome area",
        error_messages={"required": "Choose an outcome area"},
    )
    question = forms.CharField(
        label="What does the assessment set out to understand?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the assessment sets out to understand"},
    )
    city_wide = forms.BooleanField(label="It covers the whole of Leeds", required=False)
    wards = forms.MultipleChoiceField(
        label="Wards it covers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose at least one, unless it covers the whole of Leeds.",
        error_messages={"invalid_choice": "Choose Leeds wards from the list"},
    )
    findings = forms.CharField(
        label="Findings (optional until you complete it)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    needs_identified = forms.CharField(
        label="Needs identified (one per line)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Optional until you complete it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = ward_choices()


class EvidenceForm(GovukForm):
    """One piece of evidence: who produced it, the sector, when, where to find it and what it shows."""

    source = forms.CharField(
        label="Source", max_length=200, help_text="Who produced it, for example \u201cCarers Leeds\u201d."
    )
    sector = forms.ChoiceField(
        label="Which sector did it come from?",
        choices=Sector.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the sector the evidence came from"},
    )
    dated = _date("Date published or collected")
    link = forms.URLField(
        label="Link (optional if you add a file)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Starting https://",
    )
    document = forms.FileField(
        label="File (optional if you give a link)",
        required=False,
        help_text="A PDF, Word, Excel or OpenDocument file.",
    )
    remove_document = forms.BooleanField(label="Remove the file held now", required=False)
    shows = forms.CharField(
        label="What it shows about the need",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the evidence shows about the need"},
    )

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_document:
            del self.fields["remove_document"]


class FigureForm(GovukForm):
    """One ward figure typed by hand."""

    ward = forms.ChoiceField(label="Ward", error_messages={"required": "Choose the ward"})
    indicator = forms.CharField(
        label="Indicator",
        max_length=120,
        help_text="For example, \u201cYoung carers known to services\u201d.",
    )
    year = forms.CharField(
        label="Year",
        max_length=4,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"required": "Enter the year"},
    )
    value = forms.CharField(
        label="Value",
        max_length=24,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages={"required": "Enter the value"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "Choose a ward"), *ward_choices()]


class FiguresUploadForm(GovukForm):
    """A CSV of ward figures, and what to do when some rows are bad."""

    file = forms.FileField(
        label="CSV file of ward figures",
        help_text=(
            "A header row, then one figure a row: ward code or ward name, indicator, value and year. "
            "Save a spreadsheet as CSV."
        ),
    )
    mode = forms.ChoiceField(
        label="If some rows are bad",
        choices=[
            (IMPORT_GOOD_ROWS, "Import the good rows and list the bad"),
            (IMPORT_ALL_OR_NOTHING, "Import nothing unless every row is good"),
        ],
        widget=forms.RadioSelect,
        initial=IMPORT_GOOD_ROWS,
        error_messages={"required": "Choose what to do if some rows are bad"},
    )


class CoProductionForm(GovukForm):
    """A co-production activity: what, when, who took part and what changed."""

    kind = forms.ChoiceField(
        label="What kind of activity was it?",
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of activity it was"},
    )
    title = forms.CharField(label="Title", max_length=200, help_text="For example, \u201cYoung carers' panel\u201d.")
    held_on = _date("When was it held?")
    participants = forms.IntegerField(
        label="How many people took part?",
        min_value=0,
        max_value=1_000_000,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    communities = forms.CharField(
        label="Which communities took part? (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations taking part (optional)",
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    what_changed = forms.CharField(
        label="What changed because of it?",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what changed because of it"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            status=OrganisationStatus.VERIFIED
        ).order_by("name")


class ExplainForm(GovukForm):
    """Why a rule does not apply to this assessment, and the second person who is to confirm it."""

    rule = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why this rule does not apply here",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Explain why the rule does not apply"},
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
