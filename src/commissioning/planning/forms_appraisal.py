"""The options appraisal's forms: one option, and the choice with its rationale."""

from django import forms

from commissioning.frontend.forms import GovukForm, MoneyInput, WholeNumberField

from .appraisals import LONGEST_MONTHS, MOST_CONTRACTS
from .models import FundingType, OptionKind


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 3, message: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message or f"Enter the option's {label.lower()}"},
    )


class OptionForm(GovukForm):
    """One option considered: what it is, its shape, and its benefits, risks and costs."""

    kind = forms.ChoiceField(
        label="What kind of option is it?",
        choices=OptionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of option it is"},
    )
    description = forms.CharField(
        label="Describe the option",
        max_length=300,
        help_text="For example, three lots by area, or grants of up to £15,000.",
        error_messages={"required": "Describe the option"},
    )
    value = MoneyInput(label="Size (optional)", required=False, help_text="The total value in pounds.")
    length_months = WholeNumberField(
        label="Length in months (optional)", required=False, min_value=1, max_value=LONGEST_MONTHS
    )
    contracts = WholeNumberField(
        label="Number of contracts or grants (optional)", required=False, min_value=1, max_value=MOST_CONTRACTS
    )
    funding_type = forms.ChoiceField(
        label="Type of funding (optional)",
        choices=[("", "Not applicable"), *FundingType.choices],
        required=False,
    )
    benefits = _text("Benefits")
    risks = _text("Risks")
    costs = _text("Costs (optional)", required=False)


class ChoiceForm(GovukForm):
    """Which option is chosen, and why."""

    option = forms.ChoiceField(
        label="Which option is chosen?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of the options considered"},
    )
    rationale = _text(
        "Why this option?",
        rows=5,
        help_text="Say why it delivers the outcomes better than the others. This is what PL-2 asks for.",
        message="Say why this option was chosen",
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(str(o.pk), f"{o.get_kind_display()}: {o.description}") for o in options]
