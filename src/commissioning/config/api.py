"""The public API at /api/v1/, assembled from each app's router."""

import math

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled, ValidationError

from commissioning.accounts.api import me_router
from commissioning.accounts.api import router as organisations_router
from commissioning.accounts.auth import ApiTokenAuth
from commissioning.contracts.api import register_router as contracts_router
from commissioning.contracts.api_agreements import agreements_router
from commissioning.contracts.api_returns import returns_router as contract_returns_router
from commissioning.evaluation.api import awards_router
from commissioning.evidence.api import router as evidence_router
from commissioning.feedback.api import results_router
from commissioning.needs.api import router as assessments_router
from commissioning.needs.api_reviews import reviews_router
from commissioning.opportunities.api import router as opportunities_router
from commissioning.planning.api import router as pipeline_router
from commissioning.planning.api_appraisal import appraisal_router
from commissioning.practice.api import router as code_router
from commissioning.records.api import router as records_router
from commissioning.submissions.api import opening_router
from commissioning.submissions.api import router as submissions_router

TOO_MANY_BAD_TOKENS = {
    "description": (
        "Too many unknown or revoked API tokens have been sent from your address: every request with a "
        "token is refused until the number of seconds in Retry-After has passed. Only a request that "
        "carries a token gets this answer."
    ),
    "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 1}}},
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


class HubAPI(NinjaAPI):
    """The hub's API: every operation documents the 429 that the limit on bad tokens can send."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "responses" in operation:
                    operation["responses"].setdefault(429, TOO_MANY_BAD_TOKENS)
        return schema


api = HubAPI(
    title="Leeds Commissioning Hub API",
    version="1.0.0",
    description=(
        "Open data and tools for commissioning under the Leeds Commissioning Code of Practice. "
        "Public reads need no authentication. Personal API tokens, created on your account page, "
        "are sent as `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def validation_problem(request: HttpRequest, exc: ValidationError):
    """Answer malformed input with 422 and the field errors, never a 500."""
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", []) if part not in ("query", "body", "path")),
            "message": error.get("msg", "Invalid value"),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "The request has invalid fields", "errors": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError):
    """Answer a missing, unknown or revoked token with 401."""
    response = api.create_response(
        request, {"detail": "Send a valid API token as 'Authorization: Bearer <token>'"}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled):
    """Answer a caller over a limit (such as bad API tokens from its address) with 429 and ``Retry-After``."""
    wait = max(1, int(exc.wait or 60))
    minutes = math.ceil(wait / 60)
    detail = f"{exc} Try again in {minutes} minute{'' if minutes == 1 else 's'}."
    response = api.create_response(request, {"detail": detail}, status=429)
    response["Retry-After"] = str(wait)
    return response


api.add_router("/organisations", organisations_router)
api.add_router("/code", code_router)
api.add_router("/records", records_router)
api.add_router("/records", appraisal_router)
api.add_router("/assessments", assessments_router)
api.add_router("/reviews", reviews_router)
api.add_router("/pipeline", pipeline_router)
api.add_router("/opportunities", opportunities_router)
api.add_router("/opportunities", opening_router)
api.add_router("/evidence", evidence_router)
api.add_router("/submissions", submissions_router)
api.add_router("/submissions", results_router)
api.add_router("/awards", awards_router)
api.add_router("/contracts", contracts_router)
api.add_router("/contracts", contract_returns_router)
api.add_router("/agreements", agreements_router)
api.add_router("/me", me_router)

__all__ = ["api", "ApiTokenAuth"]
