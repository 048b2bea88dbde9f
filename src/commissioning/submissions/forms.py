"""Forms for bids: each section of the task list, built from the opportunity it is for."""

from django import forms

from commissioning.core.money import format_money
from commissioning.evidence.standard_items import StandardItem
from commissioning.frontend.forms import GovukForm, MoneyInput

MAX_ANSWER_CHARACTERS = 60_000


class StartForm(GovukForm):
    organisation = forms.ChoiceField(label="Which organisation is bidding?", widget=forms.RadioSelect)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]


def lot_hint(lot) -> str:
    if lot.pricing == "fixed":
        return f"Fixed price of {format_money(lot.fixed_price)}: bids compete on quality only"
    if lot.pricing == "max_award":
        return f"Up to {format_money(lot.max_award)}"
    return f"Lot value {format_money(lot.value)}. The minimum acceptable price is {format_money(lot.floor_price)}"


class LotsForm(GovukForm):
    """Which lots, and a price (or an amount, for a grant) for each chosen lot that is not fixed-price."""

    lots = forms.MultipleChoiceField(
        label="Which lots are you bidding for?",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one lot"},
    )

    def __init__(self, *args, opportunity, **kwargs):
        super().__init__(*args, **kwargs)
        self.lot_list = list(opportunity.lots.all())
        grant = opportunity.kind == "grant"
        self.fields["lots"].label = "Which lots are you applying for?" if grant else "Which lots are you bidding for?"
        self.fields["lots"].choices = [(str(lot.pk), f"Lot {lot.number}: {lot.title}") for lot in self.lot_list]
        for lot in self.lot_list:
            if lot.pricing == "fixed":
                continue
            self.fields[f"price-{lot.pk}"] = MoneyInput(
                label=f"{'Amount you are asking for' if grant else 'Your price'}, lot {lot.number} (£)",
                required=False,
                help_text=lot_hint(lot),
                widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
            )

    def price_fields(self):
        return [self[name] for name in self.fields if name.startswith("price-")]

    def clean(self):
        data = super().clean()
        chosen = {int(pk) for pk in data.get("lots", [])}
        for lot in self.lot_list:
            if lot.pk in chosen and lot.pricing != "fixed" and data.get(f"price-{lot.pk}") is None:
                if f"price-{lot.pk}" not in self.errors:
                    self.add_error(f"price-{lot.pk}", f"Enter your price for lot {lot.number}")
        return data

    def prices(self) -> dict:
        chosen = {int(pk) for pk in self.cleaned_data["lots"]}
        return {lot.pk: self.cleaned_data.get(f"price-{lot.pk}") for lot in self.lot_list if lot.pk in chosen}


class EvidenceConfirmForm(GovukForm):
    """The items confirmed for a bid: what is ticked is confirmed, what is unticked is not.

    With nothing confirmed before, at least one item must be ticked; once some
    are confirmed, unticking them all withdraws them.
    """

    items = forms.MultipleChoiceField(
        label="Confirm each item is current",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Untick an item to take back its confirmation",
    )

    def __init__(self, *args, items, confirmed=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(StandardItem.choices)
        self.fields["items"].choices = [(item, labels.get(item, item)) for item in items]
        self.confirmed = set(confirmed)

    def clean_items(self):
        items = self.cleaned_data["items"]
        if not items and not self.confirmed:
            raise forms.ValidationError("Confirm at least one item")
        return items


class AnswerForm(GovukForm):
    text = forms.CharField(
        label="Your answer",
        required=False,
        max_length=MAX_ANSWER_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 14}),
        strip=False,
    )


class CommitmentForm(GovukForm):
    description = forms.CharField(label="What will you do?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    measure = forms.CharField(label="How will it be measured?", max_length=200)
    target = forms.CharField(
        label="Target",
        max_length=100,
        help_text="For example, 20 local volunteers a year",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20"}),
    )


class AttachmentForm(GovukForm):
    title = forms.CharField(label="Title", max_length=200, help_text="For example, Delivery plan")
    file = forms.FileField(
        label="File",
        help_text="PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt, .ods), up to 20 MB",
        error_messages={"required": "Choose a file"},
    )


class InviteForm(GovukForm):
    organisation = forms.ChoiceField(label="Organisation", help_text="Verified providers in the directory")
    role = forms.CharField(label="What will they deliver?", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]


class InvitationAnswerForm(GovukForm):
    answer = forms.ChoiceField(
        label="Will your organisation be part of this bid?",
        choices=[("accept", "Yes, we confirm we are part of this bid"), ("decline", "No, decline the invitation")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you will be part of this bid"},
    )


class DeclarationForm(GovukForm):
    declaration_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the name of the person making the declaration"},
    )
    declaration_role = forms.CharField(
        label="Role", max_length=200, error_messages={"required": "Enter their role at your organisation"}
    )
    confirmed = forms.BooleanField(
        label="I confirm that the information in this submission is complete and accurate, and that I may submit it "
        "for the organisations named",
        error_messages={"required": "Confirm the declaration"},
    )
