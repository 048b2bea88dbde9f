"""Letters, surveys and their answers move to the feedback app: evaluation's state forgets them.

The tables (evaluation_letter, evaluation_surveyinvitation,
evaluation_surveyanswer) and their rows are untouched; feedback's first
migration declares the same models over the same tables.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0004_award_notice"),
    ]

    operations = [
        # The tables stay as they are: only evaluation's state lets go of them (feedback/0001 takes them up).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="surveyanswer",
                    name="invitation",
                ),
                migrations.RemoveField(
                    model_name="surveyinvitation",
                    name="evaluation",
                ),
                migrations.RemoveField(
                    model_name="surveyinvitation",
                    name="organisation",
                ),
                migrations.DeleteModel(
                    name="Letter",
                ),
                migrations.DeleteModel(
                    name="SurveyAnswer",
                ),
                migrations.DeleteModel(
                    name="SurveyInvitation",
                ),
            ],
            database_operations=[],
        ),
    ]
