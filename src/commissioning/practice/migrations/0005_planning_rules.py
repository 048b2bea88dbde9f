"""Approving a plan becomes a step that PL-1 and PL-4 guard; NA-2 and PL-2 gain their settings."""

from django.db import migrations, models


def sync(apps, schema_editor):
    from commissioning.practice.sync import catalogue_sync

    catalogue_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0004_feedback_rule_guards_no_step"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rule",
            name="guards_step",
            field=models.CharField(
                blank=True,
                choices=[
                    ("needs_assessment_complete", "completing a needs assessment"),
                    ("plan_approve", "approving a plan"),
                    ("opportunity_publish", "publishing an opportunity"),
                    ("agreement_issue", "issuing an agreement or offer letter"),
                    ("notice_serve", "serving notice of a funding change or end"),
                    ("default_notice_serve", "serving a default notice"),
                    ("decommission", "decommissioning"),
                ],
                help_text="The step this rule stops until met or explained; blank when it only records.",
                max_length=40,
            ),
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
