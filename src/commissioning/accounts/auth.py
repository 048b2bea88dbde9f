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
