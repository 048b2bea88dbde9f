"""Filters on a list page, the way GOV.UK and MOJ services show them.

The filters are a GET form in a panel that a phone keeps closed behind a
"Show filters" button (``frontend/filters.html``). What is applied is shown
above the results as tags, each a link to the same list without it, with a
"Clear filters" link beside them. :func:`selected_filters` and
:func:`clear_filters_href` build those links from the bound form, so every
list page says the same thing the same way.
"""

from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils.formats import date_format

# Never carried into a link that changes the filters: the list starts again at its first page.
PAGE_PARAMETER = "page"


@dataclass(frozen=True)
class SelectedFilter:
    """One applied filter: what it is, its value in words ("" for a yes-or-no filter), and the list without it."""

    label: str
    text: str
    remove_href: str


def _href(path: str, query: QueryDict) -> str:
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def _without(data: QueryDict, name: str, value: str | None = None) -> QueryDict:
    query = data.copy()
    query.pop(PAGE_PARAMETER, None)
    if value is None:
        query.pop(name, None)
    else:
        query.setlist(name, [v for v in query.getlist(name) if v != value])
    return query


def _label(field: forms.Field) -> str:
    return str(field.label or "").split(" (")[0]


def _value_text(field: forms.Field, value) -> str:
    if isinstance(field, forms.DateField):
        return date_format(value, "j F Y")
    if isinstance(field, forms.ChoiceField):
        return str(dict((str(k), v) for k, v in field.choices).get(str(value), value))
    return str(value)


def selected_filters(
    form: forms.Form, names: list[str], *, path: str, defaults: dict[str, str] | None = None
) -> list[SelectedFilter]:
    """The filters ``form`` applies among ``names``, in that order, each with a link to remove it.

    Guarantees: a value that did not validate, an empty one or a field's
    default (``defaults``) is not a selected filter, because the list is not
    filtered by it; each value of a multiple choice is a tag of its own, and
    removing it keeps the others; removing any tag keeps the other filters and
    the sort order, and goes back to the first page.
    """
    if not form.is_bound:
        return []
    form.is_valid()
    defaults = defaults or {}
    data = form.data
    selected = []
    for name in names:
        if name in form.errors:
            continue
        field = form.fields[name]
        value = form.cleaned_data.get(name)
        if isinstance(field, forms.MultipleChoiceField):
            for one in value or []:
                href = _href(path, _without(data, name, str(one)))
                selected.append(SelectedFilter(_label(field), _value_text(field, one), href))
            continue
        if value in (None, "", False) or str(value) == defaults.get(name):
            continue
        if isinstance(field, forms.BooleanField):
            selected.append(SelectedFilter(_label(field), "", _href(path, _without(data, name))))
            continue
        selected.append(SelectedFilter(_label(field), _value_text(field, value), _href(path, _without(data, name))))
    return selected


def clear_filters_href(form: forms.Form, names: list[str], *, path: str) -> str:
    """The same list with none of the filters in ``names`` (what is not a filter, like the sort, is kept)."""
    if not form.is_bound:
        return path
    query = form.data.copy()
    query.pop(PAGE_PARAMETER, None)
    for name in names:
        query.pop(name, None)
    return _href(path, query)
