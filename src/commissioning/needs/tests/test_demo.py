"""The demo's needs assessments: both drafts by the council, the young carers' ready for NA-1 and NA-3."""

import pytest

from commissioning.accounts import demo as accounts_demo
from commissioning.records import demo as records_demo

from .. import demo
from ..models import Assessment, AssessmentStatus
from .factories import only_own_rules

pytestmark = pytest.mark.django_db


def test_the_demo_assessments_are_drafts_and_loading_again_changes_nothing():
    from commissioning.practice.checks import rule_status

    accounts_demo.load()
    records_demo.load()
    demo.load()
    demo.load()
    assert Assessment.objects.count() == 2
    carers = Assessment.objects.get(title=demo.YOUNG_CARERS["title"])
    assert carers.status == AssessmentStatus.DRAFT and carers.body.name == "Leeds City Council"
    assert sorted(w.name for w in carers.wards.all()) == [
        "Armley",
        "Bramley & Stanningley",
        "Farnley & Wortley",
        "Kirkstall",
    ]
    assert sorted(carers.evidence.values_list("sector", flat=True)) == [
        "public_body",
        "public_body",
        "third_sector",
        "third_sector",
    ]
    assert carers.ward_figures.values("indicator").distinct().count() == 2
    assert carers.ward_figures.values("year").distinct().count() == 2
    assert carers.co_production.get().kind == "lived_experience_panel"
    with only_own_rules():
        assert rule_status(carers, "NA-1").is_met and rule_status(carers, "NA-3").is_met
    lonely = Assessment.objects.get(title=demo.LONELINESS["title"])
    assert set(lonely.evidence.values_list("sector", flat=True)) == {"public_body"}
    assert lonely.status == AssessmentStatus.DRAFT
