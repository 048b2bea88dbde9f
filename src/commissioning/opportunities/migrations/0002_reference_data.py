from datetime import date
from decimal import Decimal

from django.db import migrations

# (name, light-touch regime applies, NHS health care under the Provider Selection Regime)
SERVICE_AREAS = [
    ("Adult social care", True, False),
    ("Advice, debt and welfare rights", True, False),
    ("Arts, culture and sport", True, False),
    ("Carers' support", True, False),
    ("Children, young people and families", True, False),
    ("Community development and infrastructure", True, False),
    ("Community health services", True, True),
    ("Digital inclusion", True, False),
    ("Drug and alcohol recovery", True, True),
    ("Employment and skills", True, False),
    ("Housing and homelessness support", True, False),
    ("Mental health and wellbeing", True, True),
    ("Older people", True, False),
    ("Public health and prevention", True, False),
    ("Community transport", False, False),
]

# Procurement Act 2023 thresholds, including VAT.
THRESHOLDS = [
    ("light_touch", "Light-touch regime (social, health and other services)", Decimal("663540.00"), date(2024, 1, 1)),
    (
        "goods_services_sub_central",
        "Goods and services, sub-central authorities",
        Decimal("214904.00"),
        date(2024, 1, 1),
    ),
    (
        "goods_services_sub_central",
        "Goods and services, sub-central authorities",
        Decimal("207720.00"),
        date(2026, 1, 1),
    ),
]


def load(apps, schema_editor):
    from django.utils.text import slugify

    ServiceArea = apps.get_model("opportunities", "ServiceArea")
    ProcurementThreshold = apps.get_model("opportunities", "ProcurementThreshold")
    for name, light_touch, nhs in SERVICE_AREAS:
        ServiceArea.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "light_touch": light_touch, "nhs_health_care": nhs}
        )
    for key, label, amount, valid_from in THRESHOLDS:
        ProcurementThreshold.objects.get_or_create(
            key=key, valid_from=valid_from, defaults={"label": label, "amount": amount}
        )


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
