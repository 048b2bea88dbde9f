"""The Code's rules at "issuing an agreement" (PR-11, CM-1 to CM-4): each met, not met, and explained."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.opportunities.tests.factories import colleague_of
from commissioning.practice.catalogue import STEP_AGREEMENT_ISSUE
from commissioning.practice.checks import evaluate
from commissioning.practice.services import RuleGateClosed, explanation_confirm

from .. import services
from ..models import AgreementStatus
from .factories import direct_agreement

pytestmark = pytest.mark.django_db
CODES = ["PR-11", "CM-1", "CM-2", "CM-3", "CM-4"]


def outcomes(agreement) -> dict[str, str]:
    return {item.rule.code: item.outcome for item in evaluate(agreement, STEP_AGREEMENT_ISSUE).items}


def explain(agreement, code):
    commissioner = agreement.commissioner_person
    confirmer = colleague_of(commissioner)
    explanation = services.agreement_rule_explain(
        actor=commissioner,
        agreement=agreement,
        rule_code=code,
        reason="Agreed with the provider and the Third Sector Partnership",
        confirmer=confirmer,
    )
    return explanation_confirm(actor=confirmer, explanation=explanation)


def test_an_agreement_drafted_in_the_hub_meets_every_rule_and_is_issued():
    agreement = direct_agreement()
    assert outcomes(agreement) == dict.fromkeys(CODES, "met")
    issued = services.agreement_issue(actor=agreement.commissioner_person, agreement=agreement)
    assert issued.status == AgreementStatus.ISSUED


def _update(agreement, **fields):
    updated = services.agreement_update(actor=agreement.commissioner_person, agreement=agreement, **fields)
    updated.commissioner_person = agreement.commissioner_person
    return updated


@pytest.mark.parametrize(
    ("code", "change"),
    [
        ("CM-1", {"returns_per_year": 12}),
        ("CM-2", {"feedback_open": False}),
        ("CM-4", {"breakdowns": ["ward"]}),
    ],
)
def test_a_rule_not_met_stops_the_issue_until_it_is_explained(code, change):
    agreement = _update(direct_agreement(), **change)
    assert outcomes(agreement)[code] == "not_met"
    with pytest.raises(RuleGateClosed, match=code):
        services.agreement_issue(actor=agreement.commissioner_person, agreement=agreement)
    assert agreement.__class__.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT
    explain(agreement, code)
    assert outcomes(agreement)[code] == "explained"
    assert services.agreement_issue(actor=agreement.commissioner_person, agreement=agreement).status == "issued"


def test_asking_more_measures_than_the_tier_allows_is_not_met():
    agreement = direct_agreement(value=Decimal("20000.00"))  # light: three measures
    for number in range(4):
        services.measure_save(actor=agreement.commissioner_person, agreement=agreement, name=f"KPI {number}", target=5)
    assert outcomes(agreement)["CM-1"] == "not_met"


def test_pr11_an_agreement_written_outside_the_hub_must_confirm_the_compact_clause(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = direct_agreement()
    agreement.own_document = SimpleUploadedFile("agreement.pdf", b"%PDF-1.7 ours")
    agreement.save()
    assert outcomes(agreement)["PR-11"] == "not_met"
    agreement = _update(agreement, compact_confirmed=True)
    assert outcomes(agreement)["PR-11"] == "met"


def test_cm3_a_provider_reporting_to_another_funder_needs_co_ordination_or_an_explanation():
    other = direct_agreement(issue=True)
    agreement = direct_agreement(provider=other.provider)
    assert outcomes(agreement)["CM-3"] == "not_met"
    assert "also reports to" in next(
        i.detail for i in evaluate(agreement, STEP_AGREEMENT_ISSUE).items if i.rule.code == "CM-3"
    )
    agreement = _update(agreement, coordination_note="One shared return each half-year, agreed with the ICB")
    assert outcomes(agreement)["CM-3"] == "met"


def test_a_met_rule_cannot_be_explained_and_an_issued_agreement_takes_no_explanation():
    agreement = direct_agreement()
    with pytest.raises(services.AgreementError, match="is met"):
        explain(agreement, "CM-2")
    issued = services.agreement_issue(actor=agreement.commissioner_person, agreement=agreement)
    issued.commissioner_person = agreement.commissioner_person
    with pytest.raises(services.AgreementError, match="before the agreement is issued"):
        explain(issued, "CM-2")


def test_the_gate_records_each_rules_outcome_with_the_issue():
    agreement = direct_agreement()
    issued = services.agreement_issue(actor=agreement.commissioner_person, agreement=agreement)
    from commissioning.practice.selectors import rule_outcomes_for

    recorded = {o.rule.code: o.outcome for o in rule_outcomes_for(obj=issued)}
    assert recorded == dict.fromkeys(CODES, "met")
