"""API authentication: personal tokens sent as ``Authorization: Bearer …``.

Every token sent is checked against the limit on bad tokens from one network
address (``API_TOKEN_FAILURE_LIMIT`` within ``API_TOKEN_COOLOFF_MINUTES``):
over it, the request is refused with 429 and ``Retry-After`` before the token
is looked at, and each unknown or revoked token counts towards it.
"""

from ninja.errors import Throttled
from ninja.security import HttpBearer

from commissioning.core import clock

from .lockout import client_address, retry_after_seconds
from .selectors import api_token_for_secret, api_token_retry_after
from .services import api_token_failure_record, api_token_touch


class TooManyBadTokens(Throttled):
    """The request's address has sent too many unknown or revoked tokens; ``wait`` is in seconds."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait=wait)
        self.message = "Too many unknown or revoked API tokens have been sent from your address."


def _token_owner(request, token: str):
    """The active owner of a live ``token``, counting a bad one against the request's address.

    Raises ``TooManyBadTokens`` (429, ``Retry-After``) while the address is over the limit.
    """
    address = client_address(request)
    wait = api_token_retry_after(address=address)
    if wait is not None:
        raise TooManyBadTokens(wait=retry_after_seconds(wait))
    found = api_token_for_secret(token)
    if found is None:
        api_token_failure_record(address=address)
        return None
    api_token_touch(token=found, now=clock.now())
    return found.user


class ApiTokenAuth(HttpBearer):
    """Accept a live personal API token; the request acts as the token's owner."""

    def authenticate(self, request, token: str):
        user = _token_owner(request, token)
        if user is None:
            return None
        request.user = user
        return user


def api_user_or_none(request):
    """The owner of a live token in the request's Authorization header, if any: for public reads that
    show a signed-in caller a little more (a commissioner's own draft). A bad token reads as no token,
    but counts towards the limit on bad tokens like any other."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return _token_owner(request, token.strip())
