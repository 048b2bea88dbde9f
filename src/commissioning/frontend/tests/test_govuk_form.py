"""The shared form base: typed-input rules and GOV.UK messages for every field of every form."""

import importlib
import pkgutil
from datetime import date

import pytest
import time_machine
from django import forms

import commissioning
from commissioning.frontend.forms import GovukForm, GovukFormMixin, MoneyInput


class Sample(GovukForm):
    title = forms.CharField(label="Title", max_length=20)
    nickname = forms.CharField(label="Nickname (optional)", required=False, max_length=20)
    about = forms.CharField(label="About", widget=forms.Textarea, max_length=200)
    link = forms.URLField(label="Link to join", required=False, assume_scheme="https")
    places = forms.IntegerField(label="Places", min_value=1, max_value=20)
    weight = forms.DecimalField(label="Weight (%)", min_value=0, max_value=100, decimal_places=2, required=False)
    price = MoneyInput(label="Price", required=False)
    starts = forms.DateTimeField(label="Starts", input_formats=["%d/%m/%Y %H:%M"], required=False)
    day = forms.DateField(label="Day", input_formats=["%d/%m/%Y"], required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], required=False)


GOOD = {"title": "Carers' breaks", "about": "Short breaks.", "places": "2"}


def errors(**change) -> dict:
    form = Sample({**GOOD, **change})
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_good_input_is_accepted():
    assert errors() == {}
    form = Sample({**GOOD, "price": "£1,250.50", "weight": "12.5", "link": "https://www.example.org/join?x=1"})
    assert form.is_valid(), form.errors
    assert str(form.cleaned_data["price"]) == "1250.50"


@pytest.mark.parametrize("value", ["\u200b", "\u200b \u200b", "\ufeff", "\u2060", "\u3164"])
def test_a_value_that_looks_blank_is_refused_as_blank(value):
    assert errors(title=value) == {"title": ["Enter the title"]}
    assert errors(about=value) == {"about": ["Enter the about"]}
    assert "leave it empty or type it again" in errors(nickname=value)["nickname"][0]


@pytest.mark.parametrize("value", ["\u202eexe.txt", "Acme\u2066 Ltd\u2069", "Ac\u200bme"])
def test_invisible_and_direction_characters_are_refused_in_a_single_line(value):
    assert "invisible characters" in errors(title=value)["title"][0]


def test_longer_text_may_hold_line_breaks_but_not_direction_overrides():
    assert errors(about="Line one\r\nLine two") == {}
    assert errors(about="Ordinary \u202etext")["about"] == ["Remove the text-direction characters from the about"]


@pytest.mark.parametrize("value", ["Line one\r\nLine two", "Line one\nLine two", "Tab\there", "a\u2028b"])
def test_single_line_text_is_on_one_line(value):
    assert errors(title=value) == {"title": ["Enter the title on one line"]}


def test_names_in_other_scripts_and_joiners_are_fine():
    assert errors(title="مرحبا") == {} and errors(title="نی\u200cما") == {} and errors(title="👩\u200d💻") == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("http://host@evil.example", "without a user name or password"),
        ("https://user:secret@example.org/", "without a user name or password"),
        ("javascript:alert(1)", "starts with https://"),
        ("ftp://example.org", "starts with https://"),
        ("https://localhost/", "starts with https://"),
    ],
)
def test_links_are_http_or_https_with_no_user_name(value, message):
    assert message in " ".join(errors(link=value)["link"])


@pytest.mark.parametrize("value", ["1e4", "NaN", "Infinity", "-0", "0x10", "1_000", "½", "١٢", "3.5"])
def test_a_whole_number_is_typed_as_digits(value):
    assert errors(places=value) == {"places": ["Enter the places as a whole number, from 1 to 20"]}


@pytest.mark.parametrize("value", ["1e4", "NaN", "-0", "1e1"])
def test_a_decimal_is_typed_as_digits(value):
    assert errors(weight=value) == {"weight": ["Enter the weight as a number, from 0 to 100"]}


@pytest.mark.parametrize("value", ["1e4", "NaN", "-0", "0x10", "1_000", "£1e4", "1,000,", "1.", "9" * 29])
def test_money_is_digits_commas_and_one_point(value):
    assert "price" in errors(price=value)


@time_machine.travel("2026-12-01 12:00 +0000", tick=False)
def test_dates_stay_within_the_horizon(settings):
    settings.INPUT_YEARS_AHEAD = 10
    assert errors(day="31/12/2036") == {} and errors(day="01/01/2000") == {}
    assert errors(day="01/01/2037") == {"day": ["The day must be before 1 January 2037"]}
    assert errors(starts="31/12/9999 23:59") == {"starts": ["The starts must be before 1 January 2037"]}
    assert errors(day="31/12/1999") == {"day": ["The day must be on or after 1 January 2000"]}
    settings.INPUT_YEARS_AHEAD = 2
    assert errors(day="01/01/2029") == {"day": ["The day must be before 1 January 2029"]}


def test_no_django_default_message_is_left():
    form = Sample({"title": "x" * 21, "about": "", "places": "0", "kind": "z", "weight": "1.234", "day": "31/02/2027"})
    form.is_valid()
    assert form.errors == {
        "title": ["The title must be 20 characters or fewer"],
        "about": ["Enter the about"],
        "places": ["Enter the places, from 1 to 20"],
        "kind": ["Select the kind from the list"],
        "weight": ["Enter the weight with no more than 2 decimal places"],
        "day": ["Enter the day as a date, like 31/03/2027"],
    }


def test_a_form_keeps_the_messages_it_sets_and_fields_added_in_init_are_prepared():
    class Booking(GovukForm):
        places = forms.IntegerField(label="Places", min_value=1, error_messages={"required": "Say how many"})

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["name"] = forms.CharField(label="Name")

    form = Booking({"name": "\u200b"})
    assert not form.is_valid()
    assert form.errors == {"places": ["Say how many"], "name": ["Enter the name"]}


def _product_forms():
    for module in pkgutil.walk_packages(commissioning.__path__, "commissioning."):
        if ".tests" in module.name or module.name.endswith((".migrations", ".demo")) or ".migrations." in module.name:
            continue
        importlib.import_module(module.name)

    def walk(klass):
        for sub in klass.__subclasses__():
            yield sub
            yield from walk(sub)

    return {
        f"{k.__module__}.{k.__qualname__}"
        for k in walk(forms.BaseForm)
        if k.__module__.startswith("commissioning.") and ".tests" not in k.__module__
    }, {
        f"{k.__module__}.{k.__qualname__}"
        for k in walk(forms.BaseForm)
        if k.__module__.startswith("commissioning.") and issubclass(k, GovukFormMixin)
    }


def test_every_form_of_the_product_derives_from_the_govuk_base():
    every, based = _product_forms()
    # The technical admin site (superusers only) uses Django's own forms and pages.
    outside = {name for name in every - based if ".admin." not in name}
    assert not outside, f"derive these forms from GovukForm (or mix in GovukFormMixin): {sorted(outside)}"


def test_the_horizon_is_read_from_settings(settings):
    from commissioning.core.horizon import date_horizon

    settings.INPUT_EARLIEST_YEAR = 2010
    assert date_horizon()[0] == date(2010, 1, 1)
