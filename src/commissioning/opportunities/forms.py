"""Forms for the opportunity pages. They check shapes; services check the rules."""

from django import forms

from commissioning.accounts.forms import ward_choices

from .models import Kind, ServiceArea

VALUE_BAND_CHOICES = [
    ("", "Any value"),
    ("up_to_25k", "Up to £25,000"),
    ("25k_100k", "£25,000 to £100,000"),
    ("100k_500k", "£100,000 to £500,000"),
    ("over_500k", "Over £500,000"),
]


class FinderForm(forms.Form):
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
