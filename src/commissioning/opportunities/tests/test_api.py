"""The opportunities API: the public finder and record, and a commissioner's drafts through to publishing."""

import itertools
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.accounts import services as account_services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import VerifiedProviderFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.opportunities import services
from commissioning.opportunities.models import Opportunity, ServiceArea, Status

from .factories import commissioner_at, draft, explain, published

pytestmark = pytest.mark.django_db

LIST = "/api/v1/opportunities"


_tokens = itertools.count()


def bearer(user) -> dict:
    _, secret = account_services.api_token_create(actor=user, name=f"t{next(_tokens)}")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(client, method: str, path: str, body=None, **headers):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(path, data=data, content_type="application/json", **headers)


def field_errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def body_of(commissioner) -> str:
    return commissioner.memberships.get(role=Role.COMMISSIONER).organisation.slug


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def new_draft(commissioner, **overrides) -> dict:
    """A create body for a complete draft (its lots, questions and event are added separately)."""
    deadline = (clock.now() + timedelta(days=45)).replace(hour=12, minute=0, second=0, microsecond=0)
    award = clock.london(deadline).date() + timedelta(days=21)
    return {
        "lead_commissioner": body_of(commissioner),
        "kind": "tender",
        "title": "Befriending for older people in Otley",
        "summary": "Weekly befriending visits for isolated older people.",
        "description": "We want a service led by volunteers.",
        "service_area": "older-people",
        "city_wide": False,
        "wards": ["E05011406"],
        "outcomes": "Fewer people lonely\nMore people out and about",
        "total_value": "80000.00",
        "value_includes_vat": True,
        "duration_months": 24,
        "question_deadline": (deadline - timedelta(days=10)).isoformat(),
        "submission_deadline": deadline.isoformat(),
        "expected_award": award.isoformat(),
        "service_start": (award + timedelta(days=70)).isoformat(),
        "price_weight": "30",
        "price_method": "lowest_proportional",
        "social_value_ambitions_referenced": True,
        "compact_clause_in_terms": True,
        **overrides,
    }


# ---------------------------------------------------------------------------
# Public reads


@pytest.fixture
def catalogue():
    commissioner = commissioner_at()
    befriending = published(
        commissioner,
        title="Befriending for older people in Wetherby",
        value=Decimal(20_000),
        lots=1,
        questions=[
            {"kind": "quality", "text": "Q", "word_limit": 200, "weight": Decimal(60)},
            {"kind": "social_value", "text": "SV", "word_limit": 200, "weight": Decimal(10)},
        ],
    )
    mentoring = published(commissioner, title="Youth mentoring in Beeston", kind="grant", value=Decimal(60_000))
    transport = published(
        commissioner,
        title="Accessible transport across Leeds",
        service_area=ServiceArea.objects.get(slug="community-transport"),
        value=Decimal(900_000),
        lots=2,
        city_wide=True,
        ward_codes=[],
    )
    draft(commissioner, title="Secret draft about mentoring")
    return {"befriending": befriending, "mentoring": mentoring, "transport": transport}


def test_the_list_is_public_and_shows_what_the_finder_shows(client, catalogue):
    body = client.get(LIST).json()
    assert body["count"] == 3
    item = next(i for i in body["items"] if i["title"].startswith("Befriending"))
    opportunity = catalogue["befriending"]
    assert item == {
        "reference": opportunity.reference,
        "kind": "tender",
        "title": "Befriending for older people in Wetherby",
        "summary": opportunity.summary,
        "status": "open",
        "service_area": {"slug": "mental-health-and-wellbeing", "name": "Mental health and wellbeing"},
        "lead_commissioner": {"slug": opportunity.lead_commissioner.slug, "name": opportunity.lead_commissioner.name},
        "total_value": "20000.00",
        "value_includes_vat": True,
        "submission_deadline": item["submission_deadline"],
        "published_at": item["published_at"],
        "city_wide": False,
        "wards": [{"code": "E05011398", "name": "Gipton & Harehills"}],
        "url": f"/opportunities/{opportunity.reference}/",
    }
    assert item["submission_deadline"].startswith(opportunity.submission_deadline.date().isoformat())


def test_the_list_filters_like_the_finder(client, catalogue):
    assert titles(client.get(LIST, {"q": "befriend"})) == ["Befriending for older people in Wetherby"]
    assert titles(client.get(LIST, {"q": "mentoring beeston"})) == ["Youth mentoring in Beeston"]
    assert titles(client.get(LIST, {"kind": "grant"})) == ["Youth mentoring in Beeston"]
    assert titles(client.get(LIST, {"service_area": "community-transport"})) == ["Accessible transport across Leeds"]
    assert titles(client.get(LIST, {"service_area": "no-such-area"})) == []
    assert titles(client.get(LIST, {"value_band": "up_to_25k"})) == ["Befriending for older people in Wetherby"]
    assert titles(client.get(LIST, {"value_band": "over_500k"})) == ["Accessible transport across Leeds"]
    # a city-wide opportunity shows for any ward
    assert titles(client.get(LIST, {"ward": "E05011418"})) == ["Accessible transport across Leeds"]
    assert len(titles(client.get(LIST, {"ward": "E05011398"}))) == 3
    assert "Accessible transport across Leeds" not in titles(client.get(LIST, {"small_organisations": "true"}))
    assert titles(client.get(LIST, {"sort": "value"}))[0] == "Accessible transport across Leeds"
    deadline = clock.london(catalogue["befriending"].submission_deadline).date()
    assert len(titles(client.get(LIST, {"closing_before": deadline.isoformat()}))) == 3
    assert titles(client.get(LIST, {"closing_before": (deadline - timedelta(days=1)).isoformat()})) == []
    # an empty filter is no filter, as in the finder's form
    assert len(titles(client.get(LIST, {"q": "", "kind": "", "ward": "", "value_band": "", "service_area": ""}))) == 3
    # drafts are never listed, whatever is searched
    assert "Secret draft about mentoring" not in titles(client.get(LIST, {"q": "secret", "state": "all"}))


def test_closed_opportunities_show_when_asked(client, catalogue):
    with time_machine.travel(catalogue["befriending"].submission_deadline + timedelta(minutes=1)):
        assert titles(client.get(LIST)) == []
        closed = client.get(LIST, {"state": "closed"}).json()["items"]
        assert {i["status"] for i in closed} == {"closed"} and len(closed) == 3
        assert len(titles(client.get(LIST, {"state": "all"}))) == 3


def test_malformed_filters_get_field_errors(client):
    response = client.get(
        LIST,
        {
            "kind": "contract",
            "ward": "Armley",
            "value_band": "huge",
            "state": "soon",
            "sort": "random",
            "closing_before": "31/12/2026",
            "service_area": "no spaces!",
            "small_organisations": "perhaps",
            "limit": "1000",
        },
    )
    assert set(field_errors(response)) == {
        "kind",
        "ward",
        "value_band",
        "state",
        "sort",
        "closing_before",
        "service_area",
        "small_organisations",
        "limit",
    }


def test_search_text_is_never_read_as_query_syntax(client, catalogue):
    published_references = {o.reference for o in catalogue.values()}
    for text in ['"', "befriend OR", "NEAR(", "*", "a:b", "-", "_", "x & y | !z", "'); DROP TABLE x; --"]:
        response = client.get(LIST, {"q": text})
        assert response.status_code == 200, text
        body = response.json()
        # Read as words, never as syntax: an answer from the published list (never the draft), counted.
        assert {i["reference"] for i in body["items"]} <= published_references, text
        assert body["count"] == len(body["items"]), text
    # "OR" is a word, not an operator: it never widens the search beyond what "befriending" finds.
    # (PostgreSQL's English search leaves out common words such as "or"; SQLite's looks for them.)
    found = [i["title"] for i in client.get(LIST, {"q": "befriending"}).json()["items"]]
    assert found == ["Befriending for older people in Wetherby"]
    for text in ("befriending OR", "befriending OR advice", "befriending OR *"):
        assert {i["title"] for i in client.get(LIST, {"q": text}).json()["items"]} <= set(found), text


def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    commissioner = commissioner_at()
    for n in range(12):
        published(commissioner, title=f"Opportunity {n}", lots=1)
    # the count, the page, and the wards of the page
    with django_assert_max_num_queries(3):
        response = client.get(LIST, {"state": "all", "q": "opportunity", "ward": "E05011398", "limit": 50})
    assert len(response.json()["items"]) == 12


def test_the_detail_is_the_whole_public_record(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, compact_clause_in_terms=False)
    confirmed = explain(commissioner, opportunity, "PR-11")
    document = services.document_add(
        actor=commissioner,
        opportunity=opportunity,
        kind="specification",
        title="Service specification",
        uploaded=SimpleUploadedFile("spec.pdf", b"%PDF-1.7 the specification"),
    )
    opportunity = services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    provider = VerifiedProviderFactory()
    asker = person_with_role(Role.PROVIDER_MEMBER, provider)
    asked = services.clarification_ask(
        actor=asker, organisation=provider, opportunity=opportunity, question="Can we bid as a consortium?"
    )
    services.clarification_answer(actor=commissioner, clarification=asked, answer="Yes, with a lead partner.")
    services.clarification_ask(actor=asker, organisation=provider, opportunity=opportunity, question="Unanswered?")
    services.opportunity_amend(
        actor=commissioner,
        opportunity=opportunity,
        changes={"summary": "Peer support groups across east Leeds."},
        summary="The summary now says where",
        material=False,
    )

    response = client.get(f"{LIST}/{opportunity.reference}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "open"
    assert body["summary"] == "Peer support groups across east Leeds."
    assert body["outcomes"] == ["Fewer people in crisis", "More people connected to their community"]
    assert body["duration_months"] == 24 and body["regime"] == "below_threshold"
    assert body["commissioners"] == [
        {"slug": opportunity.lead_commissioner.slug, "name": opportunity.lead_commissioner.name, "lead": True}
    ]
    assert body["lots"][0] == {
        "number": 1,
        "title": "Lot 1",
        "description": "",
        "value": "40000.00",
        "pricing": "floor",
        "floor_price": "28000.00",
        "fixed_price": None,
        "max_award": None,
        "city_wide": False,
        "wards": [{"code": "E05011398", "name": "Gipton & Harehills"}],
    }
    assert body["award_criteria"] == {
        "quality": "60.00",
        "social_value": "10.00",
        "price": "30.00",
        "price_method": "lowest_proportional",
    }
    assert [(q["number"], q["kind"], q["weight"], q["word_limit"]) for q in body["questions"]] == [
        (1, "quality", "30.00", 500),
        (2, "quality", "30.00", 500),
        (3, "social_value", "10.00", 300),
    ]
    assert set(body["timeline"]) == {
        "question_deadline",
        "submission_deadline",
        "evaluation_from",
        "expected_award",
        "service_start",
    }
    assert body["timeline"]["expected_award"] == opportunity.expected_award.isoformat()
    assert body["events"][0]["title"] == "Meet the buyer" and body["events"][0]["mode"] == "online"
    assert body["events"][0]["link"] == "https://meet.example.org/leeds"
    assert body["documents"] == [
        {
            "kind": "specification",
            "title": "Service specification",
            "content_type": "application/pdf",
            "size": document.size,
            "sha256": document.sha256,
            "url": f"/opportunities/{opportunity.reference}/documents/{document.pk}/",
        }
    ]
    assert client.get(body["documents"][0]["url"]).status_code == 200
    # answered questions only, and never who asked
    assert body["clarifications"] == [
        {
            "question": "Can we bid as a consortium?",
            "answer": "Yes, with a lead partner.",
            "published_at": body["clarifications"][0]["published_at"],
        }
    ]
    assert asker.email not in response.content.decode() and provider.name not in response.content.decode()
    assert [(a["number"], a["summary"], a["material"]) for a in body["amendments"]] == [
        (1, "The summary now says where", False)
    ]
    outcomes = {o["rule"]: o for o in body["code_outcomes"]}
    assert outcomes["PR-5"]["outcome"] == "met"
    assert outcomes["PR-11"]["outcome"] == "explained"
    assert outcomes["PR-11"]["reason"] == "Agreed with the Third Sector Partnership"
    confirmer = confirmed.explanation.decided_by
    assert outcomes["PR-11"]["agreed_by"] == (
        f"{confirmer.full_name}, commissioner, {opportunity.lead_commissioner.name}"
    )
    confirmed_at = datetime.fromisoformat(outcomes["PR-11"]["confirmed_at"])
    assert abs(confirmed_at - confirmed.explanation.decided_at) < timedelta(milliseconds=1)
    assert set(outcomes["PR-11"]) == {
        "rule",
        "title",
        "outcome",
        "detail",
        "reason",
        "agreed_by",
        "confirmed_at",
        "recorded_at",
    }


def test_the_detail_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    small = published(lots=1)
    large = published(lots=6)
    with django_assert_max_num_queries(13) as small_queries:
        client.get(f"{LIST}/{small.reference}")
    with django_assert_max_num_queries(len(small_queries)):
        assert len(client.get(f"{LIST}/{large.reference}").json()["lots"]) == 6


def test_an_unknown_or_malformed_reference_is_not_found_or_refused(client):
    assert client.get(f"{LIST}/LCH-1999-0001").json() == {"detail": "No such opportunity"}
    assert client.get(f"{LIST}/LCH-1999-0001").status_code == 404
    assert client.get(f"{LIST}/not%20a%20reference").status_code == 422


# ---------------------------------------------------------------------------
# Drafts stay hidden


def test_a_draft_is_hidden_from_the_public_and_from_other_commissioners(client):
    commissioner = commissioner_at()
    secret = draft(commissioner, title="Secret draft")
    path = f"{LIST}/{secret.reference}"
    assert client.get(path).status_code == 404
    assert client.get(LIST, {"state": "all", "q": "secret"}).json()["count"] == 0

    for outsider in (commissioner_at(), person_with_role(Role.PROVIDER_ADMIN), person_with_role(Role.EVALUATOR)):
        headers = bearer(outsider)
        # public reads do not show drafts even with a token
        assert client.get(path, **headers).status_code == 404
        assert send(client, "patch", path, {"title": "Mine now"}, **headers).status_code == 404
        lot = {"title": "Lot", "value": "100", "pricing": "fixed", "fixed_price": "100"}
        assert send(client, "post", f"{path}/lots", lot, **headers).status_code == 404
        question = {"text": "Why?", "word_limit": 100, "weight": "10"}
        assert send(client, "post", f"{path}/questions", question, **headers).status_code == 404
        assert client.get(f"{path}/check", **headers).status_code == 404
        response = client.post(f"{path}/publish", **headers)
        assert response.status_code == 404
        assert response.json() == {"detail": "There is no opportunity with that reference that you commission"}
    secret.refresh_from_db()
    assert secret.title == "Secret draft" and secret.status == Status.DRAFT and secret.lots.count() == 2
    # Its own commissioner reads it with a token; a token that is not live reads as none.
    own = client.get(path, **bearer(commissioner))
    assert own.status_code == 200 and own.json()["title"] == "Secret draft"
    assert client.get(path, HTTP_AUTHORIZATION="Bearer lch_not_a_real_token").status_code == 404


def test_a_joint_commissioner_can_work_on_the_draft(client):
    lead = commissioner_at()
    partner = commissioner_at()
    response = send(
        client,
        "post",
        LIST,
        new_draft(lead, joint_commissioners=[body_of(partner)]),
        **bearer(lead),
    )
    assert response.status_code == 201, response.content
    reference = response.json()["reference"]
    assert [c["lead"] for c in response.json()["commissioners"]] == [True, False]
    response = send(client, "patch", f"{LIST}/{reference}", {"title": "Changed by the partner"}, **bearer(partner))
    assert response.status_code == 200 and response.json()["title"] == "Changed by the partner"


# ---------------------------------------------------------------------------
# Writing a draft and publishing it


def test_a_commissioner_writes_checks_and_publishes_a_draft_through_the_api(client):
    commissioner = commissioner_at()
    headers = bearer(commissioner)
    response = send(client, "post", LIST, new_draft(commissioner), **headers)
    assert response.status_code == 201, response.content
    created = response.json()
    reference = created["reference"]
    assert created["status"] == "draft" and created["regime"] == "below_threshold"  # suggested
    assert created["total_value"] == "80000.00" and created["wards"][0]["code"] == "E05011406"
    assert AuditEvent.objects.filter(verb="opportunity.create").count() == 1
    # still hidden from the public
    assert client.get(f"{LIST}/{reference}").status_code == 404

    check = client.get(f"{LIST}/{reference}/check", **headers).json()
    assert check["ready"] is False
    assert "Add at least one lot" in check["problems"] and "Add at least one question" in check["problems"]
    assert {r["code"]: r["outcome"] for r in check["rules"]}["PR-2"] == "not_met"

    refused = client.post(f"{LIST}/{reference}/publish", **headers)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "The opportunity cannot be published yet"
    assert "Add at least one lot" in refused.json()["problems"]

    for n in (1, 2):
        lot = {"title": f"Area {n}", "value": "40000", "pricing": "floor", "floor_price": "28000.00"}
        response = send(client, "post", f"{LIST}/{reference}/lots", {**lot, "wards": ["E05011406"]}, **headers)
        assert response.status_code == 201, response.content
        assert response.json()["number"] == n and response.json()["floor_price"] == "28000.00"
    for kind, weight in (("quality", "30"), ("quality", "30"), ("social_value", "10")):
        question = {"kind": kind, "text": f"Tell us about {kind}", "word_limit": 500, "weight": weight}
        response = send(client, "post", f"{LIST}/{reference}/questions", question, **headers)
        assert response.status_code == 201, response.content
    starts = clock.now() + timedelta(days=7)
    event = {
        "title": "Meet the buyer",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "mode": "in_person",
        "address": "Civic Hall, Leeds LS1 1UR",
        "capacity": 30,
    }
    assert send(client, "post", f"{LIST}/{reference}/events", event, **headers).status_code == 201
    check = client.get(f"{LIST}/{reference}/check", **headers).json()
    assert {r["code"]: r["outcome"] for r in check["rules"]}["PL-2"] == "not_met"

    # PL-2: the options appraisal of the draft's commissioning record, through the records API
    record = client.get("/api/v1/records", **headers).json()["items"][0]["reference"]
    options = []
    for kind in ("grant", "contract"):
        option = {"kind": kind, "description": f"A {kind}", "benefits": "Reaches people", "risks": "Gaps"}
        response = send(client, "post", f"/api/v1/records/{record}/appraisal/options", option, **headers)
        assert response.status_code == 201, response.content
        options.append(response.json()["id"])
    choice = {"option": options[0], "rationale": "Small groups can apply"}
    response = send(client, "post", f"/api/v1/records/{record}/appraisal/choice", choice, **headers)
    assert response.status_code == 200 and response.json()["pl2"]["met"] is True, response.content

    check = client.get(f"{LIST}/{reference}/check", **headers).json()
    assert check == {"ready": True, "problems": [], "rules": check["rules"]}
    assert {r["outcome"] for r in check["rules"]} == {"met"}
    assert set(check["rules"][0]) == {"code", "title", "outcome", "detail"}

    response = client.post(f"{LIST}/{reference}/publish", **headers)
    assert response.status_code == 200, response.content
    published_record = response.json()
    assert published_record["status"] == "open" and published_record["published_at"]
    assert {o["outcome"] for o in published_record["code_outcomes"]} == {"met"}
    assert client.get(f"{LIST}/{reference}").status_code == 200
    assert reference in [i["reference"] for i in client.get(LIST).json()["items"]]
    # publishing twice is refused, not repeated
    again = client.post(f"{LIST}/{reference}/publish", **headers)
    assert again.status_code == 409
    assert again.json()["problems"] == ["This cannot be done while the status is published"]


def test_publishing_is_refused_until_the_codes_rules_are_met_or_explained(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, compact_clause_in_terms=False)
    headers = bearer(commissioner)
    check = client.get(f"{LIST}/{opportunity.reference}/check", **headers).json()
    assert check["ready"] is False and check["problems"] == []
    assert {r["code"]: r["outcome"] for r in check["rules"]}["PR-11"] == "not_met"

    response = client.post(f"{LIST}/{opportunity.reference}/publish", **headers)
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Before publishing, meet or explain these rules of the Code"
    assert len(body["problems"]) == 1 and body["problems"][0].startswith("PR-11 ")
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT and opportunity.published_at is None

    explain(commissioner, opportunity, "PR-11")
    check = client.get(f"{LIST}/{opportunity.reference}/check", **headers).json()
    assert check["ready"] is True
    assert {r["code"]: r["outcome"] for r in check["rules"]}["PR-11"] == "explained"
    assert client.post(f"{LIST}/{opportunity.reference}/publish", **headers).status_code == 200


def test_a_draft_changes_only_the_fields_sent(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    headers = bearer(commissioner)
    path = f"{LIST}/{opportunity.reference}"
    response = send(
        client,
        "patch",
        path,
        {"title": "  Peer support in Harehills  ", "total_value": 90000, "question_deadline": None},
        **headers,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Peer support in Harehills"
    assert body["total_value"] == "90000.00"
    assert body["timeline"]["question_deadline"] is None
    assert body["summary"] == opportunity.summary  # not sent, so unchanged
    assert [w["code"] for w in body["wards"]] == ["E05011398"]  # not sent, so unchanged
    assert AuditEvent.objects.filter(verb="opportunity.update").exists()

    # a blank regime takes the suggestion for the value and service as changed
    response = send(client, "patch", path, {"total_value": "900000", "regime": ""}, **headers)
    assert response.json()["regime"] == "light_touch"
    response = send(client, "patch", path, {"wards": [], "city_wide": True}, **headers)
    assert response.json()["wards"] == [] and response.json()["city_wide"] is True

    # null is not a value for a field the draft must have
    assert set(field_errors(send(client, "patch", path, {"title": None, "kind": None}, **headers))) == {
        "title",
        "kind",
    }


def test_a_published_opportunity_changes_only_through_an_amendment(client):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    headers = bearer(commissioner)
    path = f"{LIST}/{opportunity.reference}"
    response = send(client, "patch", path, {"title": "Too late"}, **headers)
    assert response.status_code == 409
    assert response.json() == {"detail": "A published opportunity changes only through an amendment"}
    lot = {"title": "Late lot", "value": "100", "pricing": "fixed", "fixed_price": "100"}
    assert send(client, "post", f"{path}/lots", lot, **headers).status_code == 409
    question = {"text": "Late?", "word_limit": 100, "weight": "10"}
    assert send(client, "post", f"{path}/questions", question, **headers).status_code == 409
    assert client.get(f"{path}/check", **headers).status_code == 409
    opportunity.refresh_from_db()
    assert opportunity.title != "Too late" and opportunity.lots.count() == 2


def test_a_cancelled_draft_cannot_be_changed(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    services.opportunity_cancel(actor=commissioner, opportunity=opportunity, reason="Funding withdrawn")
    response = send(client, "patch", f"{LIST}/{opportunity.reference}", {"title": "x"}, **bearer(commissioner))
    assert response.status_code == 409
    assert response.json() == {"detail": "A cancelled opportunity cannot be changed"}


# ---------------------------------------------------------------------------
# Malformed input, tokens and roles


def test_malformed_drafts_get_field_errors_and_nothing_is_saved(client):
    commissioner = commissioner_at()
    headers = bearer(commissioner)
    response = send(
        client,
        "post",
        LIST,
        new_draft(
            commissioner,
            title="   ",
            summary="Nul\x00byte",
            total_value="1000.005",
            price_weight="101",
            duration_months=0,
            question_deadline="2026-12-01T12:00:00",
            expected_award="1066-10-14",
            kind="contract",
            wards=["Armley"],
            surprise="field",
        ),
        **headers,
    )
    assert set(field_errors(response)) == {
        "title",
        "summary",
        "total_value",
        "price_weight",
        "duration_months",
        "question_deadline",
        "expected_award",
        "kind",
        "wards.0",
        "surprise",
    }
    errors = field_errors(response)
    assert errors["total_value"].endswith("Enter the amount with no more than 2 decimal places")
    assert errors["question_deadline"] == "Input should have timezone info"

    for value, message in (
        ("-5", "The amount must be zero or more"),
        (1250.5, 'Send the amount as text, like "1250.50", or as a whole number'),
        ("12,50", "Enter the amount as a number, like 1250 or 1250.50"),
        ("NaN", "Enter the amount as a number, like 1250 or 1250.50"),
        ("10000000000", "The amount must be 9,999,999,999.99 or less"),
        (12793627009195362446911471616, "The amount must be 9,999,999,999.99 or less"),
    ):
        response = send(client, "post", LIST, new_draft(commissioner, total_value=value), **headers)
        assert field_errors(response)["total_value"].endswith(message), value

    # shapes that are right but name things that do not exist
    response = send(client, "post", LIST, new_draft(commissioner, wards=["E05000000"]), **headers)
    assert field_errors(response) == {"wards": "Unknown ward: E05000000"}
    response = send(client, "post", LIST, new_draft(commissioner, service_area="basket-weaving"), **headers)
    assert field_errors(response) == {"service_area": "There is no service area 'basket-weaving'"}
    response = send(client, "post", LIST, new_draft(commissioner, joint_commissioners=["nobody"]), **headers)
    assert field_errors(response) == {"joint_commissioners": "Unknown commissioning body: nobody"}
    assert not Opportunity.objects.exists()

    response = client.post(LIST, data="{not json", content_type="application/json", **headers)
    assert response.status_code == 400


def test_malformed_lots_questions_and_events_get_field_errors(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, lots=0)
    before = (opportunity.lots.count(), opportunity.questions.count(), opportunity.events.count())
    headers = bearer(commissioner)
    path = f"{LIST}/{opportunity.reference}"
    lot = {"title": "Lot", "value": "-1", "pricing": "auction", "floor_price": "1.001", "wards": ["E05011398"] * 2}
    assert set(field_errors(send(client, "post", f"{path}/lots", lot, **headers))) == {
        "value",
        "pricing",
        "floor_price",
        "wards",
    }
    question = {"kind": "vibes", "text": "", "word_limit": 0, "weight": "100.5"}
    assert set(field_errors(send(client, "post", f"{path}/questions", question, **headers))) == {
        "kind",
        "text",
        "word_limit",
        "weight",
    }
    starts = (clock.now() + timedelta(days=7)).replace(microsecond=0)
    event = {
        "title": "Meet the buyer",
        "starts_at": starts.isoformat(),
        "ends_at": (starts - timedelta(hours=1)).isoformat(),
        "mode": "in_person",
        "capacity": 30,
    }
    assert field_errors(send(client, "post", f"{path}/events", event, **headers)) == {
        "ends_at": "The event must end after it starts"
    }
    event["ends_at"] = (starts + timedelta(hours=1)).isoformat()
    assert field_errors(send(client, "post", f"{path}/events", event, **headers)) == {
        "address": "Enter the address of the event"
    }
    # an offset PostgreSQL would refuse is the same instant in UTC
    far_west = (starts + timedelta(hours=2)).astimezone(timezone(-timedelta(hours=18, minutes=50)))
    event.update(address="Civic Hall", ends_at=far_west.isoformat())
    response = send(client, "post", f"{path}/events", event, **headers)
    assert response.status_code == 201, response.content
    assert response.json()["ends_at"] == (starts + timedelta(hours=2)).astimezone(UTC).isoformat().replace(
        "+00:00", "Z"
    )
    event.update(mode="online", link="javascript:alert(1)")
    assert set(field_errors(send(client, "post", f"{path}/events", event, **headers))) == {"link"}
    opportunity.refresh_from_db()
    lots, questions, events = before
    assert (opportunity.lots.count(), opportunity.questions.count(), opportunity.events.count()) == (
        lots,
        questions,
        events + 1,
    )


def test_writing_needs_a_live_token(client):
    opportunity = draft()
    path = f"{LIST}/{opportunity.reference}"
    for method, url in (
        ("post", LIST),
        ("patch", path),
        ("post", f"{path}/lots"),
        ("post", f"{path}/questions"),
        ("post", f"{path}/events"),
        ("get", f"{path}/check"),
        ("post", f"{path}/publish"),
    ):
        for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}):
            response = send(client, method, url, {}, **headers) if method != "get" else client.get(url, **headers)
            assert response.status_code == 401, (method, url)
            assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_the_session_does_not_authenticate_writes(client):
    commissioner = commissioner_at()
    client.force_login(commissioner)
    assert send(client, "post", LIST, new_draft(commissioner)).status_code == 401


def test_only_a_commissioner_of_the_body_can_start_a_draft(client):
    commissioner = commissioner_at()
    provider_admin = person_with_role(Role.PROVIDER_ADMIN)
    provider = provider_admin.memberships.get().organisation
    council = commissioner.memberships.get().organisation
    evaluator = person_with_role(Role.EVALUATOR, council)
    refusals = [
        (provider_admin, council.slug),  # a provider for a commissioning body
        (provider_admin, provider.slug),  # a provider for its own organisation, which does not commission
        (evaluator, council.slug),  # a member of the body without the commissioner role
        (commissioner_at(), council.slug),  # a commissioner for another body
        (commissioner, "no-such-body"),
    ]
    for user, slug in refusals:
        response = send(client, "post", LIST, new_draft(commissioner, lead_commissioner=slug), **bearer(user))
        assert response.status_code == 403, (user, slug)
        assert response.json() == {"detail": "You can only start opportunities for a body you commission for"}
    assert not Opportunity.objects.exists()
