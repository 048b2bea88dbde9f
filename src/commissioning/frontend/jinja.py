"""The Jinja2 environment: GOV.UK Frontend macros, our globals and filters.

Dates and times have one set of filters, in the GOV.UK style
(:mod:`commissioning.core.formats`): ``date`` ("3 March 2027"), ``time``
("9:08am") and ``datetime`` ("3 March 2027 at 9:08am"), each taking only
``weekday=true`` or ``seconds=true``, never a format of its own.
"""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from commissioning.core.formats import format_date, format_datetime, format_time
from commissioning.core.money import format_money

from .forms import error_summary_items, govuk_field_params


def url(name: str, *args, **kwargs) -> str:
    """Reverse a URL name, like Django's {% url %}."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def format_percent(value) -> str:
    """Format a percentage without trailing zeros ("60%", "12.5%")."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


class Facts:
    """The figures pages and e-mails state, read from the settings when shown, so no sentence says otherwise."""

    @property
    def session_hours(self) -> int:
        return settings.SESSION_COOKIE_AGE // 3600

    @property
    def password_reset_days(self) -> int:
        return settings.PASSWORD_RESET_TIMEOUT // 86400


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
        facts=Facts(),
    )
    env.filters.update(
        money=format_money,
        percent=format_percent,
        date=format_date,
        datetime=format_datetime,
        time=format_time,
    )
    return env
