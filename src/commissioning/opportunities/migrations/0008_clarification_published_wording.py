"""The wording a clarification question is published in, kept apart from the asker's own words.

Questions answered before this change were published word for word, so their
published wording is their original wording.
"""

from django.db import migrations, models


def published_word_for_word(apps, schema_editor):
    Clarification = apps.get_model("opportunities", "Clarification")
    Clarification.objects.filter(published_at__isnull=False).update(published_question=models.F("question"))


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0007_amendment_lead_time_explanation"),
    ]

    operations = [
        migrations.AddField(
            model_name="clarification",
            name="published_question",
            field=models.TextField(blank=True, help_text="The question as published with the answer.", max_length=3000),
        ),
        migrations.AlterField(
            model_name="clarification",
            name="question",
            field=models.TextField(help_text="The asker's own words; never published.", max_length=3000),
        ),
        migrations.RunPython(published_word_for_word, migrations.RunPython.noop),
    ]
