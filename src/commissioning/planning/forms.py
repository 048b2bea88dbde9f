"""Forms for the pipeline's pages. They check shapes; the services check the rules."""

from django import forms

from commissioning.accounts.forms import ward_choices
from commissioning.accounts.models import Organisation, Side
from commissioning.frontend.forms import GovukForm, MoneyInput
from commissioning.records.models import ServiceArea

from .models import Coordination, FundingType, PartnerStage, PlanStatus

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: str, help_text: str = "For example, 31/03/2027") -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        help_text=help_text,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
    )


class PipelineFilterForm(GovukForm):
    """The pipeline's filters, like the opportunity finder's."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    area = forms.ChoiceField(label="Outcome area", required=False)
    ward = forms.ChoiceField(label="Ward", required=False)
    body = forms.ChoiceField(label="Commissioning body", required=False)
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any but withdrawn")] + list(PlanStatus.choices),
    )
    funding = forms.ChoiceField(
        label="Funding type", required=False, choices=[("", "Grants and contracts")] + list(FundingType.choices)
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any outcome area")] + list(
            ServiceArea.objects.filter(active=True).values_list("slug", "name")
        )
        self.fields["ward"].choices = [("", "Any ward")] + ward_choices()
        self.fields["body"].choices = [("", "Any commissioning body")] + [(b.slug, b.name) for b in bodies]


class PlanForm(GovukForm):
    """A plan's facts: what, for whom, where, when, how much, how funded, and who to contact."""

    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(
        label="What is bought or funded",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences for the pipeline.",
    )
    client_groups = forms.CharField(
        label="For whom (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    service_area = forms.ModelChoiceField(
        label="Outcome area", queryset=ServiceArea.objects.filter(active=True), empty_label="Choose an outcome area"
    )
    city_wide = forms.BooleanField(label="It covers the whole of Leeds", required=False)
    wards = forms.MultipleChoiceField(
        label="Wards it covers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose Leeds wards from the list"},
    )
    estimated_value = MoneyInput(
        label="Expected value",
        help_text="The expected total value, in pounds.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"}),
    )
    funding_type = forms.ChoiceField(label="Funding type", choices=FundingType.choices, widget=forms.RadioSelect)
    expected_advert = _date("Expected to be advertised")
    expected_start = _date("Expected to start")
    expected_end = _date("Expected to end")
    contact_name = forms.CharField(label="Contact name", max_length=120)
    contact_email = forms.EmailField(label="Contact e-mail address", max_length=254)
    joint_bodies = forms.ModelMultipleChoiceField(
        label="Joint commissioning bodies (optional)",
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    assessment = forms.ChoiceField(label="Needs assessment it rests on (optional)", required=False)

    def __init__(self, *args, lead_body=None, assessments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = ward_choices()
        others = Organisation.objects.filter(side=Side.COMMISSIONER)
        if lead_body is not None:
            others = others.exclude(pk=lead_body.pk)
        self.fields["joint_bodies"].queryset = others.order_by("name")
        self.fields["assessment"].choices = [("", "None")] + [(str(a.pk), str(a)) for a in assessments]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("city_wide") and not cleaned.get("wards") and "wards" not in self.errors:
            self.add_error("wards", "Choose the wards the plan covers, or say it is city-wide")
        start, end = cleaned.get("expected_start"), cleaned.get("expected_end")
        if start and end and end < start:
            self.add_error("expected_end", "The expected end must be on or after the expected start")
        return cleaned


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why is the plan withdrawn?", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PartnerForm(GovukForm):
    """A third-sector partner on one stage of a plan."""

    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.none(), empty_label="Choose an organisation"
    )
    stage = forms.ChoiceField(label="Stage", choices=PartnerStage.choices, widget=forms.RadioSelect)
    involvement = forms.CharField(
        label="What they do at this stage", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ResolveForm(GovukForm):
    """How two bodies co-ordinate plans that overlap."""

    coordination = forms.ChoiceField(
        label="How will you co-ordinate?", choices=Coordination.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="What you agreed (required when they are kept apart: say why)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ExplainForm(GovukForm):
    """Why a rule does not apply to approving this plan, and the second person who is to confirm it."""

    rule = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why this rule does not apply here", max_length=3000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirmer = forms.ModelChoiceField(
        label="Who will confirm it",
        help_text=(
            "Another commissioner of your commissioning body, or an administrator. Until they confirm it, "
            "the rule does not count as explained."
        ),
        queryset=None,
        empty_label="Choose who will confirm it",
    )

    def __init__(self, *args, confirmers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmer"].queryset = confirmers
        self.fields["confirmer"].label_from_instance = lambda user: (
            f"{user.full_name} ({user.email})" if user.full_name else user.email
        )
