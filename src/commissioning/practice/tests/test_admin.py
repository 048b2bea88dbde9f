import pytest

from commissioning.accounts.tests.factories import UserFactory
from commissioning.audit.models import AuditEvent
from commissioning.practice.models import Rule

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _change_url(code):
    return f"/django-admin/practice/rule/{Rule.objects.get(code=code).pk}/change/"


def test_the_admin_site_lists_rules_and_outcomes(client, operator):
    rules = client.get("/django-admin/practice/rule/")
    assert rules.status_code == 200 and "PR-5" in rules.content.decode() and "PL-3" in rules.content.decode()
    outcomes = client.get("/django-admin/practice/ruleoutcome/")
    assert outcomes.status_code == 200 and "Select rule outcome to view" in outcomes.content.decode()
    principles = client.get("/django-admin/practice/principle/")
    assert principles.status_code == 200 and "Select principle to change" in principles.content.decode()
    change = client.get(_change_url("PR-5"))
    assert change.status_code == 200 and "min_quality_weight" in change.content.decode()


def test_settings_changed_on_the_admin_site_are_checked_and_audited(client, operator):
    response = client.post(_change_url("PR-5"), {"settings": '{"min_quality_weight": 65}', "active": "on"})

    assert response.status_code == 302
    assert Rule.objects.get(code="PR-5").settings == {"min_quality_weight": 65}
    assert AuditEvent.objects.filter(verb="rule.settings_update", actor=operator).count() == 1


def test_bad_settings_on_the_admin_site_are_refused(client, operator):
    response = client.post(_change_url("PR-5"), {"settings": '{"min_quality_weight": 165}', "active": "on"})

    assert response.status_code == 200
    assert "must be 100% or less" in response.content.decode()
    assert Rule.objects.get(code="PR-5").settings == {"min_quality_weight": 60}


def test_switching_a_rule_off_on_the_admin_site_is_audited(client, operator):
    client.post(_change_url("PR-2"), {"settings": "{}"})

    assert Rule.objects.get(code="PR-2").active is False
    assert AuditEvent.objects.filter(verb="rule.active_set").count() == 1
