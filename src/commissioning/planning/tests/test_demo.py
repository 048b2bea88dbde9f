"""The pipeline's demo: a dozen plans in every state, the overlaps both bodies see, partners; safe to repeat."""

import pytest

from commissioning.accounts import demo as accounts_demo
from commissioning.planning import demo
from commissioning.planning.models import Overlap, Partner, Plan

pytestmark = pytest.mark.django_db


def test_the_demo_pipeline_has_a_dozen_plans_an_open_and_a_joint_overlap_and_loads_once():
    accounts_demo.load()
    demo.load()
    demo.load()
    assert Plan.objects.count() == 12
    # Advertised comes when the opportunities demo publishes the young carers grant round in its plan's record.
    assert {p.status for p in Plan.objects.all()} == {"idea", "planned", "approved"}
    assert Plan.objects.filter(published_at__isnull=True).count() == 1
    current = Overlap.objects.filter(cleared_at__isnull=True)
    assert current.filter(resolved_at__isnull=True).count() == 1
    assert current.filter(coordination="joint").count() == 1
    open_one = current.get(resolved_at__isnull=True)
    assert open_one.first.record.lead_body != open_one.second.record.lead_body
    assert Partner.objects.values("plan").distinct().count() == 3
