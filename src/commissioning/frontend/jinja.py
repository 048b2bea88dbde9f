"""The Jinja2 environment: GOV.UK Frontend macros, our globals and filters."""

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from commissioning.core.money import format_money

from .forms import error_summary_items, govuk_field_params


def url(name: str, *args, **kwargs) -> str:
    """Reverse a URL name, like Django's {% url %}."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_date(value, fmt: str = "j F Y") -> str:
    """Format a date the GOV.UK way ("25 November 2026")."""
    if value is None:
        return ""
    return date_format(value, fmt)


def format_datetime(value, fmt: str = "j F Y, g:ia") -> str:
    """Format a moment in Europe/London ("25 November 2026, 2:30pm")."""
    if value is None:
        return ""
    return date_format(localtime(value), fmt).replace("a.m.", "am").replace("p.m.", "pm")


def format_percent(value) -> str:
    """Format a percentage without trailing zeros ("60%", "12.5%")."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def environment(**options) -> Environment:
    """Build the environment Django's Jinja2 backend renders every page with."""
    options["loader"] = ChoiceLoader(
        [
            options["loader"],
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options["extensions"] = [*options.get("extensions", []), "jinja2.ext.do"]
    env = Environment(**options)
    env.globals.update(
        url=url,
        static=static,
        get_messages=get_messages,
        govuk_field_params=govuk_field_params,
        error_summary_items=error_summary_items,
    )
    env.filters.update(
        money=format_money,
        percent=format_percent,
        date=format_date,
        datetime=format_datetime,
    )
    return env
