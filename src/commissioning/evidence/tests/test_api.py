"""The evidence API: a provider's own current items and versions, and 404 for everyone else."""

import pytest

from commissioning.accounts import services as account_services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role

from .factories import keeper, record

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    name = f"test {user.api_tokens.count()}"
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.api_token_create(actor=user, name=name)[1]}"}


@pytest.fixture
def store():
    admin, organisation = keeper()
    old = record(admin, organisation, insurer="Old Insurer")
    current = record(admin, organisation, insurer="New Insurer", upload=None)
    address = record(admin, organisation, "address")
    return admin, organisation, old, current, address


def test_a_provider_lists_its_current_evidence(client, store):
    admin, organisation, old, current, address = store
    other_admin, other = keeper()
    record(other_admin, other)
    body = client.get("/api/v1/evidence", **bearer(admin)).json()
    assert body["count"] == 2
    by_item = {entry["item"]: entry for entry in body["items"]}
    assert set(by_item) == {"insurance_public", "address"}
    insurance = by_item["insurance_public"]
    assert insurance["id"] == current.pk and insurance["version"] == 2 and insurance["current"] is True
    assert insurance["organisation"] == organisation.slug and insurance["state"] == "current"
    assert insurance["data"]["insurer"] == "New Insurer" and insurance["data"]["cover"] == "5000000.00"
    assert (
        insurance["file"]["sha256"] == current.sha256 and insurance["file"]["url"] == f"/evidence/files/{current.pk}/"
    )
    assert by_item["address"]["file"] is None and by_item["address"]["valid_until"] is None
    filtered = client.get(f"/api/v1/evidence?organisation={organisation.slug}", **bearer(admin)).json()
    assert filtered["count"] == 2


def test_an_older_version_is_read_by_its_id(client, store):
    admin, _, old, _, _ = store
    body = client.get(f"/api/v1/evidence/{old.pk}", **bearer(admin)).json()
    assert body["version"] == 1 and body["current"] is False and body["superseded_at"]
    assert body["data"]["insurer"] == "Old Insurer"


def test_nobody_else_reads_it(client, store):
    _, organisation, old, current, _ = store
    council = CommissionerOrgFactory()
    for person in [
        person_with_role(Role.PROVIDER_ADMIN),
        person_with_role(Role.COMMISSIONER, council),
        person_with_role(Role.EVALUATOR, council),
        person_with_role(Role.ADMINISTRATOR, council),
    ]:
        headers = bearer(person)
        assert client.get("/api/v1/evidence", **headers).json()["count"] == 0
        assert client.get(f"/api/v1/evidence?organisation={organisation.slug}", **headers).status_code == 404
        for version in (old, current):
            response = client.get(f"/api/v1/evidence/{version.pk}", **headers)
            assert response.status_code == 404 and response.json() == {"detail": "No such evidence"}
    assert client.get("/api/v1/evidence").status_code == 401
    assert client.get(f"/api/v1/evidence/{current.pk}").status_code == 401


def test_malformed_parameters_get_field_errors(client, store):
    headers = bearer(store[0])
    response = client.get("/api/v1/evidence?organisation=not%20a%20slug", **headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "organisation"
    response = client.get("/api/v1/evidence?organisaton=mine", **headers)
    assert response.status_code == 422 and response.json()["errors"] == [
        {"field": "organisaton", "message": "Unknown parameter"}
    ]
    assert client.get("/api/v1/evidence/0", **headers).status_code == 422
    assert client.get("/api/v1/evidence/x", **headers).status_code == 422
