"""Give every request an id that the audit log and the logs can share, and the moment it arrived."""

import logging
import re
import uuid
from contextvars import ContextVar

from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.urls import get_resolver

from commissioning.core import clock

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def current_request_id() -> str:
    """Return the id of the request being served, or "" outside a request."""
    return request_id_var.get()


class RequestIdMiddleware:
    """Take a well-formed X-Request-ID from the proxy or make one; echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # When the request reached the application: a deadline is judged by this, not by how long
        # the request then waited for a database lock behind others.
        request.received_at = clock.now()
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class NullCharacterRefused(SuspiciousOperation):
    """A request carrying a NUL character, which no one types and PostgreSQL cannot store."""


# The logger Django would use for this refusal, so filters set up for it still apply.
null_character_log = logging.getLogger("django.security.NullCharacterRefused")


def _fields_with_nul(values) -> list[str]:
    return [key for key in values if "\x00" in key or any("\x00" in value for value in values.getlist(key))]


class RefuseNullCharactersMiddleware:
    """Refuse a request with a NUL character in its query string or its form fields.

    Forms refuse them field by field and the API's JSON schemas name the
    field, but a filter in a query string would otherwise reach the database,
    where PostgreSQL refuses the query and the person gets a 500. Refusing
    here gives every page and endpoint the same clear answer on both
    databases: a 400 page, or for the API the 422 problem with field errors
    that every endpoint documents. Uploaded files are not looked at.
    """

    MESSAGE = "Remove the NUL character: it cannot be stored"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = _fields_with_nul(request.GET)
        if request.content_type == "application/x-www-form-urlencoded":
            fields += _fields_with_nul(request.POST)
        if not fields:
            return self.get_response(request)
        # Bad input, answered in full: a one-line warning, not an error with a traceback.
        null_character_log.warning(
            "Refused a request with a NUL character: %s %r, in %s (request %s)",
            request.method,
            request.path[:200],
            ", ".join(repr(name[:40]) for name in fields[:5]),
            getattr(request, "request_id", ""),
        )
        if request.path.startswith("/api/"):
            errors = [{"field": name.replace("\x00", ""), "message": self.MESSAGE} for name in fields]
            return JsonResponse({"detail": "The request contains a NUL character", "errors": errors}, status=422)
        bad_request = get_resolver(getattr(request, "urlconf", None)).resolve_error_handler(400)
        return bad_request(request, exception=NullCharacterRefused("The request contains a NUL character"))
