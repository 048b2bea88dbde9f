"""Service areas move to the commissioning record, below every stage that files work under one.

The table (opportunities_servicearea) and its rows are untouched: this
declares the model over the same table, and opportunities/0012 lets go of it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("opportunities", "0011_opportunity_record_required"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ServiceArea",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=120, unique=True)),
                        ("slug", models.SlugField(max_length=120, unique=True)),
                        ("light_touch", models.BooleanField(default=True)),
                        ("nhs_health_care", models.BooleanField(default=False)),
                        ("active", models.BooleanField(default=True)),
                    ],
                    options={"ordering": ["name"], "db_table": "opportunities_servicearea"},
                ),
            ],
            database_operations=[],
        ),
    ]
