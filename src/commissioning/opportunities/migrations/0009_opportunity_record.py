"""Every opportunity belongs to a commissioning record: first the link, empty for those there are (see 0010)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0008_clarification_published_wording"),
        ("records", "0001_initial"),
    ]

    operations = [
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
