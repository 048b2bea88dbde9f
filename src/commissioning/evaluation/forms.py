"""Forms for the evaluation pages. They check shapes; the services check the rules.

Forms that hold one row per bidder, per answer or per lot are built from the
evaluation they are for, and name their fields after what they hold
(``score-2``, ``details-41``), so the error summary links to the right field.
"""

from django import forms

from commissioning.frontend.forms import GovukForm, MoneyInput

JUSTIFICATION_CHARACTERS = 5000


def scale_choices(scale: list[dict]) -> list[tuple[str, str]]:
    return [(str(level["score"]), f"{level['score']}: {level['label']}") for level in scale]


def scale_items(bound_field, scale: list[dict]) -> list[dict]:
    """GOV.UK radio items for a score: each point of the published scale with its descriptor as the hint."""
    value = bound_field.value()
    chosen = "" if value is None else str(value)
    return [
        {
            "value": str(level["score"]),
            "text": f"{level['score']}: {level['label']}",
            "hint": {"text": level["descriptor"]},
            "checked": chosen == str(level["score"]),
        }
        for level in scale
    ]


def _score_field(label: str, scale: list[dict], *, required: bool, question=None) -> forms.TypedChoiceField:
    maximum = max((level["score"] for level in scale), default=4)
    message = f"Choose a score from 0 to {maximum}"
    if question is not None:
        message = f"Question {question.number}: choose a score from 0 to {maximum}"
    return forms.TypedChoiceField(
        label=label,
        choices=scale_choices(scale),
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


def _text(label: str, *, max_length: int, required: bool = False, rows: int = 4, help_text: str = "", message=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message or f"Enter the {label.lower()}",
            "max_length": f"Enter no more than {max_length} characters",
        },
    )


class AppointForm(GovukForm):
    user = forms.ChoiceField(
        label="Who do you want to appoint?",
        error_messages={"required": "Choose who to appoint", "invalid_choice": "Choose someone from the list"},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a person")] + [
            (str(m.user_id), f"{m.user.full_name}, {m.get_role_display().lower()} at {m.organisation.name}")
            for m in candidates
        ]


class DeclarationsForm(GovukForm):
    """For each bidder: no conflict, or a conflict and what it is."""

    def __init__(self, *args, bids, **kwargs):
        super().__init__(*args, **kwargs)
        self.bids = bids
        for bid in bids:
            pk = bid.submission.pk
            name = bid.organisation.name
            self.fields[f"conflict-{pk}"] = forms.ChoiceField(
                label=name,
                choices=[("no", "No conflict"), ("yes", "I have a conflict of interest")],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Say whether you have a conflict of interest with {name}",
                    "invalid_choice": f"Say whether you have a conflict of interest with {name}",
                },
            )
            self.fields[f"details-{pk}"] = _text(
                f"What is your conflict with {name}?",
                max_length=2000,
                rows=3,
                help_text="For example, you are a trustee, an employee or a close relative of someone there.",
            )

    def rows(self):
        return [(bid, self[f"conflict-{bid.submission.pk}"], self[f"details-{bid.submission.pk}"]) for bid in self.bids]

    def clean(self):
        data = super().clean()
        for bid in self.bids:
            pk = bid.submission.pk
            if data.get(f"conflict-{pk}") == "yes" and not data.get(f"details-{pk}"):
                self.add_error(f"details-{pk}", f"Say what your conflict of interest with {bid.organisation.name} is")
        return data

    def declarations(self) -> dict[int, str]:
        """What the service takes: each submission's id mapped to "" or what the conflict is."""
        data = self.cleaned_data
        return {
            bid.submission.pk: (data.get(f"details-{bid.submission.pk}") or "")
            if data.get(f"conflict-{bid.submission.pk}") == "yes"
            else ""
            for bid in self.bids
        }


class ScoresForm(GovukForm):
    """A score and a justification for each question of one bid; questions left blank are not saved."""

    def __init__(self, *args, questions, scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.scale = scale
        for question in questions:
            self.fields[f"score-{question.number}"] = _score_field(
                f"Your score for question {question.number}", scale, required=False, question=question
            )
            self.fields[f"justification-{question.number}"] = _text(
                f"Why this score for question {question.number}?",
                max_length=JUSTIFICATION_CHARACTERS,
                rows=5,
                help_text="Say how the answer meets the published criteria. The bidder may be told this.",
            )

    def given(self):
        """The questions with something entered and no error in either field: (question, score, justification)."""
        data = self.cleaned_data
        for question in self.questions:
            if f"score-{question.number}" in self.errors or f"justification-{question.number}" in self.errors:
                continue
            score = data.get(f"score-{question.number}")
            justification = data.get(f"justification-{question.number}") or ""
            if score is not None or justification:
                yield question, score, justification


class ModerationSheetForm(GovukForm):
    """The consensus score and rationale for every answer of one bid, saved together.

    Fields are named after the question (``score-2``, ``rationale-2``) under the
    bid's prefix. An answer left blank is not moderated yet and is skipped; an
    answer given only a score or only a rationale is an error on the half that
    is missing; an answer already agreed and not changed is not saved again.
    """

    def __init__(self, *args, questions, scale, organisation: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"score-{question.number}"] = _score_field(
                f"Consensus score for {organisation}, question {question.number}",
                scale,
                required=False,
                question=question,
            )
            self.fields[f"rationale-{question.number}"] = _text(
                f"Rationale for the consensus score, question {question.number}",
                max_length=5000,
                rows=3,
                help_text="Why the panel agreed this score. The bidder is told this in their feedback.",
            )

    def clean(self):
        data = super().clean()
        for question in self.questions:
            score_name, rationale_name = f"score-{question.number}", f"rationale-{question.number}"
            if score_name in self.errors or rationale_name in self.errors:
                continue
            score, rationale = data.get(score_name), data.get(rationale_name)
            agreed = self.initial.get(score_name) is not None
            if score is None and (rationale or agreed):
                self.add_error(score_name, f"Question {question.number}: choose the consensus score")
            if not rationale and (score is not None or agreed):
                self.add_error(rationale_name, f"Question {question.number}: give the rationale for the score")
        return data

    def answers(self) -> dict:
        """What the service takes: each question given or changed, mapped to (score, rationale)."""
        data = self.cleaned_data
        changed = set(self.changed_data)
        return {
            question: (data[f"score-{question.number}"], data[f"rationale-{question.number}"])
            for question in self.questions
            if data.get(f"score-{question.number}") is not None
            and {f"score-{question.number}", f"rationale-{question.number}"} & changed
        }


class ClarificationForm(GovukForm):
    note = _text(
        "What the bidder said about its price",
        max_length=5000,
        required=True,
        rows=4,
        message="Record what the bidder said about its price",
    )
    accepted = forms.ChoiceField(
        label="Does the price stand?",
        choices=[("yes", "Yes: the bidder showed how it can deliver the service for this price"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the price stands"},
    )


class RecommendForm(GovukForm):
    """The summary, a choice where bids are level at the top of a lot, and a decision per grant application."""

    note = _text(
        "Summary of the recommendation",
        max_length=5000,
        required=True,
        rows=5,
        help_text="What the panel recommends and why. Where bids are level, say why the chosen one was preferred.",
        message="Summarise the recommendation",
    )

    def __init__(self, *args, ties, applications, **kwargs):
        """``ties``: (lot, [bids level at the top]); ``applications``: (lot, bid, result) per grant application."""
        super().__init__(*args, **kwargs)
        self.ties = ties
        self.applications = applications
        for lot, bids in ties:
            self.fields[f"tie-{lot.pk}"] = forms.ChoiceField(
                label=f"Lot {lot.number}: which of the level bids do you recommend?",
                choices=[(str(bid.submission.pk), bid.organisation.name) for bid in bids],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Lot {lot.number}: choose one of the level bids",
                    "invalid_choice": f"Lot {lot.number}: choose one of the level bids",
                },
            )
        for lot, bid, _ in applications:
            key = f"{bid.submission.pk}-{lot.pk}"
            name = bid.organisation.name
            self.fields[f"decision-{key}"] = forms.ChoiceField(
                label=f"Lot {lot.number}: {name}",
                choices=[("approve", "Approve"), ("decline", "Decline")],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Lot {lot.number}: approve or decline {name}'s application",
                    "invalid_choice": f"Lot {lot.number}: approve or decline {name}'s application",
                },
            )
            self.fields[f"amount-{key}"] = MoneyInput(
                label=f"Amount to award to {name} (£)",
                required=False,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
            )
            self.fields[f"reason-{key}"] = _text(
                f"Reason for the decision on {name}'s application",
                max_length=5000,
                rows=3,
                help_text="The applicant is told this.",
            )

    def tie_fields(self):
        return [(lot, bids, self[f"tie-{lot.pk}"]) for lot, bids in self.ties]

    def application_fields(self):
        return [
            (
                lot,
                bid,
                result,
                self[f"decision-{bid.submission.pk}-{lot.pk}"],
                self[f"amount-{bid.submission.pk}-{lot.pk}"],
                self[f"reason-{bid.submission.pk}-{lot.pk}"],
            )
            for lot, bid, result in self.applications
        ]

    def clean(self):
        data = super().clean()
        for lot, bid, _ in self.applications:
            key = f"{bid.submission.pk}-{lot.pk}"
            name = bid.organisation.name
            if data.get(f"decision-{key}") == "approve" and data.get(f"amount-{key}") is None:
                if f"amount-{key}" not in self.errors:
                    self.add_error(f"amount-{key}", f"Lot {lot.number}: enter the amount to award to {name}")
            if data.get(f"decision-{key}") and not data.get(f"reason-{key}"):
                self.add_error(f"reason-{key}", f"Lot {lot.number}: give the reason for {name}'s decision")
        return data

    def tie_winners(self) -> dict[int, int]:
        return {lot.pk: int(self.cleaned_data[f"tie-{lot.pk}"]) for lot, _ in self.ties}

    def grant_decisions(self):
        decisions = {}
        for lot, bid, _ in self.applications:
            key = f"{bid.submission.pk}-{lot.pk}"
            approved = self.cleaned_data.get(f"decision-{key}") == "approve"
            decisions[(bid.submission.pk, lot.pk)] = (
                approved,
                self.cleaned_data.get(f"amount-{key}") if approved else None,
                self.cleaned_data.get(f"reason-{key}") or "",
            )
        return decisions


class ReasonForm(GovukForm):
    reason = _text(
        "Why does the recommendation go back?",
        max_length=2000,
        required=True,
        rows=4,
        help_text="The commissioner who made it sees this.",
        message="Say why the recommendation goes back",
    )


class AwardForm(GovukForm):
    """The award decision; where the regime's standstill is voluntary the commissioner sets its length."""

    def __init__(self, *args, voluntary: bool, max_days: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if voluntary:
            between = f"from 0 to {max_days}"
            self.fields["standstill_days"] = forms.IntegerField(
                label="Standstill (working days)",
                min_value=0,
                max_value=max_days,
                help_text=f"Below the threshold a standstill is voluntary: {between} working days (0 for none).",
                widget=forms.TextInput(attrs={"class": "govuk-input--width-3"}),
                error_messages={
                    "required": f"Enter the standstill in working days, {between}",
                    "invalid": f"Enter a whole number of working days, {between}",
                    "min_value": f"Choose a standstill of 0 to {max_days} working days",
                    "max_value": f"Choose a standstill of 0 to {max_days} working days",
                },
            )


NOTICE_DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%Y-%m-%d %H:%M"]


class AwardNoticeForm(GovukForm):
    """When the award notice was published (UK time), and optionally its reference or address."""

    published_at = forms.DateTimeField(
        label="When was the notice published?",
        input_formats=NOTICE_DATETIME_FORMATS,
        help_text="The date and time Find a Tender shows, for example 14/01/2027 09:30 (UK time)",
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the date and time the notice was published, like 14/01/2027 09:30",
            "invalid": "Enter the date and time the notice was published, like 14/01/2027 09:30",
        },
    )
    reference = forms.CharField(
        label="The notice's reference or address on Find a Tender (optional)",
        required=False,
        max_length=200,
        help_text="For example 012345-2027, or https://www.find-tender.service.gov.uk/Notice/012345-2027",
        error_messages={"max_length": "The notice's reference or address must be 200 characters or fewer"},
    )


class ScaleForm(GovukForm):
    """The label and the descriptor of each score on the published scale."""

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        for level in levels:
            self.fields[f"label-{level.score}"] = forms.CharField(
                label=f"Label for a score of {level.score}",
                max_length=60,
                widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
                error_messages={
                    "required": f"Enter a label for a score of {level.score}",
                    "max_length": f"The label for a score of {level.score} must be 60 characters or fewer",
                },
            )
            self.fields[f"descriptor-{level.score}"] = _text(
                f"What a score of {level.score} means",
                max_length=1000,
                required=True,
                rows=3,
                message=f"Say what a score of {level.score} means",
            )

    def rows(self):
        return [(level, self[f"label-{level.score}"], self[f"descriptor-{level.score}"]) for level in self.levels]

    def levels_given(self) -> dict[int, tuple[str, str]]:
        return {
            level.score: (self.cleaned_data[f"label-{level.score}"], self.cleaned_data[f"descriptor-{level.score}"])
            for level in self.levels
        }
