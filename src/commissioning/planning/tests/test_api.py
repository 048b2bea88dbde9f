"""The pipeline through the API: public reads, commissioners' writes through the same services."""

import pytest

from commissioning.accounts import services as account_services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.planning.models import Plan

from .factories import ARMLEY, body_of, plan_for, two_bodies

pytestmark = pytest.mark.django_db


_TOKENS: dict[int, str] = {}


def _token(user) -> dict:
    if user.pk not in _TOKENS or not user.api_tokens.exists():
        _TOKENS[user.pk] = account_services.api_token_create(actor=user, name="test")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {_TOKENS[user.pk]}"}


@pytest.fixture
def two():
    council, icb = two_bodies()
    return council, icb, plan_for(council, publish=True), plan_for(icb, publish=True), plan_for(council)


def test_the_list_is_public_paged_and_gives_each_plans_open_overlaps(client, two, django_assert_max_num_queries):
    council, icb, mine, theirs, draft = two
    with django_assert_max_num_queries(10):
        body = client.get("/api/v1/pipeline?limit=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    items = {i["reference"]: i for i in client.get("/api/v1/pipeline").json()["items"]}
    assert draft.record.reference not in items
    item = items[mine.record.reference]
    assert item["overlaps"] == [theirs.record.reference]
    assert item["expected_value"] == "250000.00" and item["funding_type"] == "grant" and item["status"] == "idea"
    assert item["body"]["slug"] == body_of(council).slug and item["wards"][0]["code"] == ARMLEY
    assert client.get("/api/v1/pipeline?funding_type=contract").json()["count"] == 0
    assert client.get("/api/v1/pipeline?status=nonsense").status_code == 422


def test_one_plan_is_public_and_a_draft_answers_404_except_to_its_commissioners(client, two):
    council, icb, mine, theirs, draft = two
    assert client.get(f"/api/v1/pipeline/{mine.record.reference}").json()["title"] == mine.record.title
    assert client.get(f"/api/v1/pipeline/{draft.record.reference}").status_code == 404
    assert client.get(f"/api/v1/pipeline/{draft.record.reference}", **_token(icb)).status_code == 404
    assert client.get(f"/api/v1/pipeline/{draft.record.reference}", **_token(council)).status_code == 200


def _new(council) -> dict:
    return {
        "lead_body": body_of(council).slug,
        "title": "Carers' breaks",
        "summary": "Short breaks for carers.",
        "outcome_area": "carers-support",
        "wards": [ARMLEY],
        "expected_value": "120000.00",
        "funding_type": "grant",
        "expected_advert": "2027-05-01",
        "expected_start": "2027-09-01",
        "expected_end": "2029-08-31",
        "contact_name": "Daniel Okafor",
        "contact_email": "daniel@example.org",
    }


def test_a_commissioner_makes_and_changes_a_plan(client, two):
    council = two[0]
    made = client.post("/api/v1/pipeline", _new(council), content_type="application/json", **_token(council))
    assert made.status_code == 201, made.content
    reference = made.json()["reference"]
    assert made.json()["published_at"] is None
    changed = client.patch(
        f"/api/v1/pipeline/{reference}",
        {"expected_value": "150000.00", "funding_type": "contract"},
        content_type="application/json",
        **_token(council),
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["expected_value"] == "150000.00" and changed.json()["funding_type"] == "contract"


def test_bad_writes_answer_422_with_field_errors_and_save_nothing(client, two):
    council = two[0]
    count = Plan.objects.count()
    ends_early = _new(council) | {"expected_end": "2027-01-01"}
    response = client.post("/api/v1/pipeline", ends_early, content_type="application/json", **_token(council))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["expected_end"]
    unknown = _new(council) | {"wards": ["E05999999"], "outcome_area": "nothing"}
    response = client.post("/api/v1/pipeline", unknown, content_type="application/json", **_token(council))
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "outcome_area"
    negative = _new(council) | {"expected_value": "-5"}
    assert (
        client.post("/api/v1/pipeline", negative, content_type="application/json", **_token(council)).status_code == 422
    )
    assert Plan.objects.count() == count


def test_writes_need_a_commissioner_of_the_body(client, two):
    council, icb, mine, *_ = two
    provider = person_with_role(Role.PROVIDER_ADMIN)
    assert client.post("/api/v1/pipeline", _new(council), content_type="application/json").status_code == 401
    assert (
        client.post("/api/v1/pipeline", _new(council), content_type="application/json", **_token(provider)).status_code
        == 403
    )
    response = client.patch(
        f"/api/v1/pipeline/{mine.record.reference}", {"title": "Ours"}, content_type="application/json", **_token(icb)
    )
    assert response.status_code == 404
