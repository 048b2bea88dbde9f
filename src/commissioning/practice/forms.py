"""The administration form for a rule's settings, built from the rule's setting definitions."""

from decimal import Decimal
from typing import Any

from django import forms

from commissioning.frontend.forms import GovukForm

from .catalogue import INT, MONEY, PERCENT, SettingDefinition, SettingValueError
from .models import Rule


def _hint(definition: SettingDefinition) -> str:
    low, high = definition.describe(definition.minimum), definition.describe(definition.maximum)
    leeds = definition.describe(definition.default)
    if definition.kind == MONEY:
        return f"In pounds, from {low} to {high}. Leeds uses {leeds}."
    if definition.kind == PERCENT:
        return f"A percentage from {low} to {high}. Leeds uses {leeds}."
    if definition.kind == INT and definition.unit:
        low, high = definition.minimum, definition.maximum
        return f"In {definition.unit}, from {low} to {high}. Leeds uses {leeds}."
    return f"From {low} to {high}. Leeds uses {leeds}."


def _shown(value: int | Decimal) -> str:
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return str(value)


class SettingField(forms.CharField):
    """A text input that accepts one setting's value and cleans it to that setting's type."""

    def __init__(self, definition: SettingDefinition, **kwargs: Any):
        self.definition = definition
        whole = definition.kind in (INT, PERCENT)
        attrs = {
            "inputmode": "numeric" if whole else "decimal",
            "spellcheck": "false",
            "class": "govuk-input--width-5" if whole else "govuk-input--width-10",
        }
        super().__init__(
            label=definition.label,
            help_text=_hint(definition),
            required=False,
            widget=forms.TextInput(attrs=attrs),
            **kwargs,
        )

    def clean(self, value: Any) -> int | Decimal:
        value = super().clean(value)
        try:
            return self.definition.parse(value)
        except SettingValueError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class RuleSettingsForm(GovukForm):
    """One field per setting of ``rule``, filled with the current values."""

    def __init__(self, *args: Any, rule: Rule, **kwargs: Any):
        self.rule = rule
        current = rule.typed_settings
        kwargs.setdefault("initial", {d.key: _shown(current[d.key]) for d in rule.setting_definitions})
        super().__init__(*args, **kwargs)
        for definition in rule.setting_definitions:
            self.fields[definition.key] = SettingField(definition)

    def govuk_params(self, name: str) -> dict[str, Any]:
        """Extra GOV.UK input parameters for field ``name``: a £ prefix, or a % or unit suffix."""
        definition: SettingDefinition = self.fields[name].definition
        if definition.kind == MONEY:
            return {"prefix": {"text": "£"}}
        if definition.kind == PERCENT:
            return {"suffix": {"text": "%"}}
        if definition.unit:
            return {"suffix": {"text": definition.unit}}
        return {}


class ExplanationConfirmForm(GovukForm):
    """Confirming an explanation: the confirmer's own words are optional and kept with it."""

    words = forms.CharField(
        label="Your words (optional)",
        help_text="Kept with the explanation and shown with it, for example what you checked.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Your words must be 5,000 characters or fewer"},
    )


class ExplanationDeclineForm(GovukForm):
    """Declining an explanation needs a reason, which the writer is sent."""

    reason = forms.CharField(
        label="Why you are declining it",
        help_text="The person who wrote it is sent this reason.",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are declining the explanation",
            "max_length": "The reason must be 5,000 characters or fewer",
        },
    )
