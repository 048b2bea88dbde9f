"""Make the database itself refuse to change an evidence version.

Only ``superseded_at`` may be set, once, from empty; every other column is
fixed when the version is recorded.
"""

from django.db import migrations

COLUMNS = [
    "id",
    "organisation_id",
    "item",
    "version",
    "data",
    "file",
    "file_name",
    "content_type",
    "size",
    "sha256",
    "valid_until",
    "created_by_id",
    "created_at",
]
CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in COLUMNS)

SQLITE = [
    f"""CREATE TRIGGER evidence_item_immutable BEFORE UPDATE ON evidence_evidenceitem
       WHEN OLD.superseded_at IS NOT NULL OR {CHANGED}
       BEGIN SELECT RAISE(ABORT, 'evidence versions are immutable'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS evidence_item_immutable;"]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION evidence_item_immutable() RETURNS trigger AS $$
       BEGIN
         IF OLD.superseded_at IS NOT NULL
            OR (to_jsonb(NEW) - 'superseded_at') IS DISTINCT FROM (to_jsonb(OLD) - 'superseded_at') THEN
           RAISE EXCEPTION 'evidence versions are immutable';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER evidence_item_immutable BEFORE UPDATE ON evidence_evidenceitem
       FOR EACH ROW EXECUTE FUNCTION evidence_item_immutable();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS evidence_item_immutable ON evidence_evidenceitem;",
    "DROP FUNCTION IF EXISTS evidence_item_immutable();",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
