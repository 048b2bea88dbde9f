"""Give every request an id that the audit log and the logs can share, and the moment it arrived."""

import re
import uuid
from contextvars import ContextVar

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
