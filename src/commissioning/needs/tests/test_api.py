"""The needs assessments API: completed ones for everyone, paged and filtered; a draft only for its body."""

import pytest

from commissioning.accounts import services as account_services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role

from .factories import BRAMLEY, assessment_for, completed_for, evidence_for

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {account_services.api_token_create(actor=user, name='t')[1]}"}


def test_the_list_holds_completed_assessments_only_paged(client, commissioner):
    done = completed_for(commissioner)
    assessment_for(commissioner, title="A draft")
    body = client.get("/api/v1/assessments").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["reference"] == done.reference and item["status"] == "completed"
    assert item["service_area"] == {"name": "Carers' support", "slug": "carers-support"}
    assert [w["name"] for w in item["wards"]] == ["Armley", "Bramley & Stanningley"]
    assert item["url"] == f"/needs/{done.reference}/"
    assert client.get("/api/v1/assessments?limit=1&offset=1").json() == {"items": [], "count": 1}


def test_the_list_filters_by_outcome_area_and_ward(client, commissioner):
    completed_for(commissioner)
    completed_for(commissioner, title="Kirkstall", ward_codes=["Kirkstall"])
    assert client.get(f"/api/v1/assessments?ward={BRAMLEY}").json()["count"] == 1
    assert client.get("/api/v1/assessments?service_area=carers-support").json()["count"] == 2
    assert client.get("/api/v1/assessments?service_area=older-people").json()["count"] == 0
    assert client.get("/api/v1/assessments?q=kirkstall").json()["count"] == 1


def test_malformed_filters_are_a_422_with_field_errors(client):
    response = client.get("/api/v1/assessments?ward=Armley&limit=1000")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} >= {"ward", "limit"}


def test_one_assessment_in_full(client, commissioner):
    done = completed_for(commissioner)
    body = client.get(f"/api/v1/assessments/{done.reference}").json()
    assert body["needs_identified"] == ["Breaks from caring", "Someone to talk to"]
    assert body["evidence"][0]["sector"] == "third_sector" and body["evidence"][0]["file_url"] is None
    assert body["ward_figures"] == [
        {"ward": {"code": "E05011389", "name": "Armley"}, "indicator": "Young carers", "year": 2025, "value": "41"}
    ]
    assert body["co_production"][0]["participants"] == 12


def test_a_draft_answers_404_unless_the_token_commissions_for_its_body(client, commissioner, administrator):
    draft = assessment_for(commissioner)
    evidence_for(commissioner, draft)
    url = f"/api/v1/assessments/{draft.reference}"
    assert client.get(url).status_code == 404
    assert client.get(url, **bearer(person_with_role(Role.COMMISSIONER))).status_code == 404
    assert client.get(url, **bearer(administrator)).status_code == 404
    response = client.get(url, **bearer(commissioner))
    assert response.status_code == 200 and response.json()["status"] == "draft"
    assert client.get("/api/v1/assessments/LNA-2026-9999").status_code == 404


def test_the_list_makes_a_bounded_number_of_queries(client, commissioner, django_assert_max_num_queries):
    for n in range(6):
        completed_for(commissioner, title=f"Assessment {n}")
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/assessments").json()["count"] == 6
