"""Explanations recorded before confirmation was required become pending when the hub is upgraded."""

import pytest
from django.utils import timezone

from commissioning.core.tests.migrating import back_to_latest, migrate_to  # noqa: F401 (the fixture)

BEFORE = [("practice", "0002_load_catalogue")]
AFTER = [("practice", "0003_explanation_confirmation")]


_migrate = migrate_to
pytestmark = pytest.mark.usefixtures("back_to_latest")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_explanation_with_a_typed_agreer_becomes_pending_and_no_longer_counts():
    old = _migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Rule = old.get_model("practice", "Rule")
    RuleOutcome = old.get_model("practice", "RuleOutcome")
    writer = User.objects.create(email="writer@example.org", full_name="A Writer", password="!")
    rule = Rule.objects.get(code="PR-5")
    moment = timezone.now()
    superseded = RuleOutcome.objects.create(
        rule=rule,
        object_type="opportunities.opportunity",
        object_id="7",
        outcome="explained",
        reason="An older reason",
        agreed_by="Someone",
        recorded_by=writer,
        recorded_at=moment,
        superseded_at=moment,
    )
    current = RuleOutcome.objects.create(
        rule=rule,
        object_type="opportunities.opportunity",
        object_id="7",
        outcome="explained",
        reason="Fixed national tariff",
        agreed_by="Head of commissioning",
        recorded_by=writer,
        recorded_at=moment,
        step="opportunity_publish",
    )
    met = RuleOutcome.objects.create(
        rule=Rule.objects.get(code="PR-4"),
        object_type="opportunities.opportunity",
        object_id="7",
        outcome="met",
        recorded_at=moment,
    )

    new = _migrate(AFTER)

    RuleOutcome = new.get_model("practice", "RuleOutcome")
    Explanation = new.get_model("practice", "Explanation")
    [pending] = Explanation.objects.all()
    assert pending.status == "pending" and pending.confirmer_id is None and pending.body_id is None
    assert pending.reason == "Fixed national tariff" and pending.written_by_id == writer.pk
    assert pending.recorded_agreed_by == "Head of commissioning" and pending.step == "opportunity_publish"
    # The old outcome is kept as history, no longer current; the rest is untouched.
    assert RuleOutcome.objects.get(pk=current.pk).superseded_at is not None
    assert RuleOutcome.objects.get(pk=current.pk).reason == "Fixed national tariff"
    assert RuleOutcome.objects.get(pk=superseded.pk).superseded_at == moment
    assert RuleOutcome.objects.get(pk=met.pk).superseded_at is None
