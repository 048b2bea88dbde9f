"""The agreement's life: the bad paths of drafting, editing, issuing and withdrawing, and the hooks and clock."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core import chronograph, clock
from commissioning.evaluation.tests.awarded import awarded_grant, awarded_tender, notice_published
from commissioning.opportunities.tests.factories import commissioner_at

from .. import services
from ..models import Agreement, AgreementStatus
from .factories import after_standstill, direct_agreement

pytestmark = pytest.mark.django_db


def test_an_award_agreement_is_not_issued_while_the_standstill_runs():
    agreed = after_standstill()
    with time_machine.travel(agreed.evaluation.standstill_ends - timedelta(hours=1), tick=False):
        with pytest.raises(services.AgreementError, match="standstill has not ended"):
            services.agreement_issue(actor=agreed.commissioner, agreement=agreed.agreement)
    assert Agreement.objects.get(pk=agreed.agreement.pk).status == AgreementStatus.DRAFT


def test_a_grant_rounds_agreements_are_drafted_with_the_award_which_has_no_standstill():
    opened, evaluation = awarded_grant()
    made = Agreement.objects.filter(opportunity=opened.opportunity)
    assert made.count() == 2 and {a.kind for a in made} == {"grant"}
    assert {a.payment_basis for a in made} == {"advance"}


def test_the_clock_drafts_the_agreements_once_the_standstill_has_ended_and_only_once():
    opened, evaluation = awarded_tender()
    evaluation = notice_published(opened, evaluation)
    chronograph.run_due(clock.now(), only=["contracts.draft_agreements"])
    assert not Agreement.objects.exists()
    later = evaluation.standstill_ends + timedelta(minutes=5)
    assert chronograph.run_due(later, only=["contracts.draft_agreements"]) == {"contracts.draft_agreements": 2}
    assert chronograph.run_due(later, only=["contracts.draft_agreements"]) == {"contracts.draft_agreements": 0}
    assert Agreement.objects.count() == 2


def test_only_the_agreements_commissioners_draft_edit_issue_or_withdraw_it():
    agreement = direct_agreement()
    stranger = commissioner_at()
    provider = agreement.admin
    for person in (stranger, provider, person_with_role(Role.EVALUATOR, agreement.commissioner)):
        with pytest.raises(PermissionDenied):
            services.agreement_update(actor=person, agreement=agreement, title="Taken over")
        with pytest.raises(PermissionDenied):
            services.agreement_issue(actor=person, agreement=agreement)
    assert Agreement.objects.get(pk=agreement.pk).title == agreement.title


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value": Decimal("0")}, "value"),
        ({"value": Decimal("-5")}, "value"),
        ({"ends_on": date(2026, 3, 1)}, "ends_on"),
        ({"review_on": date(2020, 1, 1)}, "review_on"),
        ({"payment_interval_months": 5}, "payment_interval_months"),
        ({"returns_per_year": 0}, "returns_per_year"),
        ({"breakdowns": ["ward", "shoe size"]}, "breakdowns"),
        ({"risk": "high", "risk_reason": ""}, "risk_reason"),
    ],
)
def test_bad_terms_are_refused_on_their_field_and_nothing_changes(fields, field):
    agreement = direct_agreement()
    with pytest.raises(services.AgreementError) as refused:
        services.agreement_update(actor=agreement.commissioner_person, agreement=agreement, **fields)
    assert field in refused.value.errors
    fresh = Agreement.objects.get(pk=agreement.pk)
    assert (fresh.value, fresh.ends_on, fresh.returns_per_year) == (
        agreement.value,
        agreement.ends_on,
        agreement.returns_per_year,
    )


def test_an_issued_agreement_cannot_be_edited_but_can_be_withdrawn_with_a_reason():
    agreement = direct_agreement(issue=True)
    commissioner = agreement.commissioner_person
    with pytest.raises(services.AgreementError, match="Only a draft"):
        services.agreement_update(actor=commissioner, agreement=agreement, title="Changed after issue")
    with pytest.raises(services.AgreementError):
        services.agreement_withdraw(actor=commissioner, agreement=agreement, reason="  ")
    withdrawn = services.agreement_withdraw(actor=commissioner, agreement=agreement, reason="The end date was wrong")
    assert withdrawn.status == AgreementStatus.DRAFT and withdrawn.document_digest == ""


def test_an_accepted_agreement_cannot_be_withdrawn():
    agreement = direct_agreement(accept_as=True)
    with pytest.raises(services.AgreementError, match="not yet accepted"):
        services.agreement_withdraw(actor=agreement.commissioner_person, agreement=agreement, reason="Second thoughts")


def test_a_contract_over_the_kpi_threshold_needs_three_published_kpis():
    agreement = direct_agreement(value=Decimal("6000000.00"), months=36)
    commissioner = agreement.commissioner_person
    with pytest.raises(services.AgreementError, match="three KPIs"):
        services.agreement_issue(actor=commissioner, agreement=agreement)
    for number in range(3):
        services.measure_save(
            actor=commissioner, agreement=agreement, name=f"Outcome {number}", target=80, published=True
        )
    services.agreement_update(actor=commissioner, agreement=agreement, coordination_note="")
    assert services.agreement_issue(actor=commissioner, agreement=agreement).status == AgreementStatus.ISSUED


def test_a_light_touch_contract_needs_no_kpis_whatever_its_value():
    agreement = direct_agreement(value=Decimal("6000000.00"), months=36)
    Agreement.objects.filter(pk=agreement.pk).update(light_touch=True)
    agreement.refresh_from_db()
    assert not services.kpis_required(agreement)


def test_the_tier_follows_the_value_a_year_and_the_risk():
    light = direct_agreement(value=Decimal("60000.00"), months=36)  # £20,000 a year
    assert light.tier == "light" and light.returns_per_year == 1
    raised = services.agreement_update(
        actor=light.commissioner_person, agreement=light, risk="high", risk_reason="A new provider"
    )
    assert raised.tier == "standard" and raised.returns_per_year == 2


@pytest.mark.parametrize("bad", ["", "  ", "12 apples"])
def test_a_kpi_needs_a_name_and_a_number(bad):
    agreement = direct_agreement()
    with pytest.raises(services.AgreementError):
        services.measure_save(
            actor=agreement.commissioner_person, agreement=agreement, name=bad or "", target=bad or "x"
        )
    assert not agreement.measures.exists()
