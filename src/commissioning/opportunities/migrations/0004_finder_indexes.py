"""Indexes for the finder and the API list, measured with tests/bench/finder.py.

With 100,000 opportunities every finder request counted its matches by
reading half the table (PostgreSQL chose a sequential scan; SQLite looked up
each row to test ``published_at``), and sorting by value or newest sorted
every match. ``opportunity_finder_idx`` holds every column the finder's
filters test, so a count is an index-only scan; the others give each sort
order an index to walk, with and without the status the open and closed views
fix (SQLite's planner uses only the first kind for those views, PostgreSQL
both). ``lot_opportunity_value_idx`` answers "has a lot of £100,000 or less"
from the index.

Plain SQL that both databases accept, kept out of the models' state like the
search index of 0003, so the model declarations and the indexes cannot drift
apart through a generated migration.
"""

from django.db import migrations

INDEXES = {
    "opportunity_finder_idx": (
        "opportunities_opportunity",
        "status, submission_deadline, published_at, kind, total_value, city_wide, service_area_id, id",
    ),
    "opportunity_status_value_idx": ("opportunities_opportunity", "status, total_value DESC, submission_deadline"),
    "opportunity_status_newest_idx": ("opportunities_opportunity", "status, published_at DESC"),
    "opportunity_value_idx": ("opportunities_opportunity", "total_value DESC, submission_deadline"),
    "opportunity_newest_idx": ("opportunities_opportunity", "published_at DESC"),
    "opportunity_closing_idx": ("opportunities_opportunity", "submission_deadline, reference"),
    "lot_opportunity_value_idx": ("opportunities_lot", "opportunity_id, value"),
}


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0003_search_index")]
    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, (table, columns) in INDEXES.items()
    ]
