"""API authentication: personal tokens sent as ``Authorization: Bearer …``."""

from ninja.security import HttpBearer

from .selectors import user_for_api_token


class ApiTokenAuth(HttpBearer):
    """Accept a live personal API token; the request acts as the token's owner."""

    def authenticate(self, request, token: str):
        user = user_for_api_token(token)
        if user is None:
            return None
        request.user = user
        return user


def api_user_or_none(request):
    """The owner of a live token in the request's Authorization header, if any: for public reads that
    show a signed-in caller a little more (a commissioner's own draft). A bad token reads as no token."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_api_token(token.strip())
