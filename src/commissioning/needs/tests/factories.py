"""Needs assessments built through the services, as a commissioner would write them."""

from contextlib import contextmanager
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.practice import checks as practice_checks
from commissioning.practice.catalogue import RULES
from commissioning.practice.services import explanation_confirm
from commissioning.records.models import ServiceArea

from .. import services
from ..models import Sector

ARMLEY, BRAMLEY = "E05011389", "E05011391"
MODEL = "needs.assessment"
# The rules the needs app checks itself; NA-2 (open reviews) is checked beside the reviews.
OWN_RULES = ("NA-1", "NA-3")


def body_of(commissioner):
    return commissioner.memberships.get(role=Role.COMMISSIONER).organisation


def colleague_of(commissioner):
    """Another commissioner of ``commissioner``'s body: the second person who confirms an explanation."""
    return person_with_role(Role.COMMISSIONER, body_of(commissioner))


def carers() -> ServiceArea:
    return ServiceArea.objects.get(slug="carers-support")


def assessment_for(commissioner, *, ward_codes=(ARMLEY, BRAMLEY), **overrides):
    """A draft assessment of young carers' needs in two west Leeds wards, by ``commissioner``'s body."""
    data = {
        "title": "Young carers in west Leeds",
        "service_area": carers(),
        "question": "How many young carers are there, and what support do they need?",
        "findings": "Young carers are under-identified; schools miss many.",
        "needs_identified": "Breaks from caring\nSomeone to talk to",
    } | overrides
    return services.assessment_create(
        actor=commissioner, body=body_of(commissioner), data=data, ward_codes=list(ward_codes)
    )


def evidence_for(commissioner, assessment, *, sector=Sector.THIRD_SECTOR, source="Carers Leeds", **overrides):
    data = {
        "source": source,
        "sector": sector,
        "dated": date(2026, 3, 1),
        "link": "https://www.carersleeds.org.uk/young-carers-report",
        "shows": "Half the young carers it supports are not known to their school.",
    } | overrides
    return services.evidence_add(actor=commissioner, assessment=assessment, data=data)


def activity_for(commissioner, assessment=None, *, record=None, participants=12, **overrides):
    data = {
        "kind": "lived_experience_panel",
        "title": "Young carers' panel",
        "held_on": date(2026, 5, 20),
        "participants": participants,
        "communities": "Young carers aged 11 to 17",
        "what_changed": "Breaks in school holidays became the first need",
    } | overrides
    return services.coproduction_add(actor=commissioner, assessment=assessment, record=record, data=data)


def csv_upload(text: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@contextmanager
def only_own_rules():
    """While it lasts, completing an assessment is judged by NA-1 and NA-3 alone.

    For tests about this app's rules and what follows completion: NA-2's
    check (open reviews) needs a published review, which is another part's
    to build and test. The other checks come back when it ends.
    """
    others = {}
    for rule in RULES:
        if rule.code in OWN_RULES:
            continue
        check = practice_checks.registered_check(rule.code, MODEL)
        if check is not None:
            others[rule.code] = (check, practice_checks._steps.get((rule.code, MODEL)))
            practice_checks.rule_check_unregister(rule.code, model=MODEL)
    try:
        yield
    finally:
        for code, (check, step) in others.items():
            practice_checks.rule_check(code, model=MODEL, step=step)(check)


def complete(commissioner, assessment):
    """Complete ``assessment`` by its own rules (NA-1 and NA-3), as :func:`only_own_rules` says."""
    with only_own_rules():
        return services.assessment_complete(actor=commissioner, assessment=assessment)


def completed_for(commissioner, **overrides):
    """A completed assessment: third-sector evidence, a figure, a panel of young carers."""
    assessment = assessment_for(commissioner, **overrides)
    evidence_for(commissioner, assessment)
    services.ward_figure_add(
        actor=commissioner, assessment=assessment, ward_code=ARMLEY, indicator="Young carers", year=2025, value="41"
    )
    activity_for(commissioner, assessment)
    return complete(commissioner, assessment)


def explain(commissioner, assessment, code, reason="No third-sector study covers these wards yet"):
    """An explanation of rule ``code`` for a draft, written and then confirmed by a colleague."""
    confirmer = colleague_of(commissioner)
    explanation = services.assessment_rule_explain(
        actor=commissioner, assessment=assessment, rule_code=code, reason=reason, confirmer=confirmer
    )
    return explanation_confirm(actor=confirmer, explanation=explanation)
