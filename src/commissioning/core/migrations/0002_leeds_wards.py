from django.db import migrations


def load_wards(apps, schema_editor):
    from commissioning.core.geography import leeds_wards

    Ward = apps.get_model("core", "Ward")
    for record in leeds_wards():
        Ward.objects.update_or_create(code=record.code, defaults={"name": record.name})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load_wards, migrations.RunPython.noop)]
