import pytest

from commissioning.practice import catalogue
from commissioning.practice.models import Principle, Rule
from commissioning.practice.sync import catalogue_sync

pytestmark = pytest.mark.django_db


def test_the_migration_loads_every_principle_and_rule_with_leeds_settings():
    assert list(Principle.objects.values_list("number", flat=True)) == list(range(1, 13))
    assert list(Rule.objects.values_list("code", flat=True)) == list(catalogue.RULE_CODES)
    pr5 = Rule.objects.get(code="PR-5")
    assert pr5.settings == {"min_quality_weight": 60}
    assert pr5.guards_step == "opportunity_publish"
    assert list(pr5.principles.values_list("number", flat=True)) == [10]
    assert Rule.objects.get(code="PL-3").settings["lead_value_threshold"] == "100000.00"
    assert Rule.objects.get(code="RV-1").guards_step == ""


def test_sync_is_idempotent():
    first = catalogue_sync()
    second = catalogue_sync()
    assert not first.changed
    assert not second.changed
    assert Rule.objects.count() == 27
    assert Principle.objects.count() == 12


def test_sync_keeps_values_an_administrator_changed():
    Rule.objects.filter(code="PR-5").update(settings={"min_quality_weight": 70})
    Rule.objects.filter(code="PR-4").update(active=False)

    report = catalogue_sync()

    assert not report.changed
    assert Rule.objects.get(code="PR-5").settings == {"min_quality_weight": 70}
    assert Rule.objects.get(code="PR-4").active is False


def test_sync_adds_missing_keys_drops_unknown_ones_and_refreshes_the_codes_words():
    Rule.objects.filter(code="PL-3").update(
        settings={"lead_days_below_threshold": 12, "retired_key": 3}, code_text="old words"
    )

    report = catalogue_sync()

    pl3 = Rule.objects.get(code="PL-3")
    assert report.rules_updated == ["PL-3"]
    assert pl3.settings == {
        "lead_days_below_threshold": 12,
        "lead_days_above_threshold": 25,
        "lead_value_threshold": "100000.00",
        "mobilisation_days": 20,
    }
    assert pl3.code_text == catalogue.rule_definition("PL-3").code_text


def test_sync_restores_a_missing_rule_and_its_principles():
    Rule.objects.filter(code="RV-1").delete()
    Principle.objects.get(number=5).rules.clear()

    report = catalogue_sync()

    assert report.rules_created == ["RV-1"]
    assert set(Principle.objects.get(number=5).rules.values_list("code", flat=True)) == {
        r.code for r in catalogue.RULES if 5 in r.principles
    }
    assert not catalogue_sync().changed
