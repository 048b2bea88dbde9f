"""Leeds geography as reference data.

Leeds (local authority E08000035) has 33 wards on the boundaries in force
from May 2018. The list lives in ``data/leeds_wards_2018.csv`` and is loaded
into :class:`commissioning.core.models.Ward` by a data migration, so it can be
checked against the ONS register and corrected as data, not code.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

LEEDS_LOCAL_AUTHORITY_CODE = "E08000035"
WARDS_FILE = Path(__file__).parent / "data" / "leeds_wards_2018.csv"


@dataclass(frozen=True)
class WardRecord:
    code: str
    name: str


def leeds_wards() -> list[WardRecord]:
    """Return the 33 Leeds wards (May 2018 boundaries), in alphabetical order."""
    with WARDS_FILE.open(newline="", encoding="utf-8") as handle:
        return [WardRecord(row["code"], row["name"]) for row in csv.DictReader(handle)]
