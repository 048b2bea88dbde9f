"""Explanations confirmed by a second person; existing ones become pending.

Until now an explanation named who agreed it in free text ("Head of
commissioning"), which anyone could type and nobody confirmed in the hub. A
name in that field, even one that matches an account, shows only that
someone typed it, not that the person agreed. So no existing explanation is
kept as confirmed: each current "explained" outcome is marked superseded (its
row stays as history, unchanged) and becomes a pending explanation with the
same reason, writer and step, keeping what was typed as "agreed by". It names
no confirmer: an administrator other than its writer confirms or declines it,
or a commissioner writes it again naming a colleague. Until then the rule does
not count as explained, and a draft it held open cannot be published.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone


def explanations_become_pending(apps, schema_editor):
    RuleOutcome = apps.get_model("practice", "RuleOutcome")
    Explanation = apps.get_model("practice", "Explanation")
    moment = timezone.now()
    current = RuleOutcome.objects.filter(outcome="explained", superseded_at__isnull=True, explanation__isnull=True)
    for outcome in current.order_by("pk"):
        Explanation.objects.create(
            rule_id=outcome.rule_id,
            object_type=outcome.object_type,
            object_id=outcome.object_id,
            step=outcome.step,
            reason=outcome.reason,
            written_by_id=outcome.recorded_by_id,
            written_at=outcome.recorded_at,
            status="pending",
            recorded_agreed_by=outcome.agreed_by,
        )
        RuleOutcome.objects.filter(pk=outcome.pk).update(superseded_at=moment)


def pending_explanations_become_outcomes_again(apps, schema_editor):
    RuleOutcome = apps.get_model("practice", "RuleOutcome")
    Explanation = apps.get_model("practice", "Explanation")
    for explanation in Explanation.objects.filter(status="pending", confirmer__isnull=True).exclude(
        recorded_agreed_by=""
    ):
        latest = (
            RuleOutcome.objects.filter(
                Q(rule_id=explanation.rule_id)
                & Q(object_type=explanation.object_type)
                & Q(object_id=explanation.object_id)
                & Q(outcome="explained")
            )
            .order_by("-recorded_at", "-id")
            .first()
        )
        current = RuleOutcome.objects.filter(
            rule_id=explanation.rule_id,
            object_type=explanation.object_type,
            object_id=explanation.object_id,
            superseded_at__isnull=True,
        )
        if latest is not None and not current.exists():
            RuleOutcome.objects.filter(pk=latest.pk).update(superseded_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("practice", "0002_load_catalogue"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="ruleoutcome",
            name="agreed_by",
            field=models.CharField(
                blank=True, help_text="Who confirmed the explanation (name and role).", max_length=200
            ),
        ),
        migrations.CreateModel(
            name="Explanation",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("object_type", models.CharField(max_length=100)),
                ("object_id", models.CharField(max_length=64)),
                ("step", models.CharField(blank=True, help_text="The step it is given for.", max_length=40)),
                ("reason", models.TextField(help_text="Why the rule does not apply, in the writer's words.")),
                ("written_at", models.DateTimeField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for confirmation"),
                            ("confirmed", "Confirmed"),
                            ("declined", "Declined"),
                            ("withdrawn", "Withdrawn"),
                        ],
                        default="pending",
                        max_length=20,
                    ),
                ),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decision_note",
                    models.TextField(
                        blank=True, help_text="The confirmer's words on confirming, or the reason for declining."
                    ),
                ),
                (
                    "recorded_agreed_by",
                    models.CharField(
                        blank=True,
                        help_text="Who was typed as agreeing it, before confirmation was required.",
                        max_length=200,
                    ),
                ),
                (
                    "body",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="accounts.organisation",
                    ),
                ),
                (
                    "confirmer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "rule",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="explanations", to="practice.rule"
                    ),
                ),
                (
                    "written_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-written_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="ruleoutcome",
            name="explanation",
            field=models.ForeignKey(
                blank=True,
                help_text="The confirmed explanation an explained outcome rests on.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="outcomes",
                to="practice.explanation",
            ),
        ),
        migrations.AddIndex(
            model_name="explanation",
            index=models.Index(fields=["object_type", "object_id", "rule"], name="practice_ex_object__78d67b_idx"),
        ),
        migrations.AddIndex(
            model_name="explanation",
            index=models.Index(fields=["confirmer", "status"], name="practice_ex_confirm_6720ef_idx"),
        ),
        migrations.AddConstraint(
            model_name="explanation",
            constraint=models.CheckConstraint(
                condition=models.Q(("reason", ""), _negated=True), name="explanation_has_reason"
            ),
        ),
        migrations.AddConstraint(
            model_name="explanation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "pending")),
                fields=("rule", "object_type", "object_id"),
                name="explanation_one_pending",
            ),
        ),
        migrations.AddConstraint(
            model_name="explanation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "declined"), _negated=True),
                    models.Q(("decision_note", ""), _negated=True),
                    _connector="OR",
                ),
                name="explanation_declined_has_reason",
            ),
        ),
        migrations.AddConstraint(
            model_name="explanation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["confirmed", "declined"]), _negated=True),
                    models.Q(("decided_by__isnull", False), ("decided_at__isnull", False)),
                    _connector="OR",
                ),
                name="explanation_decision_has_who_and_when",
            ),
        ),
        migrations.RunPython(explanations_become_pending, pending_explanations_become_outcomes_again),
    ]
