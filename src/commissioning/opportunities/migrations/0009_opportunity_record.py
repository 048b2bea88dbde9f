"""Every opportunity belongs to a commissioning record: first the link, empty for those there are (see 0010).

The column is added in place. Taking it away again (going back) rebuilds the
table on SQLite, so the search triggers and SQL indexes are then restored, as
0011 does after its own rebuild.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models


def rebuilt_parts_restored(apps, schema_editor):
    import_module("commissioning.opportunities.migrations.0011_opportunity_record_required").rebuilt_parts_restored(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0008_clarification_published_wording"),
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, rebuilt_parts_restored),
        migrations.AddField(
            model_name="opportunity",
            name="record",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="opportunities",
                to="records.commissioningrecord",
            ),
        ),
    ]
