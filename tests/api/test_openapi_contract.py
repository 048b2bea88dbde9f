"""The API against its own OpenAPI document: no server errors, responses match the schema.

schemathesis generates requests from /api/v1/openapi.json (valid and
malformed parameters) and checks every answer: never a 5xx, status codes and
bodies as documented, content types right.

The token is given to schemathesis as the API's bearer authentication, not
pasted onto every request: a case generated to test a request *without* a
token must go out without one, or a valid request is sent and its 200 is
taken for invalid data accepted.
"""

from datetime import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from pydantic import AwareDatetime, TypeAdapter
from schemathesis.config import SchemathesisConfig

from commissioning.accounts import services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import (
    IdentifierFactory,
    VerifiedProviderFactory,
    person_with_role,
)
from commissioning.opportunities.tests.factories import commissioner_at, draft

EVENTS = "/api/v1/opportunities/{reference}/events"
# Rules the schema cannot state (they compare fields), documented as the
# operation's 422: a schema-valid body may be refused only for one of them.
EVENT_RULES = {
    "ends_at": lambda body: _moment(body["ends_at"]) <= _moment(body["starts_at"]),
    "address": lambda body: body.get("mode") == "in_person" and not (body.get("address") or "").strip(),
    "link": lambda body: body.get("mode") == "online" and not (body.get("link") or "").strip(),
}
POSITIVE_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]

tokens: dict[str, str] = {}


def _moment(text: str) -> datetime:
    # Read as the API reads it (any form RFC 3339 allows: "t", "z", a space).
    return TypeAdapter(AwareDatetime).validate_python(text)


def _config() -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "operations": [
                {
                    "include-path": EVENTS,
                    "include-method": "POST",
                    "checks": {"positive_data_acceptance": {"expected-statuses": [*POSITIVE_ACCEPTED, "422"]}},
                }
            ]
        }
    )


@pytest.fixture
def api_schema(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from commissioning.config.wsgi import application

    # Like Django's test client: keep the test's database connection (and its
    # transaction) open across the requests schemathesis sends to the WSGI app.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    provider = VerifiedProviderFactory(slug="armley-young-carers", latest_income=48_000)
    IdentifierFactory(organisation=provider)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=_config())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


class _Bearer:
    """The current test's token, as the API's bearer authentication."""

    role = ""

    def get(self, case, context):
        return tokens.get(self.role)

    def set(self, case, data, context):
        if data:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


class ProviderBearer(_Bearer):
    role = "provider"


class CommissionerBearer(_Bearer):
    role = "commissioner"


@pytest.fixture
def bearer(db):
    user = person_with_role(Role.PROVIDER_ADMIN)
    tokens["provider"] = services.api_token_create(actor=user, name="contract")[1]
    yield tokens["provider"]
    tokens.pop("provider", None)


@pytest.fixture
def own_draft(db):
    """A commissioner's token and a draft of theirs, so writes reach the rules behind the schema."""
    commissioner = commissioner_at()
    opportunity = draft(commissioner, lots=1)
    tokens["commissioner"] = services.api_token_create(actor=commissioner, name="contract")[1]
    yield opportunity
    tokens.pop("commissioner", None)


@schemathesis.check
def refusals_name_a_documented_rule(ctx, response, case):
    """A schema-valid event refused with 422 breaks one of the rules its 422 documents, and names it."""
    if case.operation.path != EVENTS or response.status_code != 422 or case.meta is None:
        return None
    if not case.meta.generation.mode.is_positive:
        return None
    fields = {error["field"] for error in response.json()["errors"]}
    unexplained = {name for name in fields if name not in EVENT_RULES or not EVENT_RULES[name](case.body)}
    if unexplained:
        raise AssertionError(f"422 for a valid event on {sorted(unexplained)}, which no documented rule explains")
    return None


@schema.parametrize()
@schema.auth(ProviderBearer, refresh_interval=None)
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_openapi_document(case, bearer):
    case.call_and_validate()


@schema.include(path="/api/v1/evidence", method="GET").parametrize()
@schema.auth(ProviderBearer, refresh_interval=None)
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_evidence_list_refuses_unlisted_parameters_and_requests_without_a_token(case, bearer):
    # Its cases combine an unlisted parameter with a missing token; sent as generated, both are refused.
    case.call_and_validate()


@schema.include(path=EVENTS, method="POST").parametrize()
@schema.auth(CommissionerBearer, refresh_interval=None)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_commissioners_events_match_the_document_and_its_documented_rules(case, own_draft):
    case.path_parameters = {"reference": own_draft.reference}
    case.call_and_validate(additional_checks=[refusals_name_a_documented_rule])


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_without_a_token_never_errors(case):
    response = case.call()
    assert response.status_code < 500
