"""Reference data the hub ships with: CPI 12-month rates and the threshold above which KPIs are required.

CPI (ONS series D7G7, dataset MM23): the annual average 12-month rates for
2015 to 2025 and the monthly rates published for 2026, as released on
19 August 2026. Administrators add each new figure as ONS publishes it.
The KPI threshold is the Procurement Act 2023 s52's £5 million (including VAT).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

SOURCE = "ONS, CPI annual rate 00: all items (D7G7, MM23), release of 19 August 2026"
ANNUAL = {
    2015: "0.0",
    2016: "0.7",
    2017: "2.7",
    2018: "2.5",
    2019: "1.8",
    2020: "0.9",
    2021: "2.6",
    2022: "9.1",
    2023: "7.3",
    2024: "2.5",
    2025: "3.4",
}
MONTHLY_2026 = {1: "3.0", 2: "3.0", 3: "3.3", 4: "2.8", 5: "2.8", 6: "2.6", 7: "2.9"}


def load(apps, schema_editor):
    InflationRate = apps.get_model("contracts", "InflationRate")
    ProcurementThreshold = apps.get_model("opportunities", "ProcurementThreshold")
    for year, rate in ANNUAL.items():
        InflationRate.objects.get_or_create(
            series="D7G7", year=year, month=None, defaults={"rate": Decimal(rate), "source": SOURCE}
        )
    for month, rate in MONTHLY_2026.items():
        InflationRate.objects.get_or_create(
            series="D7G7", year=2026, month=month, defaults={"rate": Decimal(rate), "source": SOURCE}
        )
    ProcurementThreshold.objects.get_or_create(
        key="kpis_required",
        valid_from=date(2025, 2, 24),
        defaults={
            "label": "Key performance indicators required (Procurement Act 2023 s52)",
            "amount": Decimal("5000000.00"),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("contracts", "0001_initial"), ("opportunities", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
