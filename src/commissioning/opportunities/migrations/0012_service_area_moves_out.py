"""Service areas now belong to the commissioning record: opportunities' state lets go of the model.

No table changes: the foreign keys already point at opportunities_servicearea,
which records/0002 declared as records.ServiceArea.

The model leaves this app's state only after every other app's foreign key to
it points at records.ServiceArea (contracts/0006), as Django's way of moving a
model requires: otherwise a state with this migration applied and contracts/0006
not (migrating evaluation back, say) would name a model that no longer exists.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0011_opportunity_record_required"),
        ("records", "0002_service_area_moves_in"),
        ("contracts", "0006_service_area_moved"),
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
