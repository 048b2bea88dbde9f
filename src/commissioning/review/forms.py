"""The cross-stage pages' forms."""

from django import forms

from commissioning.frontend.forms import GovukForm


class _OfferedChoices(forms.MultipleChoiceField):
    """A multiple choice that drops values it does not offer: an old filter link still lists, never refused."""

    def to_python(self, value):
        offered = {str(key) for key, _ in self.choices}
        return [one for one in super().to_python(value) if one in offered]


class DashboardFilterForm(GovukForm):
    """The commissioner's dashboard list: search words and the stages to show."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="A reference, or words from the title or summary",
        error_messages={"max_length": "Enter no more than 200 characters"},
    )
    stage = _OfferedChoices(label="Stage", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, stages: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = list(stages.items())

    def count_stages(self, counts: dict[str, int]) -> None:
        """Show beside each stage how many opportunities are at it ("Drafts (47)")."""
        self.fields["stage"].choices = [
            (key, f"{label} ({counts.get(key, 0)})") for key, label in self.fields["stage"].choices
        ]
