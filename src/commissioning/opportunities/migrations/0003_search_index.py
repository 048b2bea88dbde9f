"""The full-text index of opportunities, one per database engine."""

from django.db import migrations

POSTGRES = [
    """ALTER TABLE opportunities_opportunity ADD COLUMN search_document tsvector
       GENERATED ALWAYS AS (
         setweight(to_tsvector('english', coalesce(reference, '') || ' ' || coalesce(title, '')), 'A') ||
         setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
         setweight(to_tsvector('english', coalesce(description, '') || ' ' || coalesce(outcomes, '')), 'C')
       ) STORED""",
    "CREATE INDEX opportunities_search_idx ON opportunities_opportunity USING GIN (search_document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS opportunities_search_idx",
    "ALTER TABLE opportunities_opportunity DROP COLUMN IF EXISTS search_document",
]
SQLITE = [
    """CREATE VIRTUAL TABLE opportunities_search USING fts5(
         reference, title, summary, description, outcomes,
         content='opportunities_opportunity', content_rowid='id', tokenize='porter unicode61')""",
    """CREATE TRIGGER opportunities_search_insert AFTER INSERT ON opportunities_opportunity BEGIN
         INSERT INTO opportunities_search(rowid, reference, title, summary, description, outcomes)
         VALUES (new.id, new.reference, new.title, new.summary, new.description, new.outcomes);
       END""",
    """CREATE TRIGGER opportunities_search_delete AFTER DELETE ON opportunities_opportunity BEGIN
         INSERT INTO opportunities_search(opportunities_search, rowid, reference, title, summary, description, outcomes)
         VALUES ('delete', old.id, old.reference, old.title, old.summary, old.description, old.outcomes);
       END""",
    """CREATE TRIGGER opportunities_search_update AFTER UPDATE ON opportunities_opportunity BEGIN
         INSERT INTO opportunities_search(opportunities_search, rowid, reference, title, summary, description, outcomes)
         VALUES ('delete', old.id, old.reference, old.title, old.summary, old.description, old.outcomes);
         INSERT INTO opportunities_search(rowid, reference, title, summary, description, outcomes)
         VALUES (new.id, new.reference, new.title, new.summary, new.description, new.outcomes);
       END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS opportunities_search_update",
    "DROP TRIGGER IF EXISTS opportunities_search_delete",
    "DROP TRIGGER IF EXISTS opportunities_search_insert",
    "DROP TABLE IF EXISTS opportunities_search",
]


def forwards(apps, schema_editor):
    for statement in {"postgresql": POSTGRES, "sqlite": SQLITE}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    for statement in {"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}.get(
        schema_editor.connection.vendor, []
    ):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, backwards)]
