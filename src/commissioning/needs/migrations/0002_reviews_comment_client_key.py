"""A comment keeps a digest of the sender's network address, so comments from one address can be limited."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="client_key",
            field=models.CharField(
                blank=True, help_text="A digest of the sender's network address, for the limit.", max_length=32
            ),
        ),
    ]
