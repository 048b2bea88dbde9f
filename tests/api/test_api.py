"""The API's behaviour a client relies on: filters, field errors, tokens."""

import pytest

from commissioning.accounts import services
from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.tests.factories import (
    IdentifierFactory,
    VerifiedProviderFactory,
    person_with_role,
)
from commissioning.core.models import Ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers():
    small = VerifiedProviderFactory(name="Armley Helpers", latest_income=20_000)
    small.wards.set(Ward.objects.filter(code="E05011389"))
    IdentifierFactory(organisation=small, scheme="GB-CHC", value="1123456")
    big = VerifiedProviderFactory(name="Big Provider", latest_income=20_000_000, city_wide=True)
    VerifiedProviderFactory(name="Hidden", status=OrganisationStatus.PENDING)
    return small, big


def test_organisations_list_is_public_paged_and_filtered(client, providers):
    body = client.get("/api/v1/organisations").json()
    assert body["count"] == 2
    assert {o["name"] for o in body["items"]} == {"Armley Helpers", "Big Provider"}
    armley = next(o for o in body["items"] if o["name"] == "Armley Helpers")
    assert armley["identifiers"] == [{"scheme": "GB-CHC", "id": "1123456", "org_id": "GB-CHC-1123456"}]
    assert armley["size_band"] == "small"
    assert armley["wards"] == [{"code": "E05011389", "name": "Armley"}]
    # a ward filter includes city-wide providers
    names = {o["name"] for o in client.get("/api/v1/organisations?ward=E05011389").json()["items"]}
    assert names == {"Armley Helpers", "Big Provider"}
    names = {o["name"] for o in client.get("/api/v1/organisations?size_band=major").json()["items"]}
    assert names == {"Big Provider"}
    names = {o["name"] for o in client.get("/api/v1/organisations?q=1123456").json()["items"]}
    assert names == {"Armley Helpers"}


def test_malformed_filters_get_field_errors(client):
    response = client.get("/api/v1/organisations?size_band=enormous&ward=Armley")
    assert response.status_code == 422
    body = response.json()
    assert {e["field"] for e in body["errors"]} == {"size_band", "ward"}


def test_an_organisation_that_is_not_public_is_not_found(client):
    hidden = VerifiedProviderFactory(status=OrganisationStatus.PENDING)
    response = client.get(f"/api/v1/organisations/{hidden.slug}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such organisation"}


def test_me_needs_a_live_token(client):
    user = person_with_role(Role.COMMISSIONER)
    _, secret = services.api_token_create(actor=user, name="t")
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    body = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    assert body["email"] == user.email
    assert body["memberships"][0]["role"] == "commissioner"


def test_a_request_with_a_token_notes_when_it_was_used(client):
    user = person_with_role(Role.COMMISSIONER)
    token, secret = services.api_token_create(actor=user, name="t")
    assert token.last_used_at is None
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_session_does_not_authenticate_the_api(client):
    user = person_with_role(Role.COMMISSIONER)
    client.force_login(user)
    assert client.get("/api/v1/me").status_code == 401


def test_healthz_checks_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_openapi_document_is_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert "/api/v1/organisations" in spec["paths"]
    assert "/api/v1/code/rules" in spec["paths"]


def test_the_list_costs_the_same_queries_however_many_providers(client, django_assert_max_num_queries):
    for _ in range(40):
        IdentifierFactory(organisation=VerifiedProviderFactory())
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/organisations?limit=40")
    assert len(response.json()["items"]) == 40


def test_impossible_pages_are_refused_not_crashed(client):
    for query in ("offset=48987348227117326336", "offset=-1", "limit=0", "limit=1000"):
        response = client.get(f"/api/v1/organisations?{query}")
        assert response.status_code == 422, query


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations?legal_form=%00",
        "/api/v1/opportunities?q=advice%00",
        "/api/v1/opportunities?ward=E05011389%00",
        "/organisations/?q=%00",
        "/opportunities/?q=%00",
    ],
)
def test_a_nul_character_gets_a_clear_answer_on_both_databases(client, path):
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 422
        field = path.split("?")[1].split("=")[0]
        assert response.json()["errors"] == [
            {"field": field, "message": "Remove the NUL character: it cannot be stored"}
        ]
    else:
        assert response.status_code == 400
