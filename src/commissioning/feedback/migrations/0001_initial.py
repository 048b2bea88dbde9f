"""Feedback takes up the letters, surveys and answers that evaluation kept, over the same tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_api_token_failures"),
        ("evaluation", "0005_feedback_models_move_out"),
        ("submissions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables exist already (made by evaluation's migrations): this declares them, in state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SurveyInvitation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("successful", "Successful bidder"),
                                    ("unsuccessful", "Unsuccessful bidder"),
                                    ("interested", "Registered interest but did not bid"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("token_digest", models.CharField(max_length=64, unique=True)),
                        (
                            "recipients",
                            models.JSONField(default=list, help_text="The addresses the survey was e-mailed to."),
                        ),
                        ("sent_at", models.DateTimeField()),
                        ("answered_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "evaluation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="survey_invitations",
                                to="evaluation.evaluation",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "evaluation_surveyinvitation",
                        "ordering": ["role", "organisation__name", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="SurveyAnswer",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "rating",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="How the process was, from 1 (very poor) to 5 (very good).",
                                null=True,
                            ),
                        ),
                        ("worked", models.TextField(blank=True, max_length=3000)),
                        ("improve", models.TextField(blank=True, max_length=3000)),
                        (
                            "reasons",
                            models.JSONField(blank=True, default=list, help_text="Why the organisation did not bid."),
                        ),
                        ("reason_other", models.TextField(blank=True, max_length=3000)),
                        ("answered_at", models.DateTimeField()),
                        (
                            "invitation",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="answer",
                                to="feedback.surveyinvitation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "evaluation_surveyanswer",
                    },
                ),
                migrations.CreateModel(
                    name="Letter",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("award", "Award letter"),
                                    ("feedback", "Feedback letter"),
                                    ("offer", "Grant offer letter"),
                                    ("decline", "Grant decision letter"),
                                ],
                                max_length=20,
                            ),
                        ),
                        ("content", models.JSONField()),
                        ("written_at", models.DateTimeField()),
                        ("due_by", models.DateField(help_text="Feedback must be sent by this day (PR-10).")),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "evaluation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="letters",
                                to="evaluation.evaluation",
                            ),
                        ),
                        (
                            "sent_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "submission",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="letters",
                                to="submissions.submission",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "evaluation_letter",
                        "ordering": ["kind", "pk"],
                        "constraints": [
                            models.UniqueConstraint(fields=("submission", "kind"), name="one_letter_of_a_kind")
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="surveyinvitation",
                    constraint=models.UniqueConstraint(
                        fields=("evaluation", "organisation"), name="one_survey_per_organisation"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="surveyanswer",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("rating__isnull", True), models.Q(("rating__gte", 1), ("rating__lte", 5)), _connector="OR"
                        ),
                        name="a_rating_of_1_to_5",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
