"""Forms for the lessons-learned survey and summary. They check shapes; :mod:`.surveys` checks the rules."""

from django import forms

from commissioning.frontend.forms import GovukForm

from .surveys import MAX_LESSONS, MAX_TEXT, RATINGS, WhyNot


class SurveyForm(GovukForm):
    """A bidder rates the process; an organisation that did not bid also says why not."""

    rating = forms.TypedChoiceField(
        label="Overall, how was the process of bidding for this opportunity?",
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        choices=[(str(score), f"{score}: {label}") for score, label in RATINGS.items()],
        error_messages={"required": "Choose how the process was, from 1 (very poor) to 5 (very good)"},
    )
    reasons = forms.MultipleChoiceField(
        label="Why did your organisation not bid?",
        help_text="Choose all that apply.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=WhyNot.choices,
    )
    reason_other = forms.CharField(
        label="Tell us more about why you did not bid (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    worked = forms.CharField(
        label="What worked well? (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    improve = forms.CharField(
        label="What should the commissioners improve? (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, interested: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if interested:
            self.fields["rating"].required = False
            self.fields["rating"].label = "From what you saw, how was the way this opportunity was run? (optional)"
            self.fields["worked"].label = "What would have helped you bid? (optional)"
            del self.fields["improve"]
        else:
            del self.fields["reasons"]
            del self.fields["reason_other"]


class LessonsForm(GovukForm):
    lessons_learned = forms.CharField(
        label="Lessons learned",
        help_text="What went well, what to change next time, and what the survey answers told you.",
        max_length=MAX_LESSONS,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Write the lessons learned"},
    )
