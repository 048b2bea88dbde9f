from django import forms

from commissioning.frontend.forms import GovukForm

from .selectors import audit_object_types, audit_verbs


class AuditFilterForm(GovukForm):
    actor = forms.CharField(label="Who (e-mail contains)", required=False, max_length=254)
    verb = forms.ChoiceField(label="What happened", required=False)
    object_type = forms.ChoiceField(label="Kind of record", required=False)
    object_id = forms.CharField(label="Record id", required=False, max_length=64)
    since = forms.DateField(label="From (dd/mm/yyyy)", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    until = forms.DateField(label="To (dd/mm/yyyy)", required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", "Anything")] + [(v, v) for v in audit_verbs()]
        self.fields["object_type"].choices = [("", "Any")] + [(t, t) for t in audit_object_types()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("since") and cleaned.get("until") and cleaned["since"] > cleaned["until"]:
            self.add_error("until", "The end date must be on or after the start date")
        return cleaned
