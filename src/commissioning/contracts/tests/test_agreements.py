"""Agreements from awards: drafted after the standstill, issued through the Code's gate, accepted once."""

import pytest
from django.core.exceptions import PermissionDenied

from commissioning.evaluation.tests.awarded import awarded_tender, notice_published

from .. import services
from ..models import Agreement, AgreementStatus, ReturnStatus
from .factories import accept, accepted, after_standstill, issued, provider_member

pytestmark = pytest.mark.django_db


def test_nothing_is_drafted_or_issued_before_the_standstill_ends():
    opened, evaluation = awarded_tender()
    evaluation = notice_published(opened, evaluation)
    with pytest.raises(services.AgreementError, match="standstill has ended"):
        services.agreements_draft_from_award(actor=opened.commissioner, evaluation=evaluation)
    assert not Agreement.objects.exists()


def test_each_awarded_lot_becomes_one_draft_however_often_drafting_runs():
    agreed = after_standstill()
    assert len(agreed.agreements) == 2
    again = services.agreements_draft_from_award(actor=agreed.commissioner, evaluation=agreed.evaluation)
    assert again == [] and Agreement.objects.count() == 2
    first = agreed.agreement
    assert first.status == AgreementStatus.DRAFT and first.record_id == agreed.opened.opportunity.record_id
    assert first.provider == agreed.opened.bidders[0][1] and first.value == first.decision.amount


def test_issue_fixes_the_document_and_its_digest_and_acceptance_writes_the_plan():
    agreed = issued()
    agreement = agreed.agreement
    assert agreement.status == AgreementStatus.ISSUED and len(agreement.document_digest) == 64
    assert services.document_digest(agreement.document) == agreement.document_digest
    done = accept(agreed)
    assert done.status == AgreementStatus.ACCEPTED and done.accepted_digest == agreement.document_digest
    assert done.accepted_name == "Asha Patel" and done.accepted_role == "Chief Executive"
    assert done.returns.count() >= 1 and all(r.status == ReturnStatus.NOT_STARTED for r in done.returns.all())
    assert sum(p.amount for p in done.payments.all()) == done.value


def test_an_agreement_is_accepted_once_and_only_by_the_providers_administrator():
    agreed = accepted()
    agreement = agreed.agreement
    with pytest.raises(services.AgreementError, match="already been accepted"):
        accept(agreed)
    fresh = issued()
    with pytest.raises(PermissionDenied):
        services.agreement_accept(
            actor=provider_member(fresh.agreement),
            agreement=fresh.agreement,
            name="A",
            role="B",
            digest=fresh.agreement.document_digest,
        )
    with pytest.raises(PermissionDenied):
        services.agreement_accept(
            actor=fresh.commissioner,
            agreement=fresh.agreement,
            name="A",
            role="B",
            digest=fresh.agreement.document_digest,
        )
    assert agreement.returns.count() == Agreement.objects.get(pk=agreement.pk).returns.count()


def test_a_document_that_changed_since_it_was_read_is_not_accepted():
    agreed = issued()
    with pytest.raises(services.AgreementError, match="changed since you opened it"):
        services.agreement_accept(
            actor=agreed.provider_admin(), agreement=agreed.agreement, name="A", role="B", digest="0" * 64
        )
    assert Agreement.objects.get(pk=agreed.agreement.pk).status == AgreementStatus.ISSUED
