"""The demo agreements: one from an award after its standstill, accepted; a grant outside a round to the
same provider from the ICB, running; a direct award waiting for acceptance; none during a standstill."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from commissioning.evaluation.demo import HOME_FROM_HOSPITAL, YOUNG_CARERS_WELLBEING
from commissioning.practice.selectors import rule_outcomes_for

from ..demo import DIGITAL_INCLUSION, DROP_INS, SHORT_BREAKS
from ..models import Agreement, AgreementStatus, PaymentBasis

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data", quiet=True)


def test_the_demo_agreements_at_each_stage(demo):
    contract = Agreement.objects.get(opportunity__title=HOME_FROM_HOSPITAL)
    assert (
        contract.status == AgreementStatus.ACCEPTED
        and contract.issued_at > contract.opportunity.evaluation.standstill_ends
    )
    assert contract.measures.count() == 2 and contract.returns.exists() and contract.payments.exists()

    grant = Agreement.objects.get(title=DIGITAL_INCLUSION)
    assert grant.status == AgreementStatus.ACCEPTED and grant.kind == "grant"
    assert grant.payment_basis == PaymentBasis.ADVANCE and grant.provider == contract.provider
    assert grant.commissioner != contract.commissioner  # one provider, two commissioners, one calendar
    cm1 = next(o for o in rule_outcomes_for(obj=grant) if o.rule.code == "CM-1")
    assert cm1.outcome == "explained"  # quarterly returns, more than its tier allows, explained and confirmed

    states = set(grant.returns.values_list("status", flat=True))
    assert {"accepted", "queried", "submitted", "draft", "not_started"} <= states
    assert grant.returns.get(number=2).reviews.count() == 2  # queried, answered, accepted
    paid = [p for p in grant.payments.all() if p.paid_on]
    late = [p for p in paid if (p.paid_on - p.invoice_received_on).days > 30]
    assert paid and late and len(late) < len(paid)
    assert grant.payments.filter(paid_on__isnull=True, invoice_received_on__isnull=False).exists()
    assert grant.beneficiary_feedback.count() == 4 and grant.beneficiary_feedback.exclude(response="").exists()

    uplift = grant.variations.get()
    assert uplift.kind == "uplift" and uplift.status == "approved" and uplift.decided_by != uplift.proposed_by
    assert grant.value == Decimal("120000.00") + uplift.value_change > Decimal("120000.00")
    assert sum(p.amount for p in grant.payments.all()) == grant.value
    extension = contract.variations.get()
    assert extension.kind == "term" and extension.status == "proposed" and extension.new_ends_on > contract.ends_on
    assert extension.proposed_by.email == "commissioner@leeds-council.example"

    waiting = Agreement.objects.get(title=SHORT_BREAKS)
    assert waiting.status == AgreementStatus.ISSUED and waiting.origin == "direct_award"

    assert not Agreement.objects.filter(opportunity__title=YOUNG_CARERS_WELLBEING).exists()


def test_loading_again_makes_no_agreement_twice(demo):
    before = list(Agreement.objects.values_list("reference", "status"))
    call_command("load_demo_data", quiet=True)
    assert list(Agreement.objects.values_list("reference", "status")) == before


def test_the_grant_is_assessed_and_a_council_return_is_covered_by_the_icbs(demo):
    grant = Agreement.objects.get(title=DIGITAL_INCLUSION)
    assert grant.needs_performance_assessment and grant.returns_per_year == 4
    (assessment,) = grant.assessments.all()
    assert assessment.rating == "approaching" and [m["rating"] for m in assessment.measure_ratings] == [
        "other",
        "approaching",
    ]
    drop_ins = Agreement.objects.get(title=DROP_INS)
    assert drop_ins.provider == grant.provider and drop_ins.commissioner != grant.commissioner
    (shared,) = drop_ins.returns.filter(status="shared")
    assert shared.covered_by.agreement == grant and shared.covered_by.status == "submitted"
    assert shared.share_proposed_by != shared.share_agreed_by
