"""API of a provider's monitoring returns: its own returns read, one submitted as JSON, 422/404/409 otherwise."""

import json

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core.geography import leeds_wards
from commissioning.evaluation.tests.test_api import get, token_for

from .. import returns
from ..models import MonitoringReturn, ReturnStatus
from .factories import provider_member
from .test_returns import accepted

pytestmark = pytest.mark.django_db


def post(client, path, body, user=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"} if user else {}
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **headers)


def whole(people=10) -> dict:
    """A whole return as JSON that adds up: ``people`` in the first ward and each characteristic's first category."""
    return {
        "measures": [{"number": 1, "actual": "120", "note": "More came than planned"}],
        "narrative": "We ran twelve sessions in Armley.",
        "spend": {"budget": "7500", "actual": "7200.50"},
        "people_reached": people,
        "breakdowns": {
            "ward": {leeds_wards()[0].code: people},
            "characteristic": {name: {cats[0].key: people} for name, cats in returns.categories().items()},
            "community": {returns.communities()[0].key: 3},
        },
    }


@pytest.fixture
def agreement():
    return accepted()


def path(agreement, number=1, rest=""):
    return f"/contracts/{agreement.reference}/returns/{number}{rest}"


def test_the_provider_lists_its_returns_and_submits_one_with_breakdowns(client, agreement):
    listed = get(client, f"/contracts/{agreement.reference}/returns", agreement.admin)
    assert listed.status_code == 200
    assert [r["number"] for r in listed.json()] == list(
        agreement.returns.order_by("number").values_list("number", flat=True)
    )
    assert listed.json()[0]["status"] == ReturnStatus.NOT_STARTED
    member = provider_member(agreement)
    answer = post(client, path(agreement, rest="/submit"), whole(), member)
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == ReturnStatus.SUBMITTED and len(body["digest"]) == 64
    assert body["people_reached"] == 10 and body["breakdowns"]["ward"] == {leeds_wards()[0].code: 10}
    assert body["breakdowns"]["community"] == {returns.communities()[0].key: 3}
    assert body["spend"]["actual"] == "7200.50"
    assert get(client, path(agreement), member).json()["digest"] == body["digest"]


def test_submitting_twice_makes_one_submission(client, agreement):
    assert post(client, path(agreement, rest="/submit"), whole(), agreement.admin).status_code == 200
    digest = MonitoringReturn.objects.get(agreement=agreement, number=1).digest
    again = post(client, path(agreement, rest="/submit"), whole(12), agreement.admin)
    assert again.status_code == 409 and "already been submitted" in again.json()["detail"]
    kept = MonitoringReturn.objects.get(agreement=agreement, number=1)
    assert kept.digest == digest and kept.people_reached == 10


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b | {"people_reached": -1}, "people_reached"),
        (lambda b: b | {"people_reached": "ten"}, "people_reached"),
        (lambda b: b | {"people_reached": 2.5}, "people_reached"),
        (lambda b: b | {"breakdowns": {"ward": {leeds_wards()[0].code: -4}}}, "breakdowns.ward"),
        (lambda b: b | {"breakdowns": {"community": {"x": "lots"}}}, "breakdowns.community"),
        (lambda b: b | {"narrative": None}, "narrative"),
        (lambda b: b | {"narrative": "\u200b\u200b "}, "narrative"),
        (lambda b: b | {"case_studies": "\u202eevil"}, "case_studies"),
    ],
)
def test_malformed_counts_are_422_with_the_field_named(client, agreement, change, field):
    answer = post(client, path(agreement, rest="/submit"), change(whole()), agreement.admin)
    assert answer.status_code == 422
    assert any(e["field"].startswith(field) for e in answer.json()["errors"]), answer.json()
    assert MonitoringReturn.objects.get(agreement=agreement, number=1).status == ReturnStatus.NOT_STARTED


def test_what_the_agreement_does_not_ask_for_is_refused_by_name(client, agreement):
    body = whole()
    body["measures"].append({"number": 7, "actual": "1"})
    body["breakdowns"]["ward"]["E99999999"] = 1
    body["breakdowns"]["characteristic"]["age"]["over_the_moon"] = 1
    answer = post(client, path(agreement, rest="/submit"), body, agreement.admin)
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert fields == {"measures.1.number", "breakdowns.ward.E99999999", "breakdowns.characteristic.age.over_the_moon"}


def test_breakdowns_not_adding_up_are_refused_unless_explained_and_a_refusal_changes_nothing(client, agreement):
    body = whole() | {"people_reached": 12}
    answer = post(client, path(agreement, rest="/submit"), body, agreement.admin)
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["mismatch_explanation"]
    kept = MonitoringReturn.objects.get(agreement=agreement, number=1)
    assert kept.status == ReturnStatus.NOT_STARTED and kept.draft == {}
    explained = body | {"mismatch_explanation": "Two people joined one session and gave no details"}
    answer = post(client, path(agreement, rest="/submit"), explained, agreement.admin)
    assert answer.status_code == 200 and answer.json()["mismatch_explanation"].startswith("Two people")


def test_a_service_refusal_names_the_json_field(client, agreement):
    body = whole()
    body["measures"] = []
    answer = post(client, path(agreement, rest="/submit"), body, agreement.admin)
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"measures.1.actual"}


def test_another_providers_or_a_commissioners_token_gets_404_and_none_gets_401(client, agreement):
    for stranger in (person_with_role(Role.PROVIDER_ADMIN), agreement.commissioner_person):
        assert get(client, f"/contracts/{agreement.reference}/returns", stranger).status_code == 404
        assert get(client, path(agreement), stranger).status_code == 404
        assert post(client, path(agreement, rest="/submit"), whole(), stranger).status_code == 404
    assert get(client, path(agreement, 99), agreement.admin).status_code == 404
    assert get(client, f"/contracts/{agreement.reference}/returns").status_code == 401
    assert post(client, path(agreement, rest="/submit"), whole()).status_code == 401
    assert MonitoringReturn.objects.get(agreement=agreement, number=1).status == ReturnStatus.NOT_STARTED


def test_the_list_answers_in_a_bounded_number_of_queries(client, agreement, django_assert_max_num_queries):
    header = {"HTTP_AUTHORIZATION": f"Bearer {token_for(agreement.admin)}"}
    with django_assert_max_num_queries(12):
        assert client.get(f"/api/v1/contracts/{agreement.reference}/returns", **header).status_code == 200


def test_a_breakdown_or_spend_the_agreement_does_not_ask_for_is_refused(client):
    agreement = accepted()
    agreement.breakdowns = ["ward"]
    agreement.spend_reported = False
    agreement.save(update_fields=["breakdowns", "spend_reported"])
    answer = post(client, path(agreement, rest="/submit"), whole(), agreement.admin)
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {
        "spend",
        "breakdowns.characteristic",
        "breakdowns.community",
    }
    body = whole() | {"spend": None, "breakdowns": {"ward": {leeds_wards()[0].code: 10}}}
    assert post(client, path(agreement, rest="/submit"), body, agreement.admin).status_code == 200
