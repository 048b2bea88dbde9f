"""The submissions API: a provider's drafts through the services, and a commissioner's opening."""

import json
from datetime import UTC, timedelta

import pytest
import time_machine

from commissioning.accounts import services as account_services
from commissioning.audit.models import AuditEvent
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.submissions import canonical
from commissioning.submissions.models import Opening, SubmissionRecord

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db


def token_for(user) -> str:
    return account_services.api_token_create(actor=user, name="test")[1]


class Api:
    """A client that sends one person's token."""

    def __init__(self, client, user):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"}

    def get(self, path):
        return self.client.get(f"/api/v1{path}", **self.headers)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json", **self.headers
        )

    def put(self, path, body):
        return self.client.put(f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **self.headers)


@pytest.fixture
def opportunity():
    return tender()


@pytest.fixture
def charity():
    return bidder()


@pytest.fixture
def api(client, charity):
    return Api(client, charity[0])


def test_start_read_and_list_a_bid(api, opportunity, charity):
    _, organisation = charity
    started = api.post("/submissions", {"opportunity": opportunity.reference})
    assert started.status_code == 201
    body = started.json()
    assert body["organisation"] == organisation.slug
    assert body["status"] == "draft"
    assert [a["number"] for a in body["answers"]] == [1, 2, 3]
    assert body["records"] == []
    assert any(p["section"] == "lots" for p in body["problems"])
    again = api.post("/submissions", {"opportunity": opportunity.reference})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    listed = api.get("/submissions").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert api.get(f"/submissions/{body['id']}").json()["opportunity"] == opportunity.reference


def test_lots_are_saved_with_exact_prices_and_the_floor_is_named(api, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    first, second = opportunity.lots.order_by("number")
    saved = api.put(f"/submissions/{submission.public_id}/lots", {"lots": [{"number": 1, "price": "29000.50"}]})
    assert saved.status_code == 200
    assert [(lot["number"], lot["price"]) for lot in saved.json()["lots"]] == [(1, "29000.50")]

    below = api.put(
        f"/submissions/{submission.public_id}/lots",
        {"lots": [{"number": 1, "price": "30000.00"}, {"number": 2, "price": "100.00"}]},
    )
    assert below.status_code == 422
    errors = below.json()["errors"]
    assert errors[0]["field"] == "lots.1.price"
    assert "minimum acceptable price of £28,000" in errors[0]["message"]
    assert [b.lot_id for b in submission.lot_bids.all()] == [first.pk]  # nothing changed

    for malformed in ({"lots": [{"number": 1, "price": "30000"}]}, {"lots": [{"number": 1, "price": 30000.5}]}):
        response = api.put(f"/submissions/{submission.public_id}/lots", malformed)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "lots.0.price"
    unknown = api.put(f"/submissions/{submission.public_id}/lots", {"lots": [{"number": 9, "price": "30000.00"}]})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "lots.0.number"
    twice = api.put(
        f"/submissions/{submission.public_id}/lots",
        {"lots": [{"number": 2, "price": "30000.00"}, {"number": 2, "price": "30000.00"}]},
    )
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "lots.1.number"
    assert second.pk not in [b.lot_id for b in submission.lot_bids.all()]


def test_answers_are_saved_as_typed(api, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    response = api.put(f"/submissions/{submission.public_id}/answers/2", {"text": "We work with\n\nlocal groups."})
    assert response.status_code == 200
    assert response.json()["words"] == 5 and response.json()["question"].startswith("How will you involve")
    assert submission.answers.get(question__number=2).text == "We work with\n\nlocal groups."
    assert api.put(f"/submissions/{submission.public_id}/answers/7", {"text": "x"}).status_code == 404
    far_over = api.put(f"/submissions/{submission.public_id}/answers/1", {"text": "word " * 1501})
    assert far_over.status_code == 422 and far_over.json()["errors"][0]["field"] == "text"


def test_submitting_is_idempotent_and_gives_the_receipt(api, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    declaration = {"declaration_name": "Ada Lovelace", "declaration_role": "Chair", "confirmed": True}
    first = api.post(f"/submissions/{submission.public_id}/submit", declaration)
    assert first.status_code == 200
    receipt = first.json()
    assert receipt["number"] == 1
    assert receipt["sha256"] == canonical.digest(receipt["canonical"])
    again = api.post(f"/submissions/{submission.public_id}/submit", declaration)
    assert again.status_code == 200 and again.json() == receipt
    assert SubmissionRecord.objects.filter(submission=submission).count() == 1
    records = api.get(f"/submissions/{submission.public_id}").json()["records"]
    assert [(r["number"], r["sha256"], r["withdrawn_at"]) for r in records] == [(1, receipt["sha256"], None)]


def test_an_incomplete_or_unconfirmed_submit_is_refused_with_reasons(api, opportunity, charity):
    _, organisation = charity
    started = api.post("/submissions", {"opportunity": opportunity.reference}).json()
    declaration = {"declaration_name": "Ada Lovelace", "declaration_role": "Chair", "confirmed": True}
    incomplete = api.post(f"/submissions/{started['id']}/submit", declaration)
    assert incomplete.status_code == 422
    fields = {e["field"] for e in incomplete.json()["errors"]}
    assert {"lots", "evidence", "question-1", "commitments"} <= fields
    unconfirmed = api.post(f"/submissions/{started['id']}/submit", declaration | {"confirmed": False})
    assert unconfirmed.status_code == 422
    assert unconfirmed.json()["errors"] == [{"field": "confirmed", "message": "Confirm the declaration"}]


def test_late_writes_are_refused_and_the_draft_kept(api, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    declaration = {"declaration_name": "Ada Lovelace", "declaration_role": "Chair", "confirmed": True}
    with time_machine.travel(opportunity.submission_deadline, tick=False):
        late = api.post(f"/submissions/{submission.public_id}/submit", declaration)
        assert late.status_code == 409
        assert "The deadline was" in late.json()["detail"] and "Your draft is kept" in late.json()["detail"]
        answer = api.put(f"/submissions/{submission.public_id}/answers/1", {"text": "Too late."})
        assert answer.status_code == 409
        lots = api.put(f"/submissions/{submission.public_id}/lots", {"lots": [{"number": 1, "price": "30000.00"}]})
        assert lots.status_code == 409
    assert not submission.records.exists()
    assert submission.answers.get(question__number=1).text == "Our answer to question 1."


def test_another_organisations_bid_is_not_found(client, opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    stranger = Api(client, bidder()[0])
    commissioner = Api(client, opportunity.created_by)
    for api in (stranger, commissioner):
        assert api.get(f"/submissions/{submission.public_id}").status_code == 404
        assert api.put(f"/submissions/{submission.public_id}/answers/1", {"text": "x"}).status_code == 404
        assert (
            api.put(
                f"/submissions/{submission.public_id}/lots", {"lots": [{"number": 1, "price": "30000.00"}]}
            ).status_code
            == 404
        )
        declaration = {"declaration_name": "X", "declaration_role": "Y", "confirmed": True}
        assert api.post(f"/submissions/{submission.public_id}/submit", declaration).status_code == 404
    assert stranger.get("/submissions").json()["count"] == 0
    assert commissioner.post("/submissions", {"opportunity": opportunity.reference}).status_code == 403
    other = stranger.post("/submissions", {"opportunity": opportunity.reference, "organisation": organisation.slug})
    assert other.status_code == 404


def test_the_commissioner_is_refused_until_the_deadline_then_until_opened(client, opportunity, charity):
    person, organisation = charity
    submit(person, complete(opportunity, person, organisation))
    commissioner = opportunity.created_by
    api = Api(client, commissioner)
    path = f"/opportunities/{opportunity.reference}/submissions"
    deadline = opportunity.submission_deadline.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    with time_machine.travel(opportunity.submission_deadline - timedelta(seconds=1), tick=False):
        sealed = api.get(path)
        assert sealed.status_code == 403 and sealed.json() == {"detail": f"sealed until {deadline}"}
        early = api.post(f"{path}/open")
        assert early.status_code == 409 and early.json() == {"detail": f"sealed until {deadline}"}
    assert not Opening.objects.exists()
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        ready = api.get(path)
        assert ready.status_code == 403 and ready.json() == {"detail": "not opened yet"}
        opened = api.post(f"{path}/open")
        assert opened.status_code == 200
        assert opened.json()["submissions"] == 1 and opened.json()["opened_by"] == commissioner.full_name
        assert opened.json()["statistics"]["per_lot"] == {"1": 1, "2": 1}
        assert api.post(f"{path}/open").json()["opened_at"] == opened.json()["opened_at"]
        listed = api.get(path)
        assert listed.status_code == 200
        [only] = listed.json()["submissions"]
        assert only["organisation"] == organisation.name
        assert only["sha256"] == canonical.digest(only["canonical"])
        assert only["document"]["lots"][0]["price"] == "30000.00"
    assert AuditEvent.objects.filter(verb="submissions.open").count() == 1


def test_only_the_opportunitys_commissioners_reach_its_submissions(client, opportunity):
    path = f"/opportunities/{opportunity.reference}/submissions"
    for user in (commissioner_at(), bidder()[0]):
        api = Api(client, user)
        assert api.get(path).status_code == 404
        assert api.post(f"{path}/open").status_code == 404
    assert client.get(f"/api/v1{path}").status_code == 401
