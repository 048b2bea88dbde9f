"""How many wrong guesses one network address may make: signing in, and with API tokens.

Signing in (django-axes keeps the count): failed attempts are counted on the
normalised e-mail address that signing in matches on (``normalise_email``), so
"Ruth@Example.org" and " ruth@example.org" share one count instead of each
getting fresh attempts. From one address within the cool-off
(``AXES_COOLOFF_TIME``), signing in is locked after ``AXES_FAILURE_LIMIT``
failures for one name, or after ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` failures
across every name (someone trying many accounts). While locked, even the
right password is refused, so the lock cannot be used to confirm a guess.

API tokens: see ``services.api_token_failure_record`` and
``selectors.api_token_retry_after``; the address is the same one.
"""

import math
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from .models import normalise_email


def sign_in_name(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The name a sign-in attempt is counted on: the normalised e-mail address it would match."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        typed = getattr(request, "data", request.POST).get(field) if request is not None else None
    return normalise_email(typed) or None


def client_address(request: HttpRequest) -> str:
    """The network address a request comes from, as the sign-in lockout sees it ("" if unknown)."""
    return get_client_ip_address(request) or ""


def sign_in_cool_off() -> timedelta:
    """How long signing in stays locked after the last failed attempt."""
    return get_cool_off() or timedelta(0)


def retry_after_seconds(delta: timedelta) -> int:
    """A wait as whole seconds for a ``Retry-After`` header (at least 1)."""
    return max(1, math.ceil(delta.total_seconds()))


class SignInLockoutHandler(AxesDatabaseHandler):
    """django-axes's database handler with a second limit: failures from one address across all names.

    The per-name limit is axes's own (``AXES_LOCKOUT_PARAMETERS`` and
    ``AXES_FAILURE_LIMIT``); this adds ``SIGN_IN_ADDRESS_FAILURE_LIMIT``,
    counted over the same attempt records within the same cool-off. A
    successful sign-in clears only its own name's count, so signing in to
    one's own account does not reset the count of guesses at others.
    """

    def address_failures(self, request: HttpRequest) -> int:
        """Failed sign-ins from the request's address within the cool-off, whatever the name."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def address_locked(self, request: HttpRequest) -> bool:
        """Whether the request's address has reached the limit across names."""
        return (
            settings.AXES_LOCK_OUT_AT_FAILURE
            and self.address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        )

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        """Locked for this name from this address, or for every name from this address."""
        return super().is_locked(request, credentials) or self.address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Record the failure; lock out at once when it reaches either limit."""
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or not self.address_locked(request):
            return
        request.axes_locked_out = True
        request.axes_credentials = credentials
        user_locked_out.send(
            "axes",
            request=request,
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        )
