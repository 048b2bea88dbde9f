"""The value of an opportunity's smallest lot, kept on the opportunity for the finder.

"Suitable for small organisations" asked, for every open opportunity, whether
one of its lots was worth £100,000 or less: with 100,000 opportunities the
count alone took 50 ms on SQLite and more on PostgreSQL (tests/bench/finder.py).
Lots are final once an opportunity is published, so publishing records the
smallest lot's value (or the total when there are no lots), and the finder's
covering index gains the column so the count stays an index-only scan.

The column is added in place (nullable, no default), so SQLite does not rebuild
the table, which would drop the search triggers and the indexes made in SQL.
"""

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery
from django.db.models.functions import Coalesce

FINDER_COLUMNS_BEFORE = "status, submission_deadline, published_at, kind, total_value, city_wide, service_area_id, id"
FINDER_COLUMNS = (
    "status, submission_deadline, published_at, kind, total_value, smallest_lot_value, city_wide, service_area_id, id"
)


def fill(apps, schema_editor):
    Opportunity = apps.get_model("opportunities", "Opportunity")
    Lot = apps.get_model("opportunities", "Lot")
    smallest = (
        Lot.objects.filter(opportunity_id=OuterRef("pk"))
        .order_by()
        .values("opportunity_id")
        .annotate(least=Min("value"))
        .values("least")
    )
    Opportunity.objects.filter(published_at__isnull=False).update(
        smallest_lot_value=Coalesce(Subquery(smallest), "total_value")
    )


def index(columns):
    return [
        "DROP INDEX IF EXISTS opportunity_finder_idx",
        f"CREATE INDEX opportunity_finder_idx ON opportunities_opportunity ({columns})",
    ]


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0004_finder_indexes")]
    operations = [
        migrations.AddField(
            model_name="opportunity",
            name="smallest_lot_value",
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, max_digits=12, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunSQL(sql=index(FINDER_COLUMNS), reverse_sql=index(FINDER_COLUMNS_BEFORE)),
    ]
