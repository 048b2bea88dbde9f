"""Fixtures for the Code's tests: people in each role and checks over a stand-in object.

The checks are registered for organisations, which stand in for the objects
later stages will gate (opportunities, notices): what the gate needs is only a
model label, a primary key and a check.
"""

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.practice import checks
from commissioning.practice.checks import CheckResult

STAND_IN_MODEL = "accounts.organisation"


@pytest.fixture
def evaluator(db):
    return person_with_role(Role.EVALUATOR)


@pytest.fixture
def partnership_reviewer(db):
    return person_with_role(Role.PARTNERSHIP_REVIEWER)


@pytest.fixture
def thing(db):
    """An object to gate: an organisation standing in for an opportunity."""
    return CommissionerOrgFactory()


class Record:
    """What the stand-in checks read: a quality and a social value weight per object."""

    def __init__(self):
        self.quality: dict[int, int] = {}
        self.social_value: dict[int, int] = {}


@pytest.fixture
def record():
    """Register PR-5 and PR-4 checks for organisations, and remove them afterwards."""
    data = Record()

    @checks.rule_check("PR-5", model=STAND_IN_MODEL)
    def quality_weight(obj, settings):
        weight = data.quality.get(obj.pk, 0)
        minimum = settings["min_quality_weight"]
        if weight >= minimum:
            return CheckResult(True, f"quality is weighted {weight}%")
        return CheckResult(False, f"quality is weighted {weight}%, below {minimum}%")

    @checks.rule_check("PR-4", model=STAND_IN_MODEL)
    def social_value_weight(obj, settings):
        weight = data.social_value.get(obj.pk, 0)
        return CheckResult(weight >= settings["min_social_value_weight"], f"social value {weight}%")

    yield data
    checks.rule_check_unregister("PR-5", model=STAND_IN_MODEL)
    checks.rule_check_unregister("PR-4", model=STAND_IN_MODEL)


def body_of(person):
    """The commissioning body a commissioner (or an administrator) works for."""
    return person.memberships.first().organisation


@pytest.fixture
def colleague(commissioner):
    """Another commissioner of the commissioner's body: the second person who confirms."""
    return person_with_role(Role.COMMISSIONER, body_of(commissioner))


TARIFF = "Fixed national tariff: the price is not competed"


def write_explanation(actor, obj, *, confirmer, code="PR-5", reason=TARIFF):
    """An explanation of rule ``code`` for ``obj`` by ``actor``, for ``confirmer`` to confirm."""
    from commissioning.practice.services import rule_explain

    return rule_explain(actor=actor, rule_code=code, obj=obj, body=body_of(actor), reason=reason, confirmer=confirmer)


def confirmed_explanation(
    actor, obj, *, confirmer, code="PR-5", reason="Fixed national tariff: the price is not competed"
):
    """An explanation written by ``actor`` and confirmed by ``confirmer``; returns the explained outcome."""
    from commissioning.practice.services import explanation_confirm

    explanation = write_explanation(actor, obj, confirmer=confirmer, code=code, reason=reason)
    return explanation_confirm(actor=confirmer, explanation=explanation)
