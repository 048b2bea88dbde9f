"""The adapter between Django forms and the GOV.UK Frontend field macros, and the forms' shared base.

A template writes ``{{ field(form["email"]) }}`` and gets the right GOV.UK
component (input, textarea, select, radios, checkboxes, password input) with
its label, hint, error message and value. :func:`error_summary_items` gives the
error summary the same messages, each linking to its field.

Every form of the product derives from :class:`GovukForm` (or mixes in
:class:`GovukFormMixin`). Before it validates, each field gets the product's
rules for what may be typed (one line of visible text, links, dates within the
horizon, numbers as digits) and messages built from its label in the GOV.UK
style, so no Django default message ("This field is required.") reaches a page.
"""

import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.timezone import is_aware, localtime

from commissioning.core.errors import RefusedError
from commissioning.core.horizon import horizon_limit
from commissioning.core.money import MoneyError, parse_money
from commissioning.core.text import link_problem, multi_line_problem, single_line_problem


def posted(request):
    """The POST data to bind a form to, or None for a GET.

    An empty POST (every field left blank) still binds, so the person sees
    what to fill in; ``request.POST or None`` would show the blank form again.
    """
    return request.POST if request.method == "POST" else None


def refused_into(
    form: forms.BaseForm,
    refusal: Any,
    *,
    names: Mapping[str, str] | Callable[[str], str | None] | None = None,
    leave_out: frozenset[str] = frozenset(),
) -> None:
    """Put a service's refusal on the form, so the page shows it in the GOV.UK error summary.

    ``refusal`` is a service's error with ``errors`` (field → message or
    messages), or that mapping itself. Each message goes on the field it
    names, or on the whole form (the top of
    the summary) when the form has no such field. ``names`` renames a
    service's argument to the form field that holds it, as a mapping or a
    function (for fields numbered per answer); ``leave_out`` holds messages the
    page already lists with their own links.
    """
    errors: Mapping[str, Any] = getattr(refusal, "errors", refusal)
    rename = names if callable(names) else (lambda name, table=names or {}: table.get(name, name))
    for name, problems in errors.items():
        target = rename(name)
        for problem in [problems] if isinstance(problems, str) else problems:
            if problem not in leave_out:
                form.add_error(target if target and target in form.fields else None, problem)


def refusal_form(refusal: RefusedError) -> forms.Form:
    """A form holding nothing but a refusal, for pages whose only input is a button."""
    form = forms.Form({})
    form.is_valid()
    refused_into(form, refusal)
    return form


def widget_kind(bound_field: forms.BoundField) -> str:
    """Name the GOV.UK component that fits a form field's widget."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


def _input_type(bound_field: forms.BoundField) -> str:
    input_type = getattr(bound_field.field.widget, "input_type", "text") or "text"
    # GOV.UK asks for text inputs with inputmode for numbers, not type=number.
    return "text" if input_type == "number" else input_type


def _selected_values(bound_field: forms.BoundField) -> set[str]:
    value = bound_field.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return {str(value)}


def _common_params(bound_field: forms.BoundField, kind: str) -> dict[str, Any]:
    """What every GOV.UK field macro takes: id, name, hint, error, attributes, autocomplete, classes."""
    field = bound_field.field
    params: dict[str, Any] = {
        "kind": kind,
        "id": bound_field.auto_id or bound_field.html_name,
        "name": bound_field.html_name,
    }
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    if bound_field.errors:
        params["errorMessage"] = {"text": " ".join(str(e) for e in bound_field.errors)}
    attributes = {k: v for k, v in field.widget.attrs.items() if k not in {"class", "id", "autocomplete"}}
    if field.required and kind not in {"checkboxes", "checkbox"}:
        attributes.pop("required", None)
    if attributes:
        params["attributes"] = attributes
    if "autocomplete" in field.widget.attrs:
        params["autocomplete"] = field.widget.attrs["autocomplete"]
    if css := field.widget.attrs.get("class"):
        params["classes"] = css
    return params


def _choice_params(bound_field: forms.BoundField, params: dict[str, Any], label_text: str) -> None:
    """Radios and checkboxes: a fieldset whose legend is the label, one item per choice."""
    selected = _selected_values(bound_field)
    params["fieldset"] = {"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}}
    params["idPrefix"] = params.pop("id")
    params["items"] = [
        {"value": str(value), "text": str(text), "checked": str(value) in selected}
        for value, text in bound_field.field.choices
        if str(value) != ""
    ]
    if params["kind"] == "checkboxes":
        params["classes"] = params.get("classes", "govuk-checkboxes--small")


def _checkbox_params(bound_field: forms.BoundField, params: dict[str, Any], label_text: str) -> None:
    """A single yes/no checkbox: one item that carries the label, no fieldset."""
    params["idPrefix"] = params.pop("id")
    params["items"] = [
        {"value": "on", "text": label_text, "checked": bool(bound_field.value()), "id": bound_field.id_for_label}
    ]
    params["fieldset"] = None


def _select_params(bound_field: forms.BoundField, params: dict[str, Any], label_text: str) -> None:
    """A select: a label, one item per choice with the chosen one selected."""
    selected = _selected_values(bound_field)
    params["label"] = {"text": label_text}
    params["items"] = [
        {"value": str(value), "text": str(text), "selected": str(value) in selected}
        for value, text in bound_field.field.choices
    ]


def _text_params(bound_field: forms.BoundField, params: dict[str, Any], label_text: str) -> None:
    """Inputs, passwords and textareas: a label and the value as typed (never a password)."""
    field = bound_field.field
    kind = params["kind"]
    params["label"] = {"text": label_text}
    value = bound_field.value()
    if kind == "password":
        value = None  # never echo a password back into the page
    elif value is not None:
        value = field.widget.format_value(value)
    params["value"] = value
    if kind == "input":
        params["type"] = _input_type(bound_field)
        if isinstance(field, forms.DecimalField | forms.IntegerField):
            params["inputmode"] = "decimal" if isinstance(field, forms.DecimalField) else "numeric"
            params["spellcheck"] = False
    if kind == "textarea":
        params["rows"] = field.widget.attrs.get("rows", 5)
        # The macro writes the value between the tags: nothing must read as "None".
        params["value"] = "" if value is None else value


# How each kind of field fills in its own parameters; any other kind is typed text.
_KIND_PARAMS = {
    "radios": _choice_params,
    "checkboxes": _choice_params,
    "checkbox": _checkbox_params,
    "select": _select_params,
}


def govuk_field_params(bound_field: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """Build the parameters a GOV.UK macro needs for ``bound_field``.

    ``overrides`` are merged last, so a template can set classes, a page-heading
    label or an autocomplete hint for one field without changing the form.
    """
    kind = widget_kind(bound_field)
    params = _common_params(bound_field, kind)
    _KIND_PARAMS.get(kind, _text_params)(bound_field, params, str(bound_field.label or ""))
    params.update(overrides)
    if kind == "textarea" and ("maxwords" in overrides or "maxlength" in overrides):
        # A word or character limit: GOV.UK's character count, which counts as you type.
        params["kind"] = "character_count"
    return params


def _first_input(form: forms.BaseForm) -> forms.BoundField | None:
    """The first field a person fills in on ``form``: where a problem with the whole form is corrected."""
    return next((form[name] for name in form.fields if not form[name].is_hidden and form[name].auto_id), None)


def error_summary_items(form: forms.BaseForm | None) -> list[dict[str, str]]:
    """List a form's errors for the GOV.UK error summary, each linking to a field that takes focus.

    A field's error links to that field (for radios and checkboxes, to the first option, which
    GOV.UK gives the field's id). An error about the whole form, or about a field that is not on
    the page, links to the form's first field, where the person starts to put it right; a form
    with no field to fill in lists its errors without a link, since there is nowhere to go.
    """
    if form is None or not form.errors:
        return []
    items: list[dict[str, str]] = []
    first = _first_input(form)
    for name, errors in form.errors.items():
        bound = form[name] if name in form.fields and not form[name].is_hidden else None
        target = bound if bound is not None and bound.auto_id else first
        for error in errors:
            item = {"text": str(error)}
            if target is not None:
                item["href"] = f"#{target.auto_id}"
            items.append(item)
    return items


# ---------------------------------------------------------------------------
# The shared form base: typed-input rules and messages for every field.


class MoneyInput(forms.Field):
    """A pounds-and-pence amount typed as text ("£12,500" or "12500.50"): digits, commas and one point."""

    widget = forms.TextInput

    def to_python(self, value) -> Decimal | None:
        if value in self.empty_values or not str(value).strip():
            return None
        if len(str(value)) > 20:
            raise forms.ValidationError("Enter an amount of 20 characters or fewer", code="max_length")
        try:
            return parse_money(value)
        except MoneyError as exc:
            raise forms.ValidationError(str(exc), code="money") from exc

    def prepare_value(self, value):
        return "" if value is None else str(value)


WHOLE_NUMBER = re.compile(r"-?[0-9][0-9,]*")
DECIMAL_NUMBER = re.compile(r"-?[0-9][0-9,]*(\.[0-9]+)?")


def _typed_number(field: forms.Field, value: Any, shape: re.Pattern) -> Any:
    """Refuse typed numbers that are not digits ("1e4", "NaN", "-0" where negatives make no sense)."""
    if isinstance(value, str) and value.strip():
        text = value.strip()
        negative_allowed = field.min_value is not None and field.min_value < 0
        if not shape.fullmatch(text) or text.endswith(",") or (text.startswith("-") and not negative_allowed):
            raise ValidationError(field.error_messages["invalid"], code="invalid")
        return text.replace(",", "")
    return value


class WholeNumberField(forms.IntegerField):
    """A whole number typed as digits (commas allowed between them); never "1e4" or "NaN"."""

    def to_python(self, value):
        return super().to_python(_typed_number(self, value, WHOLE_NUMBER))


class DecimalNumberField(forms.DecimalField):
    """A number typed as digits with at most one point; never "1e4", "NaN" or "Infinity"."""

    def to_python(self, value):
        return super().to_python(_typed_number(self, value, DECIMAL_NUMBER))


STRICT_NUMBERS = {forms.IntegerField: WholeNumberField, forms.DecimalField: DecimalNumberField}

_LABEL_NOISE = re.compile(
    r"\s*\((optional|dd/mm/yyyy|%|£|one per line|in person|online|if the law requires one)\)\s*", re.IGNORECASE
)
_DETERMINERS = ("the ", "a ", "an ", "your ", "their ", "its ", "this ", "these ", "each ")


def field_noun(field: forms.Field) -> str:
    """The field's label as a noun in a sentence: "Title" gives "the title", "Your full name" "your full name"."""
    label = _LABEL_NOISE.sub(" ", str(field.label or "")).strip().rstrip(":").strip()
    if not label:
        return "a value"
    if label.endswith("?"):
        return f"an answer to \u201c{label}\u201d"
    if not (len(label) > 1 and label[1].isupper()):
        label = label[0].lower() + label[1:]
    if label.lower().startswith(_DETERMINERS):
        return label
    return f"the {label}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _number(value) -> str:
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral_value() else value
        return f"{value:,f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _range(field: forms.Field) -> str:
    low, high = getattr(field, "min_value", None), getattr(field, "max_value", None)
    if low is not None and high is not None:
        return f", from {_number(low)} to {_number(high)}"
    if low is not None:
        return f" of {_number(low)} or more"
    if high is not None:
        return f" of {_number(high)} or less"
    return ""


def _choice_like(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField)


_FILE_MESSAGES = {
    "required": "Select a file",
    "missing": "Select a file",
    "empty": "The selected file is empty",
    "invalid": "The selected file could not be read: choose it again",
    "contradiction": "Select a file, or tick the box to remove the current one, not both",
}

# What "invalid" means for each kind of typed value, most specific class first (DecimalField and
# FloatField before IntegerField: they derive from it; DateTimeField before DateField likewise).
_INVALID_AS = (
    (forms.DecimalField | forms.FloatField, "Enter {what} as a number{range}"),
    (forms.IntegerField, "Enter {what} as a whole number{range}"),
    (forms.DateTimeField, "Enter {what} as a date and time, like 31/03/2027 12:00"),
    (forms.DateField, "Enter {what} as a date, like 31/03/2027"),
    (forms.EmailField, "Enter an e-mail address in the correct format, like name@example.org"),
    (forms.URLField, "Enter a link that starts with https://, like https://www.example.org/join"),
)
_NUMBER_LIMITS = ("min_value", "max_value", "step_size", "max_digits", "max_whole_digits")


def _required_message(field: forms.Field, what: str) -> str:
    if isinstance(field, forms.BooleanField):
        return f"Select the box to confirm \u201c{field.label}\u201d"
    return f"Select {what}" if _choice_like(field) else f"Enter {what}"


def _invalid_messages(field: forms.Field, what: str) -> dict[str, str]:
    if _choice_like(field):
        chosen = f"Select {what} from the list"
        return dict.fromkeys(("invalid_choice", "invalid_list", "invalid_pk_value", "invalid"), chosen)
    template = next(
        (text for kind, text in _INVALID_AS if isinstance(field, kind)), "Enter {what} in the correct format"
    )
    messages = {"invalid": template.format(what=what, range=_range(field))}
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        messages.update(dict.fromkeys(_NUMBER_LIMITS, f"Enter {what}{_range(field)}"))
        places = getattr(field, "decimal_places", None)
        messages["max_decimal_places"] = f"Enter {what} with no more than {places} decimal places"
    return messages


def _length_messages(field: forms.Field, what: str) -> dict[str, str]:
    messages = {}
    max_length, min_length = getattr(field, "max_length", None), getattr(field, "min_length", None)
    if max_length is not None:
        messages["max_length"] = f"{_capital(what)} must be {max_length:,} characters or fewer"
    if min_length is not None:
        messages["min_length"] = f"{_capital(what)} must be {min_length:,} characters or more"
    return messages


def _messages_for(field: forms.Field) -> dict[str, str]:
    """GOV.UK messages for every error ``field`` can raise, built from its label."""
    if isinstance(field, forms.FileField):
        return {
            **_FILE_MESSAGES,
            "max_length": f"The file's name must be {field.max_length or 0:,} characters or fewer",
        }
    what = field_noun(field)
    required = _required_message(field, what)
    messages = {
        "required": required,
        **_invalid_messages(field, what),
        **_length_messages(field, what),
        "null_characters_not_allowed": f"Remove the control characters from {what}",
        "blank": required
        if field.required
        else f"{_capital(what)} holds only spaces or invisible characters: leave it empty or type it again",
    }
    # A literal per cent sign would be read as a placeholder in messages that carry parameters.
    return {code: text.replace("%", " per cent") for code, text in messages.items()}


def _default_messages(field: forms.Field) -> dict[str, str]:
    defaults: dict[str, str] = {}
    for klass in reversed(type(field).__mro__):
        defaults.update(getattr(klass, "default_error_messages", {}))
    return defaults


def _text_validator(rule, what: str):
    def validate(value):
        problem = rule(value, what=what)
        if problem is not None:
            raise ValidationError(str(problem), code=problem.code)

    return validate


def _link_validator(value):
    problem = link_problem(value)
    if problem is not None:
        raise ValidationError(str(problem), code=problem.code)


def _horizon_validator(what: str):
    def validate(value):
        day = value
        if hasattr(value, "date"):
            day = (localtime(value) if is_aware(value) else value).date()
        limit = horizon_limit(day)
        if limit is not None:
            # A form may word it for its field: error_messages={"horizon": "The deadline must be %(limit)s"}.
            raise ValidationError(f"{_capital(what)} must be {limit}", code="horizon", params={"limit": limit})

    return validate


def govuk_prepare_field(field: forms.Field) -> forms.Field:
    """Give ``field`` the product's typed-input rules and GOV.UK messages; safe to call again.

    Messages a form sets itself are kept; only Django's defaults are replaced.
    """
    if getattr(field, "_govuk_prepared", False):
        return field
    if type(field) in STRICT_NUMBERS:
        field.__class__ = STRICT_NUMBERS[type(field)]
    defaults = _default_messages(field)
    for code, text in _messages_for(field).items():
        current = field.error_messages.get(code)
        if current is None or current == defaults.get(code):
            field.error_messages[code] = text
    if field.required and "blank" not in defaults:
        # A value that only looks filled in is refused in the words the form uses for an empty one.
        field.error_messages["blank"] = field.error_messages["required"]
    what = field_noun(field)
    if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
        multi_line = isinstance(field.widget, forms.Textarea)
        field.validators.append(_text_validator(multi_line_problem if multi_line else single_line_problem, what))
    if isinstance(field, forms.URLField):
        field.validators.append(_link_validator)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        field.validators.append(_horizon_validator(what))
    field._govuk_prepared = True
    return field


class GovukFormMixin:
    """Prepares every field (including those a form adds in ``__init__``) before the form validates."""

    def full_clean(self):
        for field in self.fields.values():
            govuk_prepare_field(field)
        super().full_clean()


class GovukForm(GovukFormMixin, forms.Form):
    """The base of every form in the product: see the module's docstring."""
