"""The default scoring scale, 0 to 4, with what each score means. Administrators may change it."""

from django.db import migrations

SCALE = [
    (0, "Unacceptable", "No answer, or an answer that does not address the question at all."),
    (1, "Poor", "Addresses the question only in part, with little evidence; significant doubts remain."),
    (2, "Satisfactory", "Addresses the question with some evidence; some gaps or minor doubts remain."),
    (3, "Good", "Addresses the question fully with clear evidence of how it will be done."),
    (4, "Excellent", "Addresses the question fully with strong evidence, and adds value beyond what was asked."),
]


def add(apps, schema_editor):
    ScaleLevel = apps.get_model("evaluation", "ScaleLevel")
    for score, label, descriptor in SCALE:
        ScaleLevel.objects.get_or_create(score=score, defaults={"label": label, "descriptor": descriptor})


def remove(apps, schema_editor):
    apps.get_model("evaluation", "ScaleLevel").objects.filter(score__in=[s for s, _, _ in SCALE]).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
