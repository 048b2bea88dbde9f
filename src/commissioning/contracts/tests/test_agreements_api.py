"""API of a party's own agreements: the commissioner's (drafts too) and the provider's (never its drafts)."""

from datetime import timedelta

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core import clock
from commissioning.evaluation.tests.test_api import get

from .. import payments
from ..models import ReturnStatus
from .factories import direct_agreement, provider_member
from .test_returns import accepted

pytestmark = pytest.mark.django_db


def test_a_provider_lists_its_issued_and_accepted_agreements_never_a_draft_or_anothers(client):
    running = accepted()
    waiting = direct_agreement(commissioner=running.commissioner_person, provider=running.provider, issue=True)
    direct_agreement(commissioner=running.commissioner_person, provider=running.provider)  # a draft
    direct_agreement(accept_as=True)  # another provider's
    body = get(client, "/agreements", provider_member(running)).json()
    assert body["count"] == 2
    assert {i["reference"] for i in body["items"]} == {running.reference, waiting.reference}
    item = next(i for i in body["items"] if i["reference"] == running.reference)
    assert item["your_side"] == "provider" and item["url"] == f"/contracts/yours/{running.reference}/"
    assert item["returns"]["not_started"] == running.returns.count() and item["returns"]["accepted"] == 0
    assert item["payments_scheduled"] == running.payments.count() and item["payments_paid"] == 0
    assert item["next_return_due"] == min(r.due_on for r in running.returns.all()).isoformat()
    assert item["document_digest"] == running.document_digest and item["supplier"]["identifier"].startswith("GB-")


def test_a_commissioner_lists_its_bodys_agreements_drafts_too_and_filters_them(client):
    running = accepted()
    draft = direct_agreement(commissioner=running.commissioner_person)
    direct_agreement(accept_as=True)  # another body's
    person = running.commissioner_person
    body = get(client, "/agreements", person).json()
    assert {i["reference"] for i in body["items"]} == {running.reference, draft.reference}
    assert {i["your_side"] for i in body["items"]} == {"commissioner"}
    drafts = get(client, "/agreements?status=draft", person).json()
    assert [i["reference"] for i in drafts["items"]] == [draft.reference]
    assert get(client, "/agreements?status=lost", person).status_code == 422


def test_one_agreement_has_its_plan_kpis_and_payments_with_days_to_pay(client):
    running = accepted()
    payment = running.payments.order_by("number").first()
    assert payment.due_on + timedelta(days=35) <= clock.today()
    payments.payment_record(
        actor=running.commissioner_person,
        payment=payment,
        invoice_received_on=payment.due_on,
        paid_on=payment.due_on + timedelta(days=35),
    )
    body = get(client, f"/agreements/{running.reference}", running.admin).json()
    assert [m["name"] for m in body["measures"]] == ["People helped"] and body["measures"][0]["target"] == "100.00"
    assert [r["number"] for r in body["plan"]] == sorted(running.returns.values_list("number", flat=True))
    assert body["plan"][0]["status"] == ReturnStatus.NOT_STARTED
    first = body["payments"][0]
    assert first["days_to_pay"] == 35 and first["within_terms"] is False and body["payments_paid"] == 1
    assert body["payments"][1]["days_to_pay"] is None and body["payments"][1]["within_terms"] is None


def test_an_agreement_not_yours_a_providers_draft_and_a_bad_reference_are_refused(client):
    running = accepted()
    draft = direct_agreement(commissioner=running.commissioner_person, provider=running.provider)
    stranger = person_with_role(Role.PROVIDER_ADMIN)
    assert get(client, f"/agreements/{running.reference}", stranger).status_code == 404
    assert get(client, f"/agreements/{draft.reference}", running.admin).status_code == 404
    assert get(client, f"/agreements/{draft.reference}", running.commissioner_person).status_code == 200
    assert get(client, "/agreements/AG-1", running.admin).status_code == 422
    assert get(client, "/agreements").status_code == 401
    assert get(client, "/agreements", stranger).json()["count"] == 0


def test_a_page_of_agreements_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    first = accepted()
    for _ in range(6):
        direct_agreement(commissioner=first.commissioner_person, provider=first.provider, accept_as=first.admin)
    person = first.commissioner_person
    with django_assert_max_num_queries(16) as few:  # with making the token and signing in by it
        assert get(client, "/agreements", person).json()["count"] == 7
    for _ in range(10):
        direct_agreement(commissioner=first.commissioner_person, provider=first.provider, accept_as=first.admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, "/agreements", person).json()["count"] == 17
