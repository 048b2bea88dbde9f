"""Load the Code's principles and rules, with Leeds's settings, from the catalogue."""

from django.db import migrations


def load(apps, schema_editor):
    from commissioning.practice.sync import catalogue_sync

    catalogue_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("practice", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
