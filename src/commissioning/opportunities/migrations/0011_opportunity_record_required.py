"""Every opportunity now has its commissioning record (0010), so every one must.

SQLite cannot make a column required in place: Django rebuilds the table,
which drops the search triggers of 0003 and the indexes made in SQL by 0004
and 0005. They are made again here, from those migrations' own statements, so
the finder's search and its speed are as they were, whichever way the
migration runs. PostgreSQL changes the column in place and keeps both.
"""

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

search = import_module("commissioning.opportunities.migrations.0003_search_index")
finder = import_module("commissioning.opportunities.migrations.0004_finder_indexes")
smallest = import_module("commissioning.opportunities.migrations.0005_smallest_lot_value")


def sqlite_statements() -> list[str]:
    """The triggers and indexes a rebuild of the opportunities table drops, as SQLite statements."""
    triggers = [s for s in search.SQLITE if s.lstrip().startswith("CREATE TRIGGER")]
    indexes = [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
        for name, (table, columns) in finder.INDEXES.items()
        if table == "opportunities_opportunity" and name != "opportunity_finder_idx"
    ]
    return [
        *(s.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1) for s in triggers),
        *indexes,
        *smallest.index(smallest.FINDER_COLUMNS),
    ]


def rebuilt_parts_restored(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in sqlite_statements():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0010_opportunity_records_made"),
    ]

    # Both ways: going back rebuilds the table again, so the parts are restored after that rebuild too.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, rebuilt_parts_restored),
        migrations.AlterField(
            model_name="opportunity",
            name="record",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="opportunities",
                to="records.commissioningrecord",
            ),
        ),
        migrations.RunPython(rebuilt_parts_restored, migrations.RunPython.noop),
    ]
