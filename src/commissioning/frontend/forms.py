"""The adapter between Django forms and the GOV.UK Frontend field macros.

A template writes ``{{ field(form["email"]) }}`` and gets the right GOV.UK
component (input, textarea, select, radios, checkboxes, password input) with
its label, hint, error message and value. :func:`error_summary_items` gives the
error summary the same messages, each linking to its field.
"""

from typing import Any

from django import forms


def posted(request):
    """The POST data to bind a form to, or None for a GET.

    An empty POST (every field left blank) still binds, so the person sees
    what to fill in; ``request.POST or None`` would show the blank form again.
    """
    return request.POST if request.method == "POST" else None


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


def govuk_field_params(bound_field: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    """Build the parameters a GOV.UK macro needs for ``bound_field``.

    ``overrides`` are merged last, so a template can set classes, a page-heading
    label or an autocomplete hint for one field without changing the form.
    """
    field = bound_field.field
    kind = widget_kind(bound_field)
    label_text = str(bound_field.label or "")
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

    if kind in {"radios", "checkboxes"}:
        selected = _selected_values(bound_field)
        params["fieldset"] = {"legend": {"text": label_text, "classes": "govuk-fieldset__legend--s"}}
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {"value": str(value), "text": str(text), "checked": str(value) in selected}
            for value, text in field.choices
            if str(value) != ""
        ]
        if kind == "checkboxes":
            params["classes"] = params.get("classes", "govuk-checkboxes--small")
    elif kind == "checkbox":
        params["idPrefix"] = params.pop("id")
        params["items"] = [
            {
                "value": "on",
                "text": label_text,
                "checked": bool(bound_field.value()),
                "id": bound_field.id_for_label,
            }
        ]
        params["fieldset"] = None
    elif kind == "select":
        selected = _selected_values(bound_field)
        params["label"] = {"text": label_text}
        params["items"] = [
            {"value": str(value), "text": str(text), "selected": str(value) in selected}
            for value, text in field.choices
        ]
    else:
        params["label"] = {"text": label_text}
        value = bound_field.value()
        if kind == "password":
            value = None  # never echo a password back into the page
        elif value is not None:
            value = bound_field.field.widget.format_value(value)
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
