"""Forms for open reviews' pages. They check shapes; the services in :mod:`.reviews` check the rules."""

from django import forms

from commissioning.frontend.forms import GovukForm

from .models import ReviewKind
from .reviews_selectors import moderation_reasons

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%Y-%m-%d %H:%M"]


def _moment(label: str, example: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        help_text=f"For example, {example} (UK time)",
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"class": "govuk-input--width-20"}),
    )


class ReviewForm(GovukForm):
    """A draft review: what is reviewed, the text put for comment, the questions and the period."""

    kind = forms.ChoiceField(label="What is being reviewed?", choices=ReviewKind.choices, widget=forms.RadioSelect)
    assessment = forms.ModelChoiceField(
        label="Which needs assessment?",
        queryset=None,
        required=False,
        empty_label="Choose an assessment",
        help_text="Only for a review of a needs assessment.",
    )
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(label="Summary", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    text = forms.CharField(
        label="What you are asking people to comment on",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    questions = forms.CharField(
        label="Questions (one per line)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_at = _moment("Opens for comment", "04/01/2027 09:00")
    closes_at = _moment("Closes", "05/02/2027 17:00")

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessment"].queryset = assessments
        self.fields["assessment"].label_from_instance = lambda a: f"{a.title} ({a.reference})"


class ExtendForm(GovukForm):
    """A later closing time for a published review."""

    closes_at = _moment("New closing date and time", "19/02/2027 17:00")
    reason = forms.CharField(label="Why is it extended? (optional)", required=False, max_length=500)


class CommentForm(GovukForm):
    """A comment from someone who is not signed in: their name and an e-mail address to confirm it."""

    text = forms.CharField(label="Your comment", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    name = forms.CharField(label="Your name", max_length=120, help_text="It is shown with your comment.")
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text="We send you a link to confirm your comment. It is never shown.",
    )
    organisation_name = forms.CharField(
        label="Organisation or group you speak for (optional)", required=False, max_length=200
    )
    website = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class SignedInCommentForm(GovukForm):
    """A comment from a signed-in person, shown under their name."""

    text = forms.CharField(label="Your comment", max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    organisation_name = forms.CharField(
        label="Organisation or group you speak for (optional)", required=False, max_length=200
    )
    website = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


class RemoveForm(GovukForm):
    """Why a comment is removed: one of the moderation reasons, never disagreement."""

    reason = forms.ChoiceField(label="Why is this comment removed?", choices=[], widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = list(moderation_reasons().allowed.items())


class AnswerForm(GovukForm):
    """One "You said, we did" group and the comments it answers."""

    you_said = forms.CharField(label="You said", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    we_did = forms.CharField(label="We did", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    comments = forms.MultipleChoiceField(
        label="Which comments does this answer?", choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].choices = choices
