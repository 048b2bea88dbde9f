"""Service areas now belong to the commissioning record: opportunities' state lets go of the model.

No table changes: the foreign keys already point at opportunities_servicearea,
which records/0002 declared as records.ServiceArea.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0011_opportunity_record_required"),
        ("records", "0002_service_area_moves_in"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="opportunity",
                    name="service_area",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="opportunities",
                        to="records.servicearea",
                    ),
                ),
                migrations.AlterField(
                    model_name="alertsubscription",
                    name="service_areas",
                    field=models.ManyToManyField(blank=True, to="records.servicearea"),
                ),
                migrations.DeleteModel(name="ServiceArea"),
            ],
            database_operations=[],
        ),
    ]
