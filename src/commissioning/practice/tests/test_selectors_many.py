"""Current outcomes of many objects read at once, as one object's are read alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.accounts.tests.factories import CommissionerOrgFactory
from commissioning.practice.selectors import rule_outcomes_for, rule_outcomes_for_many, rules_active_among
from commissioning.practice.services import rule_active_set, rule_outcome_record

pytestmark = pytest.mark.django_db


def test_many_objects_outcomes_match_each_ones_own_in_one_query():
    first, second, untouched = CommissionerOrgFactory(), CommissionerOrgFactory(), CommissionerOrgFactory()
    rule_outcome_record(actor=None, rule_code="PR-5", obj=first, outcome="not_met", detail="Price over 30%")
    current = rule_outcome_record(actor=None, rule_code="PR-5", obj=first, outcome="met")  # supersedes the first
    rule_outcome_record(actor=None, rule_code="PR-5", obj=second, outcome="not_met")
    with CaptureQueriesContext(connection) as queries:
        found = rule_outcomes_for_many(objects=[first, second, untouched])
    assert len(queries) == 1
    key = first._meta.label_lower
    assert found[(key, str(first.pk))] == [current] == rule_outcomes_for(obj=first)
    assert found[(key, str(second.pk))] == rule_outcomes_for(obj=second)
    assert (key, str(untouched.pk)) not in found
    assert rule_outcomes_for_many(objects=[]) == {}


def test_only_switched_on_rules_among_those_asked_for(administrator):
    assert set(rules_active_among(["PR-9", "PR-10", "NO-1"])) == {"PR-9", "PR-10"}
    rule_active_set(actor=administrator, rule_code="PR-9", active=False)
    assert set(rules_active_among(["PR-9", "PR-10"])) == {"PR-10"}
