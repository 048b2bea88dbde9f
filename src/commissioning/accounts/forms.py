"""Forms for accounts pages. They check the shape of input; services check the rules."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm

from commissioning.core.models import Ward
from commissioning.core.sizebands import SizeBand
from commissioning.frontend.forms import GovukForm, GovukFormMixin, MoneyInput

from .identifiers import IdentifierError, Scheme, normalise_identifier, normalise_postcode
from .models import THIRD_SECTOR_FORMS, LegalForm, normalise_email
from .passwords import password_hint, password_problems_for
from .services import PROFILE_FIELDS

PROVIDER_FORMS = [
    (value, label)
    for value, label in LegalForm.choices
    if value in THIRD_SECTOR_FORMS or value in {LegalForm.PRIVATE_COMPANY, LegalForm.PUBLIC_BODY}
]


def ward_choices() -> list[tuple[str, str]]:
    return list(Ward.objects.order_by("name").values_list("code", "name"))


class OrganisationFieldsMixin(GovukForm):
    """The profile fields a provider gives when registering and when editing."""

    name = forms.CharField(
        label="Organisation name", max_length=200, error_messages={"required": "Enter the organisation's name"}
    )
    legal_form = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=PROVIDER_FORMS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of organisation it is"},
    )
    description = forms.CharField(
        label="What does your organisation do?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Up to 2,000 characters. This is shown in the public directory.",
    )
    address_line_1 = forms.CharField(
        label="Address line 1", max_length=200, error_messages={"required": "Enter the first line of the address"}
    )
    address_line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(
        label="Town or city", max_length=100, initial="Leeds", error_messages={"required": "Enter the town or city"}
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={"required": "Enter the postcode"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    latest_income = MoneyInput(
        label="Latest annual income",
        required=False,
        help_text="From your latest accounts, in pounds. It sets your size band (micro, small, medium…).",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    income_year_end = forms.DateField(
        label="End date of that financial year (optional)",
        required=False,
        help_text="For example, 31/03/2026",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input--width-10"}),
    )
    based_in_leeds = forms.TypedChoiceField(
        label="Is the organisation based in Leeds?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the organisation is based in Leeds"},
    )
    city_wide = forms.BooleanField(label="We work across the whole of Leeds", required=False)
    wards = forms.MultipleChoiceField(
        label="Which Leeds wards do you serve?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose Leeds wards from the list"},
    )
    website = forms.URLField(label="Website (optional)", required=False, max_length=200, assume_scheme="https")
    email = forms.EmailField(label="Public contact e-mail (optional)", required=False, max_length=254)
    phone = forms.CharField(label="Phone (optional)", required=False, max_length=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wards"].choices = ward_choices()
        if not self.is_bound and "based_in_leeds" in self.initial:
            self.initial["based_in_leeds"] = "yes" if self.initial["based_in_leeds"] else "no"

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("wards") and not cleaned.get("city_wide") and "wards" not in self.errors:
            self.add_error("wards", "Choose the wards you serve, or say you work across the whole of Leeds")
        return cleaned

    def organisation_data(self) -> dict:
        """The cleaned profile fields, in the shape the accounts services take."""
        return {k: self.cleaned_data[k] for k in PROFILE_FIELDS if k in self.cleaned_data}


class SignUpForm(OrganisationFieldsMixin):
    """Register a provider: the person, then the organisation."""

    full_name = forms.CharField(
        label="Your full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Enter your full name"},
    )
    job_title = forms.CharField(label="Your job title (optional)", max_length=150, required=False)
    user_email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_hint(),
        error_messages={"required": "Create a password"},
    )
    identifier_scheme = forms.ChoiceField(
        label="Which register is your organisation on?",
        choices=[("", "Choose a register")]
        + list(Scheme.choices)
        + [("none", "None: we are an unincorporated community group")],
        required=True,
        error_messages={"required": "Select the register your organisation is on"},
    )
    identifier_value = forms.CharField(
        label="Registration number",
        max_length=40,
        required=False,
        help_text="For example, a charity number like 1123456 or a company number like 01234567",
    )
    field_order = [
        "full_name",
        "job_title",
        "user_email",
        "password",
        "name",
        "legal_form",
        "identifier_scheme",
        "identifier_value",
    ]

    def clean_user_email(self) -> str:
        return normalise_email(self.cleaned_data["user_email"])

    def clean(self):
        cleaned = super().clean()
        scheme = cleaned.get("identifier_scheme")
        value = cleaned.get("identifier_value", "")
        if scheme == "none":
            if cleaned.get("legal_form") and cleaned.get("legal_form") != LegalForm.COMMUNITY_GROUP:
                self.add_error(
                    "identifier_scheme", "Only an unincorporated community group can register without a register number"
                )
            cleaned["identifiers"] = []
        elif scheme:
            try:
                cleaned["identifiers"] = [(scheme, normalise_identifier(scheme, value))]
            except IdentifierError as exc:
                self.add_error("identifier_value", str(exc))
        if password := cleaned.get("password"):
            for problem in password_problems_for(
                password, email=cleaned.get("user_email", ""), full_name=cleaned.get("full_name", "")
            ):
                self.add_error("password", problem)
        return cleaned


class CommissioningBodyForm(GovukForm):
    """An administrator adds a council, NHS body or other public commissioner."""

    name = forms.CharField(label="Name", max_length=200)
    legal_form = forms.ChoiceField(
        label="Kind of body",
        widget=forms.RadioSelect,
        choices=[(v, label) for v, label in LegalForm.choices if v in {"local_authority", "nhs_body", "public_body"}],
    )
    identifier_scheme = forms.ChoiceField(label="Register", choices=[("", "Choose a register")] + list(Scheme.choices))
    identifier_value = forms.CharField(
        label="Code or number", max_length=40, help_text="For example, LDS for Leeds City Council or QWO for the ICB"
    )
    address_line_1 = forms.CharField(label="Address line 1", max_length=200)
    town = forms.CharField(label="Town or city", max_length=100, initial="Leeds")
    postcode = forms.CharField(
        label="Postcode", max_length=10, widget=forms.TextInput(attrs={"class": "govuk-input--width-10"})
    )
    description = forms.CharField(
        label="Description (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        cleaned = super().clean()
        scheme = cleaned.get("identifier_scheme")
        if scheme and cleaned.get("identifier_value"):
            try:
                cleaned["identifier_value"] = normalise_identifier(scheme, cleaned["identifier_value"])
            except IdentifierError as exc:
                self.add_error("identifier_value", str(exc))
        return cleaned


class SignInForm(GovukFormMixin, AuthenticationForm):
    """Sign in with e-mail and password. django-axes counts the failures."""

    username = forms.EmailField(
        label="E-mail address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Enter a correct e-mail address and password",
        "inactive": "This account is closed",
    }


class AccountForm(GovukForm):
    full_name = forms.CharField(label="Full name", max_length=150)
    job_title = forms.CharField(label="Job title (optional)", max_length=150, required=False)


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Name of the new token",
        max_length=100,
        help_text="Something to recognise it by, like 'Monitoring spreadsheet'",
    )


class IdentifierForm(GovukForm):
    scheme = forms.ChoiceField(label="Register", choices=[("", "Choose a register")] + list(Scheme.choices))
    value = forms.CharField(label="Registration number", max_length=40)


class InviteForm(GovukForm):
    email = forms.EmailField(label="Their e-mail address", max_length=254)
    role = forms.ChoiceField(label="Their role", widget=forms.RadioSelect)

    def __init__(self, *args, roles: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class AcceptInvitationForm(GovukForm):
    """For someone without an account: their name and a password."""

    full_name = forms.CharField(
        label="Your full name", max_length=150, error_messages={"required": "Enter your full name"}
    )
    password = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_hint(),
        error_messages={"required": "Create a password"},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        if password := cleaned.get("password"):
            for problem in password_problems_for(password, email=self.email, full_name=cleaned.get("full_name", "")):
                self.add_error("password", problem)
        return cleaned


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The organisation's administrators are told this reason.",
    )


class DirectoryFilterForm(GovukForm):
    q = forms.CharField(label="Search by name, activity or registration number", required=False, max_length=100)
    ward = forms.ChoiceField(label="Ward", required=False)
    size = forms.ChoiceField(label="Size", required=False, choices=[("", "Any size")] + list(SizeBand.choices))
    kind = forms.ChoiceField(label="Type of organisation", required=False, choices=[("", "Any type")] + PROVIDER_FORMS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].choices = [("", "Any ward")] + ward_choices()


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    """Ask for a reset link: Django's form, with the product's messages."""

    email = forms.EmailField(
        label="E-mail address", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    """Choose a new password from a reset link: Django's form, with the product's messages."""

    error_messages = {"password_mismatch": "Enter the same new password twice"}


class ClosureDayForm(GovukForm):
    day = forms.DateField(
        label="Date (dd/mm/yyyy)",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
    )
    reason = forms.CharField(
        label="Reason", max_length=200, help_text="For example, 'Council offices closed for the Christmas period'"
    )
