"""An agreement's service area is records.ServiceArea now (the same table; no database change)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0005_agreement_newest_first"),
        ("records", "0002_service_area_moves_in"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="agreement",
                    name="service_area",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="agreements",
                        to="records.servicearea",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
