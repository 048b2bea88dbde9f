"""The API after the award: public awards (checked against the OCDS 1.1.5 award), a bidder's results and letters."""

import copy
import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

import jsonschema
import pytest

from commissioning.accounts import services as account_services

from .awarded import awarded_grant, awarded_tender, notice_published
from .factories import opened_tender

pytestmark = pytest.mark.django_db

OCDS = Path(__file__).resolve().parents[4].parent / "shared" / "standards" / "ocds-1.1"


def token_for(user) -> str:
    return account_services.api_token_create(actor=user, name=f"test {uuid4()}")[1]


def get(client, path, user=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"} if user else {}
    return client.get(f"/api/v1{path}", **headers)


@pytest.fixture
def awarded():
    opened, evaluation = awarded_tender()
    yield opened, evaluation


# ---------------------------------------------------------------------------
# Public awards


def test_awards_are_public_with_supplier_identifier_value_and_standstill(client, awarded):
    opened, evaluation = awarded
    response = get(client, "/awards")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2  # both lots went to the first bid
    _, winner, submission = opened.bidders[0]
    primary = winner.primary_identifier
    first = body["items"][0]
    assert first["opportunity"]["reference"] == opened.opportunity.reference
    assert first["opportunity"]["title"] == opened.opportunity.title
    assert first["lot"] == {"number": 1, "title": "Lot 1"}
    assert first["supplier"]["name"] == winner.name
    assert first["supplier"]["identifier"] == primary.org_id and first["supplier"]["identifier"].startswith("GB-CHC-")
    assert first["value"] == {"amount": "30000.00", "currency": "GBP"}
    assert first["date"].startswith(evaluation.decided_at.isoformat()[:16])
    assert first["standstill"]["working_days"] == 8
    # Until the award notice's publication is recorded the standstill has not started.
    assert first["standstill"]["start"] is None and first["standstill"]["end"] is None
    assert "beginning with the day the award notice is published" in first["standstill"]["rule"]
    assert first["standstill"]["notice"] == "award notice"
    evaluation = notice_published(opened, evaluation)
    first = get(client, "/awards").json()["items"][0]
    assert first["standstill"]["start"].startswith(evaluation.notice_published_at.isoformat()[:16])
    assert first["standstill"]["start"] < first["standstill"]["end"]
    losers = {organisation.name for _, organisation, _ in opened.bidders[1:]}
    assert not losers & {item["supplier"]["name"] for item in body["items"]}


def test_awards_page_like_the_opportunities_list(client, awarded):
    page = get(client, "/awards?limit=1&offset=1").json()
    assert page["count"] == 2 and len(page["items"]) == 1 and page["items"][0]["lot"]["number"] == 2
    assert get(client, "/awards?limit=0").status_code == 422
    assert get(client, "/awards?limit=101").status_code == 422
    refused = get(client, "/awards?lot=1")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "lot"


def test_nothing_is_listed_before_the_award(client):
    opened = opened_tender()
    from commissioning.evaluation import services

    services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    assert get(client, "/awards").json() == {"items": [], "count": 0}


def test_a_grant_award_has_no_standstill(client):
    opened, evaluation = awarded_grant()
    items = get(client, "/awards").json()["items"]
    assert len(items) == 2 and all(item["standstill"] is None for item in items)
    assert {item["value"]["amount"] for item in items} == {"9000.00"}
    assert {item["opportunity"]["kind"] for item in items} == {"grant"}


def test_the_awards_list_costs_a_fixed_number_of_queries(client, awarded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert get(client, "/awards").status_code == 200


def _ocds_award_validator():
    """The OCDS 1.1.5 release schema's Award, with the lots extension's relatedLots and the UK
    extension's standstillPeriod merged in, as a draft-04 validator."""
    schema = json.loads((OCDS / "schema" / "release-schema.json").read_text())
    definitions = copy.deepcopy(schema["definitions"])
    for extension in ("lots", "uk"):
        patch = json.loads((OCDS / "extensions" / extension / "release-schema.json").read_text())
        award = patch.get("definitions", {}).get("Award", {}).get("properties", {})
        definitions["Award"]["properties"].update(award)
    award_schema = {"$ref": "#/definitions/Award", "definitions": definitions}
    formats = jsonschema.FormatChecker()

    @formats.checks("date-time", raises=ValueError)
    def date_time(value) -> bool:
        # RFC 3339: a full date and time with its offset.
        return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None

    return jsonschema.Draft4Validator(award_schema, format_checker=formats)


def as_ocds_award(item: dict) -> dict:
    """Our award as an OCDS award: the fields map one to one, money as a number."""
    supplier = item["supplier"]
    award = {
        "id": item["id"],
        "status": "active",
        "date": item["date"],
        "value": {"amount": float(Decimal(item["value"]["amount"])), "currency": item["value"]["currency"]},
        "suppliers": [{"id": supplier["identifier"], "name": supplier["name"]}],
        "relatedLots": [str(item["lot"]["number"])],
    }
    if item["standstill"]:
        award["standstillPeriod"] = {"startDate": item["standstill"]["start"], "endDate": item["standstill"]["end"]}
    return award


def test_a_sample_of_awards_matches_the_ocds_award_shape(client, awarded):
    validator = _ocds_award_validator()
    identifier = json.loads((OCDS / "schema" / "release-schema.json").read_text())["definitions"]["Identifier"]
    for item in get(client, "/awards").json()["items"]:
        award = as_ocds_award(item)
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(award)]
        assert not errors, errors
        scheme, _, number = item["supplier"]["identifier"].rpartition("-")
        assert scheme == item["supplier"]["scheme"] and number == item["supplier"]["id"]
        jsonschema.Draft4Validator(identifier).validate({"scheme": scheme, "id": number})
        assert award["standstillPeriod"]["startDate"] is None  # the notice is not yet published
    notice_published(*awarded)
    for item in get(client, "/awards").json()["items"]:
        award = as_ocds_award(item)
        assert award["standstillPeriod"]["startDate"] < award["standstillPeriod"]["endDate"]
        assert not [e.message for e in validator.iter_errors(award)]
    # The validator does check: a bad status or date is caught.
    broken = as_ocds_award(get(client, "/awards").json()["items"][0]) | {"status": "won", "date": "yesterday"}
    assert len(list(validator.iter_errors(broken))) == 2


# ---------------------------------------------------------------------------
# A bidder's results and letters
