"""The Code's rules as they apply to a needs assessment about to be completed.

NA-1 asks for evidence from the third sector among the assessment's
evidence; NA-3 for co-production with the people and communities concerned.
The practice app runs these at the "needs_assessment_complete" step; a rule
that is not met can be explained, and completing waits until a second
person confirms the explanation. NA-2 (open reviews) is checked in
:mod:`.checks_reviews`.
"""

from commissioning.practice.checks import CheckResult, rule_check

from .models import Sector

MODEL = "needs.assessment"


def _people(count: int) -> str:
    return f"{count:,} {'person' if count == 1 else 'people'}"


def _activities(count: int) -> str:
    return f"{count:,} {'activity' if count == 1 else 'activities'}"


@rule_check("NA-1", model=MODEL)
def third_sector_evidence(assessment, settings) -> CheckResult:
    """Met when at least one piece of evidence came from the third sector; the detail names the sources.

    Cannot judge an assessment with no evidence at all: there is nothing to
    weigh, so the evidence is added first. One query.
    """
    evidence = list(assessment.evidence.values_list("source", "sector"))
    if not evidence:
        return CheckResult.cannot_judge("The assessment has no evidence yet: add the evidence it rests on")
    third = sorted({source for source, sector in evidence if sector == Sector.THIRD_SECTOR})
    if third:
        return CheckResult(
            met=True,
            detail=f"Evidence from the third sector: {', '.join(third)}",
        )
    return CheckResult(
        met=False,
        detail=f"None of the {len(evidence)} pieces of evidence came from the third sector"
        if len(evidence) > 1
        else "The one piece of evidence did not come from the third sector",
    )


@rule_check("NA-3", model=MODEL)
def coproduction(assessment, settings) -> CheckResult:
    """Met when at least one co-production activity had people taking part and says what changed.

    The detail says how many people took part across how many such
    activities. One query.
    """
    rows = list(assessment.co_production.values_list("participants", "what_changed"))
    counted = [people for people, changed in rows if people > 0 and changed.strip()]
    if counted:
        return CheckResult(
            met=True,
            detail=f"{_people(sum(counted))} took part across {_activities(len(counted))}, each saying what changed",
        )
    if rows:
        return CheckResult(
            met=False,
            detail=f"{_activities(len(rows)).capitalize()} recorded, but none with people taking part and what changed",
        )
    return CheckResult(met=False, detail="No co-production activity is recorded for the assessment")


from . import checks_reviews  # noqa: E402, F401  NA-2's check, kept beside the reviews it reads
