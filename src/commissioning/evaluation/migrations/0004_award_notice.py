"""The standstill is counted from the award notice's publication, by the regime's rule.

An award now records when its award notice (or, under the Provider Selection
Regime, its notice of intention to award) was published; the standstill is
counted from then by the rule the regime has in ``opportunities.StandstillRule``,
copied onto the evaluation at the decision.

Awards made before this take their decision time as the notice's publication
and their regime's rule. Their standstill was counted from the day after the
decision, so for them the end already written in their letters is kept
wherever it is later than the new count: an announced standstill never ends
sooner than bidders were told.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from commissioning.evaluation.standstill import ACT_COUNTING, standstill_ends


def from_the_decision(apps, schema_editor):
    Evaluation = apps.get_model("evaluation", "Evaluation")
    StandstillRule = apps.get_model("opportunities", "StandstillRule")
    ClosureDay = apps.get_model("core", "ClosureDay")
    closures = frozenset(ClosureDay.objects.values_list("day", flat=True))
    rules = {
        rule.regime: {
            "regime": rule.regime,
            "notice": rule.notice,
            "starts_days_after_publication": rule.starts_days_after_publication,
            "first_day_counts": rule.first_day_counts,
            "basis": rule.basis,
        }
        for rule in StandstillRule.objects.all()
    }
    awarded = Evaluation.objects.filter(status="awarded", decided_at__isnull=False).select_related("opportunity")
    for evaluation in awarded:
        regime = evaluation.opportunity.regime
        evaluation.standstill_rule = rules.get(regime) or {**ACT_COUNTING, "regime": regime}
        days = evaluation.standstill_days or 0
        if days:
            evaluation.notice_published_at = evaluation.decided_at
            counted = standstill_ends(evaluation.decided_at, days, evaluation.standstill_rule, closures)
            kept = evaluation.standstill_ends
            evaluation.standstill_ends = max(kept, counted) if kept else counted
        evaluation.save(update_fields=["standstill_rule", "notice_published_at", "standstill_ends"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_leeds_wards"),
        ("evaluation", "0003_surveys"),
        ("opportunities", "0006_standstill_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="standstill_rule",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="notice_published_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the award notice (or notice of intention to award) was published.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="notice_reference",
            field=models.CharField(
                blank=True, help_text="The notice's reference or address on Find a Tender.", max_length=200
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="notice_recorded_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="evaluation",
            name="notice_recorded_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(from_the_decision, migrations.RunPython.noop),
    ]
