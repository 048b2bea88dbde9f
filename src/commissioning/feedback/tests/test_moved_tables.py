"""Letters, surveys and answers moved from evaluation to feedback over the same tables: nothing moves.

Rows written while the models were evaluation's (before evaluation/0005) are
read by feedback's models after feedback/0001, and the other way about.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from commissioning.core.tests.migrating import back_to_latest  # noqa: F401 (the fixture)
from commissioning.core.tests.travel import stop_builder_travels
from commissioning.evaluation.tests.awarded import awarded_tender
from commissioning.feedback.models import Letter, SurveyAnswer, SurveyInvitation

TABLES = {
    Letter: "evaluation_letter",
    SurveyInvitation: "evaluation_surveyinvitation",
    SurveyAnswer: "evaluation_surveyanswer",
}
BEFORE = [("evaluation", "0004_award_notice"), ("feedback", None)]
AFTER = [("evaluation", "0005_feedback_models_move_out"), ("feedback", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def test_the_tables_keep_their_names():
    assert {model: model._meta.db_table for model in TABLES} == TABLES
    assert {model._meta.app_label for model in TABLES} == {"feedback"}


@pytest.mark.usefixtures("back_to_latest")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_written_before_the_move_are_read_after_it_and_the_tables_are_untouched():
    opened, evaluation = awarded_tender()
    stop_builder_travels()  # the migrations below run at today's time
    columns_before = {table: _columns(table) for table in TABLES.values()}
    written = {letter.pk: letter.content for letter in Letter.objects.filter(evaluation=evaluation)}
    assert len(written) == 3

    old = _migrate(BEFORE)
    OldLetter = old.get_model("evaluation", "Letter")
    assert OldLetter._meta.db_table == "evaluation_letter"
    assert {letter.pk: letter.content for letter in OldLetter.objects.filter(evaluation_id=evaluation.pk)} == written
    # A letter written while the model was evaluation's.
    first = OldLetter.objects.filter(evaluation_id=evaluation.pk).order_by("pk").first()
    submission_id, kind, due_by = first.submission_id, first.kind, first.due_by
    first.delete()
    OldLetter.objects.create(
        evaluation_id=evaluation.pk,
        submission_id=submission_id,
        kind=kind,
        content={"written": "before the move"},
        written_at=evaluation.decided_at,
        due_by=due_by,
    )
    with pytest.raises(LookupError):
        old.get_model("feedback", "Letter")

    new = _migrate(AFTER)
    assert new.get_model("feedback", "Letter")._meta.db_table == "evaluation_letter"
    assert {table: _columns(table) for table in TABLES.values()} == columns_before
    moved = Letter.objects.get(evaluation=evaluation, submission_id=submission_id, kind=kind)
    assert moved.content == {"written": "before the move"}
    assert Letter.objects.filter(evaluation=evaluation).count() == 3
    assert SurveyInvitation.objects.filter(evaluation=evaluation).count() == len(
        set(SurveyInvitation.objects.values_list("organisation_id", flat=True))
    )


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [column.name for column in connection.introspection.get_table_description(cursor, table)]
