"""PL-1 and PL-4 read against a plan; the tasks planning gives a commissioner; the record's section."""

from datetime import timedelta

import pytest

from commissioning.core import clock
from commissioning.core.worklist import TaskState, WorklistContext
from commissioning.planning import services
from commissioning.planning.models import Overlap
from commissioning.planning.worklist import planning_tasks
from commissioning.practice.checks import rule_status

from .factories import plan_for, third_sector_partners, two_bodies

pytestmark = pytest.mark.django_db


def test_pl1_is_met_without_overlaps_not_met_naming_open_ones_and_met_once_resolved():
    council, icb = two_bodies()
    mine = plan_for(council, publish=True)
    assert rule_status(mine, "PL-1").is_met
    theirs = plan_for(icb, publish=True)
    status = rule_status(mine, "PL-1")
    assert not status.is_met and theirs.record.reference in status.detail
    services.overlap_resolve(actor=icb, overlap=Overlap.objects.get(), coordination="joint", note="")
    status = rule_status(mine, "PL-1")
    assert status.is_met and "joint commissioning" in status.detail and theirs.record.reference in status.detail


def test_pl4_lists_the_stages_without_a_third_sector_partner(commissioner):
    plan = plan_for(commissioner)
    assert rule_status(plan, "PL-4").detail == "No third-sector partner named for scoping, design, evaluation"
    third_sector_partners(commissioner, plan, stages=["scoping", "evaluation"])
    assert rule_status(plan, "PL-4").detail == "No third-sector partner named for design"
    third_sector_partners(commissioner, plan, stages=["design"])
    assert rule_status(plan, "PL-4").is_met


def _tasks(user):
    now = clock.now()
    return list(planning_tasks(WorklistContext(user=user, opportunities=[], now=now, today=clock.today())))


def test_tasks_are_the_open_overlaps_and_plans_due_to_be_advertised_unapproved(django_assert_max_num_queries):
    council, icb = two_bodies()
    today = clock.today()
    soon = plan_for(
        council,
        publish=True,
        expected_advert=today + timedelta(days=10),
        expected_start=today + timedelta(days=100),
        expected_end=today + timedelta(days=900),
    )
    plan_for(council, expected_advert=today + timedelta(days=200), expected_start=today + timedelta(days=300))
    late = plan_for(
        icb,
        expected_advert=today - timedelta(days=1),
        expected_start=today + timedelta(days=100),
        expected_end=today + timedelta(days=900),
    )
    services.plan_publish(actor=icb, plan=late)
    with django_assert_max_num_queries(1):
        tasks = _tasks(council)
    titles = sorted(t.title for t in tasks)
    assert titles == [
        "Approve the plan before it is advertised",
        "Co-ordinate with the other body's plan that overlaps this one",
    ]
    assert {t.reference for t in tasks} == {soon.record.reference}
    [overdue] = [t for t in _tasks(icb) if t.title.startswith("Approve")]
    assert overdue.state == TaskState.OVERDUE


def test_a_commissioner_of_no_body_has_no_planning_tasks(provider_admin):
    assert _tasks(provider_admin) == []
