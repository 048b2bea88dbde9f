"""The API against its own OpenAPI document: no server errors, responses match the schema.

schemathesis generates requests from /api/v1/openapi.json (valid and
malformed parameters) and checks every answer: never a 5xx, status codes and
bodies as documented, content types right.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from commissioning.accounts import services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import (
    IdentifierFactory,
    VerifiedProviderFactory,
    person_with_role,
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
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def bearer(db):
    user = person_with_role(Role.PROVIDER_ADMIN)
    return services.api_token_create(actor=user, name="contract")[1]


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_matches_its_openapi_document(case, bearer):
    case.call_and_validate(headers={"Authorization": f"Bearer {bearer}"})


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_without_a_token_never_errors(case):
    response = case.call()
    assert response.status_code < 500
