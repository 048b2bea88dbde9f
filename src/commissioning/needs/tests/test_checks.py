"""NA-1 and NA-3 against an assessment, and the gate they guard when it is completed."""

import pytest

from commissioning.practice.catalogue import STEP_NEEDS_ASSESSMENT_COMPLETE
from commissioning.practice.checks import CANNOT_JUDGE, rule_status
from commissioning.practice.models import Outcome, RuleOutcome
from commissioning.practice.services import RuleGateClosed

from .. import services
from ..models import AssessmentStatus, Sector
from .factories import activity_for, assessment_for, colleague_of, complete, evidence_for, explain, only_own_rules

pytestmark = pytest.mark.django_db


def status(assessment, code):
    with only_own_rules():
        return rule_status(assessment, code)


# NA-1 ----------------------------------------------------------------------------------------


def test_na1_is_met_by_third_sector_evidence_and_names_it(commissioner):
    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment, sector=Sector.PUBLIC_BODY, source="Leeds City Council")
    evidence_for(commissioner, assessment, source="Carers Leeds")
    evidence_for(commissioner, assessment, source="Armley Young Carers Project")
    found = status(assessment, "NA-1")
    assert found.outcome == Outcome.MET
    assert found.detail == "Evidence from the third sector: Armley Young Carers Project, Carers Leeds"


def test_na1_is_not_met_without_third_sector_evidence_and_says_none(commissioner):
    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment, sector=Sector.PUBLIC_BODY, source="Leeds City Council")
    evidence_for(commissioner, assessment, sector=Sector.NATIONAL_DATA, source="Census 2021")
    found = status(assessment, "NA-1")
    assert found.outcome == Outcome.NOT_MET
    assert found.detail == "None of the 2 pieces of evidence came from the third sector"


def test_na1_cannot_judge_an_assessment_with_no_evidence(commissioner):
    found = status(assessment_for(commissioner), "NA-1")
    assert found.outcome == CANNOT_JUDGE
    assert found.detail == "The assessment has no evidence yet: add the evidence it rests on"


def test_na1_cannot_judge_cannot_be_explained(commissioner):
    assessment = assessment_for(commissioner)
    with pytest.raises(services.NeedsError) as caught, only_own_rules():
        services.assessment_rule_explain(
            actor=commissioner,
            assessment=assessment,
            rule_code="NA-1",
            reason="Nothing to add",
            confirmer=colleague_of(commissioner),
        )
    assert caught.value.errors["rule"][0].startswith("NA-1 cannot be judged yet")


# NA-3 ----------------------------------------------------------------------------------------


def test_na3_is_met_by_coproduction_with_people_and_what_changed_and_counts_them(commissioner):
    assessment = assessment_for(commissioner)
    activity_for(commissioner, assessment, participants=12)
    activity_for(commissioner, assessment, participants=30, kind="survey", title="Schools survey")
    activity_for(commissioner, assessment, participants=0, title="A panel nobody came to")
    found = status(assessment, "NA-3")
    assert found.outcome == Outcome.MET
    assert found.detail == "42 people took part across 2 activities, each saying what changed"


def test_na3_is_not_met_without_coproduction(commissioner):
    found = status(assessment_for(commissioner), "NA-3")
    assert found.outcome == Outcome.NOT_MET
    assert found.detail == "No co-production activity is recorded for the assessment"


def test_na3_is_not_met_when_nobody_took_part(commissioner):
    assessment = assessment_for(commissioner)
    activity_for(commissioner, assessment, participants=0)
    found = status(assessment, "NA-3")
    assert found.outcome == Outcome.NOT_MET
    assert found.detail == "1 activity recorded, but none with people taking part and what changed"


# The gate ------------------------------------------------------------------------------------


def test_completing_is_refused_while_a_rule_is_not_met_and_nothing_changes(commissioner):
    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment, sector=Sector.PUBLIC_BODY)
    with pytest.raises(RuleGateClosed) as caught:
        complete(commissioner, assessment)
    assert "NA-1" in str(caught.value) and "NA-3" in str(caught.value)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert not RuleOutcome.objects.exists()


def test_completing_is_refused_while_the_assessment_cannot_be_judged(commissioner):
    assessment = assessment_for(commissioner)
    activity_for(commissioner, assessment)
    with pytest.raises(RuleGateClosed) as caught:
        complete(commissioner, assessment)
    assert "correct what the Code's checks cannot judge" in str(caught.value)


def test_completing_records_each_rule_met(commissioner):
    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment)
    activity_for(commissioner, assessment)
    completed = complete(commissioner, assessment)
    assert completed.status == AssessmentStatus.COMPLETED and completed.completed_by == commissioner
    outcomes = dict(
        RuleOutcome.objects.filter(object_type="needs.assessment", superseded_at__isnull=True).values_list(
            "rule__code", "outcome"
        )
    )
    assert outcomes == {"NA-1": Outcome.MET, "NA-3": Outcome.MET}
    assert set(RuleOutcome.objects.values_list("step", flat=True)) == {STEP_NEEDS_ASSESSMENT_COMPLETE}


def test_a_rule_explained_and_confirmed_lets_the_assessment_be_completed(commissioner):
    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment, sector=Sector.PUBLIC_BODY)
    activity_for(commissioner, assessment)
    with only_own_rules():
        explain(commissioner, assessment, "NA-1")
    completed = complete(commissioner, assessment)
    assert completed.status == AssessmentStatus.COMPLETED
    outcome = RuleOutcome.objects.get(rule__code="NA-1", superseded_at__isnull=True)
    assert outcome.outcome == Outcome.EXPLAINED
    assert outcome.reason == "No third-sector study covers these wards yet"


def test_an_explanation_waiting_for_confirmation_keeps_completing_shut(commissioner):
    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment, sector=Sector.PUBLIC_BODY)
    activity_for(commissioner, assessment)
    with only_own_rules():
        services.assessment_rule_explain(
            actor=commissioner,
            assessment=assessment,
            rule_code="NA-1",
            reason="No third-sector study covers these wards",
            confirmer=colleague_of(commissioner),
        )
    with pytest.raises(RuleGateClosed):
        complete(commissioner, assessment)


def test_a_met_rule_has_nothing_to_explain(commissioner):
    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment)
    with pytest.raises(services.NeedsError) as caught, only_own_rules():
        services.assessment_rule_explain(
            actor=commissioner,
            assessment=assessment,
            rule_code="NA-1",
            reason="R",
            confirmer=colleague_of(commissioner),
        )
    assert caught.value.errors == {"rule": ["NA-1 is met: there is nothing to explain"]}


def test_a_rule_that_does_not_guard_completing_cannot_be_explained_here(commissioner):
    assessment = assessment_for(commissioner)
    with pytest.raises(services.NeedsError) as caught:
        services.assessment_rule_explain(
            actor=commissioner,
            assessment=assessment,
            rule_code="PR-5",
            reason="R",
            confirmer=colleague_of(commissioner),
        )
    assert "rule" in caught.value.errors
