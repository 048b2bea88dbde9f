"""How the standstill is counted under each regime, as data.

The Procurement Act 2023, section 51: the mandatory standstill is eight
working days beginning with the day the contract award notice is published.
Below the threshold a standstill is voluntary and is counted the same way.
The Health Care Services (Provider Selection Regime) Regulations 2023,
regulation 12: the standstill begins on the day after the notice of intention
to award is published, and ends at midnight at the end of the eighth working
day after the day it begins. A grant round has no standstill.
"""

from django.db import migrations, models

ACT = "the Procurement Act 2023, section 51"
RULES = [
    # regime, working days, voluntary, max voluntary, notice, days after publication, first day counts, basis
    (
        "below_threshold",
        8,
        True,
        30,
        "award notice",
        0,
        True,
        "the counting of the Procurement Act 2023, section 51, as a voluntary standstill below the threshold",
    ),
    ("light_touch", 8, False, 0, "contract award notice", 0, True, ACT),
    ("competitive", 8, False, 0, "contract award notice", 0, True, ACT),
    (
        "psr",
        8,
        False,
        0,
        "notice of intention to award",
        1,
        False,
        "the Health Care Services (Provider Selection Regime) Regulations 2023, regulation 12",
    ),
    ("grant", 0, False, 0, "", 0, True, ""),
]


def load(apps, schema_editor):
    StandstillRule = apps.get_model("opportunities", "StandstillRule")
    for regime, days, voluntary, most, notice, after, counts, basis in RULES:
        StandstillRule.objects.get_or_create(
            regime=regime,
            defaults={
                "working_days": days,
                "voluntary": voluntary,
                "max_working_days": most,
                "notice": notice,
                "starts_days_after_publication": after,
                "first_day_counts": counts,
                "basis": basis,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0005_smallest_lot_value")]

    operations = [
        migrations.CreateModel(
            name="StandstillRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "regime",
                    models.CharField(
                        choices=[
                            ("below_threshold", "Below threshold"),
                            ("light_touch", "Light-touch regime (Procurement Act 2023)"),
                            ("competitive", "Above threshold: competitive flexible procedure"),
                            ("psr", "Provider Selection Regime (NHS health care)"),
                            ("grant", "Grant"),
                        ],
                        max_length=20,
                        unique=True,
                    ),
                ),
                (
                    "working_days",
                    models.PositiveSmallIntegerField(help_text="The standstill in working days (0 for none)."),
                ),
                (
                    "voluntary",
                    models.BooleanField(
                        default=False, help_text="The commissioner chooses the length, from 0 to the maximum below."
                    ),
                ),
                (
                    "max_working_days",
                    models.PositiveSmallIntegerField(
                        default=0, help_text="The longest voluntary standstill a commissioner may set, in working days."
                    ),
                ),
                (
                    "notice",
                    models.CharField(
                        blank=True,
                        help_text='The notice whose publication starts it, e.g. "contract award notice".',
                        max_length=100,
                    ),
                ),
                (
                    "starts_days_after_publication",
                    models.PositiveSmallIntegerField(
                        default=0,
                        help_text="Calendar days from the day the notice is published to the day the standstill begins.",
                    ),
                ),
                (
                    "first_day_counts",
                    models.BooleanField(
                        default=True,
                        help_text="The day the standstill begins is its first working day (if it is one); otherwise "
                        "counting starts on the working day after it.",
                    ),
                ),
                (
                    "basis",
                    models.CharField(
                        blank=True,
                        help_text='The law it follows, as letters cite it after "It follows".',
                        max_length=300,
                    ),
                ),
            ],
            options={"ordering": ["regime"]},
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
