"""What the fuzzer sends and what it expects: bad values per kind of field, Django's default messages,
and a snapshot of every saved row to tell whether a refused request changed anything."""

import re
from decimal import Decimal

from django import forms
from django.apps import apps
from django.core import validators
from django.db import models
from hypothesis import strategies as st

from commissioning.frontend.forms import MoneyInput

LONG = "x" * 5001
INVISIBLE_ONLY = ["\u200b", "\u200b\u200b ", "\ufeff", "\u2060", "\u3164"]
DIRECTION_TRICKS = ["\u202eevil.exe", "Acme\u2066 Ltd\u2069"]
LINE_BREAKS = ["Line one\r\nLine two", "Line one\nLine two", "Tab\there"]
ODD_BUT_FINE = ["", " ", "O'Brien & Sons <b>", "Café Ünïcödé", "مرحبا", "😀", "0", "-1", "Robert'); DROP TABLE x;--"]
NUMBERS_NOT_DIGITS = ["1e4", "NaN", "Infinity", "-0", "0x10", "1_000", "½", "١٢", "9" * 29]
NUMBERS_FINE = ["1", "20", "100", "12.5", "1,000"]
DATES_OUT = ["31/12/9999", "01/01/1000", "31/12/1999", "29/02/2027", "31/04/2027", "99/99/9999", "tomorrow"]
DATETIMES_OUT = ["31/12/9999 23:59", "01/01/1900 00:00", "29/02/2027 12:00", "15/12/2026 25:00", "noon"]
LINKS_OUT = ["http://host@evil.example", "javascript:alert(1)", "ftp://example.org", "https://", "https://ex ample.org"]
CHOICES_OUT = ["not-a-choice", "9" * 29, "-1"]
PASSWORDS = ["", "short", "Correct-Horse-Battery-42"]


def kind_of(field: forms.Field | None) -> str:
    """Which pool of values suits a field (None: a field no form declared, sent as text)."""
    if field is None:
        return "text"
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        return "choice"
    if isinstance(field, MoneyInput):
        return "money"
    if isinstance(field, forms.DecimalField):
        return "decimal"
    if isinstance(field, forms.IntegerField):
        return "integer"
    if isinstance(field, forms.DateTimeField):
        return "datetime"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.URLField):
        return "link"
    if isinstance(field, forms.CharField):
        if isinstance(field.widget, forms.PasswordInput):
            return "password"
        if isinstance(field.widget, forms.HiddenInput):
            return "hidden"
        return "long_text" if isinstance(field.widget, forms.Textarea) else "line"
    return "text"


def _any_text():
    return st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


def values_for(kind: str, current: list[str]) -> st.SearchStrategy:
    """Values to send for a field of ``kind`` whose page showed ``current``."""
    keep = st.just(current)
    one = st.builds(lambda v: [v], _one_value(kind))
    if kind in {"hidden", "file"}:
        return keep
    if kind == "boolean":
        return st.sampled_from([[], ["on"], ["not-a-choice"]])
    return st.one_of(one, keep) if kind != "choice" else st.one_of(one, keep, st.just([]))


def _one_value(kind: str) -> st.SearchStrategy:
    bad_text = INVISIBLE_ONLY + DIRECTION_TRICKS + [LONG]
    pools = {
        "line": bad_text + LINE_BREAKS + ODD_BUT_FINE,
        "long_text": bad_text + ODD_BUT_FINE + LINE_BREAKS[:1],
        "text": bad_text + ODD_BUT_FINE,
        "money": NUMBERS_NOT_DIGITS + NUMBERS_FINE + ["£1,250.50", "-5", "1.234"],
        "integer": NUMBERS_NOT_DIGITS + NUMBERS_FINE + ["3.5"],
        "decimal": NUMBERS_NOT_DIGITS + NUMBERS_FINE,
        "date": DATES_OUT + ["01/06/2027", ""],
        "datetime": DATETIMES_OUT + ["01/06/2027 12:00", ""],
        "link": LINKS_OUT + ["https://www.example.org/join", ""],
        "choice": CHOICES_OUT + [""],
        "password": PASSWORDS,
    }
    return st.one_of(st.sampled_from(pools.get(kind, pools["text"])), _any_text())


def must_refuse(field: forms.Field, value: str) -> bool:
    """Whether ``field`` must refuse ``value``: the classes of bad input the product refuses everywhere."""
    kind = kind_of(field)
    text = value.strip()
    max_length = getattr(field, "max_length", None)
    if kind in {"line", "long_text"}:
        if value in INVISIBLE_ONLY or value in DIRECTION_TRICKS:
            return True
        if max_length is not None and len(text) > max_length:
            return True
        return kind == "line" and value in LINE_BREAKS
    if kind in {"money", "integer", "decimal"}:
        return value in NUMBERS_NOT_DIGITS or (kind == "integer" and value == "3.5")
    if kind == "date":
        return value in DATES_OUT
    if kind == "datetime":
        return value in DATETIMES_OUT
    if kind == "link":
        return value in LINKS_OUT
    if kind == "choice":
        return value in CHOICES_OUT and value not in {str(v) for v, _ in getattr(field, "choices", [])}
    return False


def _message_patterns() -> list[re.Pattern]:
    """Django's own messages for form fields and validators: none may reach a page."""
    texts: set[str] = set()

    def walk(klass):
        for sub in klass.__subclasses__():
            texts.update(str(m) for m in getattr(sub, "default_error_messages", {}).values())
            walk(sub)

    texts.update(str(m) for m in forms.Field.default_error_messages.values())
    walk(forms.Field)
    for name in dir(validators):
        obj = getattr(validators, name)
        if isinstance(obj, type) and getattr(obj, "message", None):
            texts.add(str(obj.message))
    texts.add(str(validators.URLValidator.message))
    texts.add("Enter a valid date/time.")
    texts.add("Enter a list of values.")
    patterns = []
    for text in texts:
        # The fixed part before the first placeholder identifies the message.
        head = re.split(r"%\(|\{", text)[0].strip()
        if len(head) >= 12:
            patterns.append(re.compile(re.escape(head)))
    return patterns


DJANGO_DEFAULTS = _message_patterns()


def django_defaults_in(text: str) -> list[str]:
    return [p.pattern.replace("\\", "") for p in DJANGO_DEFAULTS if p.search(text)]


# Logs that record a request itself (sessions, sign-in attempts) are not "what was saved".
UNSNAPPED = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
# Columns that record that a request was made, not what it asked for.
UNSNAPPED_COLUMNS = {"last_used_at", "last_login"}


def snapshot() -> dict[str, list[tuple]]:
    """Every saved row of every table (the fuzz world is small): what a refused request must not change."""
    rows = {}
    for model in apps.get_models():
        table = model._meta.db_table
        if table in UNSNAPPED or not model._meta.managed:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, models.FileField) and f.attname not in UNSNAPPED_COLUMNS
        ]
        rows[table] = [
            tuple(str(v) if isinstance(v, Decimal) else v for v in row)
            for row in model._base_manager.order_by("pk").values_list(*names)
        ]
    return rows


def changes(before: dict, after: dict) -> list[str]:
    out = []
    for table, rows in before.items():
        if after.get(table) != rows:
            added = len(after.get(table, [])) - len(rows)
            out.append(f"{table} ({'+' if added >= 0 else ''}{added} rows, or a row changed)")
    return out
