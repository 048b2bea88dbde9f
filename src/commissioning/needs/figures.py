"""Ward figures read from a CSV file: every row checked, every bad row reported by its line and why.

The file has a header row naming its columns: the ward (``ward code`` or
``ward name``, or ``ward`` for either), ``indicator``, ``value`` and
``year``, in any order; other columns are ignored. Reading is pure: it is
given the wards to match against and the years allowed, and writes nothing.
:func:`commissioning.needs.services.ward_figures_import` decides what to save.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

INDICATOR_MAX_LENGTH = 120
# The table keeps 14 digits, 4 after the point.
VALUE_MAX_WHOLE_DIGITS = 10
VALUE_MAX_PLACES = 4
NUMBER = re.compile(r"-?[0-9][0-9,]*(\.[0-9]+)?")
YEAR = re.compile(r"[0-9]{4}")

WARD_COLUMNS = ("ward code", "ward name", "ward")
REQUIRED_COLUMNS = ("indicator", "value", "year")


class FileRefused(ValueError):
    """The file as a whole cannot be read as ward figures; the message says why."""


@dataclass(frozen=True)
class GoodRow:
    """A row that can be saved: its line, the ward's code and name, the indicator, year and value."""

    line: int
    ward_code: str
    ward_name: str
    indicator: str
    year: int
    value: Decimal

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.ward_code, self.indicator.casefold(), self.year)


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be saved: its line in the file and every reason why."""

    line: int
    problems: tuple[str, ...]

    @property
    def message(self) -> str:
        return f"Line {self.line}: {'; '.join(self.problems)}"


@dataclass
class Reading:
    """What a file holds: the good rows in file order and the bad ones, each with its line."""

    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


def _column(name: str) -> str:
    return " ".join(name.replace("_", " ").replace("-", " ").strip().lower().split())


def decode(raw: bytes) -> str:
    """The file's text (UTF-8, with or without a byte-order mark), or :class:`FileRefused`."""
    if not raw.strip():
        raise FileRefused("The file is empty")
    if b"\x00" in raw:
        raise FileRefused("The file is not a CSV file: save the spreadsheet as CSV (comma separated values)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "The file is not a CSV file in UTF-8: save the spreadsheet as \u201cCSV UTF-8 (comma delimited)\u201d"
        ) from exc


def parse_value(text: str) -> tuple[Decimal | None, str | None]:
    """The value typed in a cell, or why it cannot be one: digits, commas between them, one point."""
    text = text.strip()
    if not text:
        return None, "enter a value"
    if not NUMBER.fullmatch(text) or text.endswith(","):
        return None, f"the value \u201c{text[:40]}\u201d is not a number"
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None, f"the value \u201c{text[:40]}\u201d is not a number"
    sign, digits, exponent = value.as_tuple()
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if places > VALUE_MAX_PLACES:
        return None, f"the value must have no more than {VALUE_MAX_PLACES} decimal places"
    if len(digits) - places > VALUE_MAX_WHOLE_DIGITS:
        return None, f"the value must be less than {10**VALUE_MAX_WHOLE_DIGITS:,}"
    return value, None


def year_problem(year: int, years: range) -> str | None:
    """Why ``year`` is outside ``years``, or None."""
    if year not in years:
        return f"the year must be from {years.start} to {years.stop - 1}"
    return None


def read(
    text: str,
    *,
    wards_by_code: dict[str, str],
    wards_by_name: dict[str, str],
    years: range,
    max_rows: int,
) -> Reading:
    """Read ``text`` as ward figures; a problem with the file as a whole raises :class:`FileRefused`.

    ``wards_by_code`` maps each ward's code to its name, ``wards_by_name``
    each name (case-folded) to its code. Guarantees: every data row is either
    good or bad; a bad row lists every reason (unknown ward, no indicator, a
    value that is not a number, a year out of ``years``, the same ward,
    indicator and year as an earlier line); lines are counted as a
    spreadsheet numbers them, the header being line 1. More than ``max_rows``
    rows refuses the file.
    """
    try:
        rows = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(rows, None)
    except csv.Error as exc:
        raise FileRefused(f"The file is not a CSV file the hub can read ({exc})") from exc
    ward_column, where = _columns(header)
    reading = Reading()
    seen: dict[tuple[str, str, int], int] = {}
    count = 0
    try:
        for cells in rows:
            line = rows.line_num
            if not any(cell.strip() for cell in cells):
                continue
            count += 1
            if count > max_rows:
                raise FileRefused(f"The file has more than {max_rows:,} rows: split it into smaller files")
            row = _row(line, cells, ward_column, where, wards_by_code, wards_by_name, years)
            if isinstance(row, GoodRow):
                earlier = seen.get(row.key)
                if earlier is not None:
                    row = BadRow(
                        line,
                        (f"line {earlier} already gives {row.indicator} for {row.ward_name} in {row.year}",),
                    )
                else:
                    seen[row.key] = line
            (reading.good if isinstance(row, GoodRow) else reading.bad).append(row)
    except csv.Error as exc:
        raise FileRefused(f"The file is not a CSV file the hub can read ({exc})") from exc
    if count == 0:
        raise FileRefused("The file has a header row but no figures")
    return reading


def _columns(header: list[str] | None) -> tuple[int, dict[str, int]]:
    """Where the ward column and the required columns are, or :class:`FileRefused` naming what is missing."""
    if not header or not any(cell.strip() for cell in header):
        raise FileRefused("The file has no header row: put ward code (or ward name), indicator, value and year first")
    columns = [_column(name) for name in header]
    ward_column = next((columns.index(name) for name in WARD_COLUMNS if name in columns), None)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if ward_column is None:
        missing.insert(0, "ward code or ward name")
    if missing:
        raise FileRefused(
            f"The header row must name the columns ward code (or ward name), indicator, value and year; "
            f"it lacks {', '.join(missing)}"
        )
    return ward_column, {name: columns.index(name) for name in REQUIRED_COLUMNS}


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _row(line, cells, ward_column, where, wards_by_code, wards_by_name, years) -> GoodRow | BadRow:
    problems: list[str] = []
    ward_text = _cell(cells, ward_column)
    code = ward_text.upper() if ward_text.upper() in wards_by_code else wards_by_name.get(ward_text.casefold())
    if not ward_text:
        problems.append("enter the ward's code or name")
    elif code is None:
        problems.append(f"there is no Leeds ward \u201c{ward_text[:60]}\u201d")
    indicator = " ".join(_cell(cells, where["indicator"]).split())
    if not indicator:
        problems.append("enter the indicator")
    elif len(indicator) > INDICATOR_MAX_LENGTH:
        problems.append(f"the indicator must be {INDICATOR_MAX_LENGTH} characters or fewer")
    value, value_problem = parse_value(_cell(cells, where["value"]))
    if value_problem:
        problems.append(value_problem)
    year_text = _cell(cells, where["year"])
    year = None
    if not year_text:
        problems.append("enter the year")
    elif not YEAR.fullmatch(year_text):
        problems.append(f"the year \u201c{year_text[:20]}\u201d is not a year like 2025")
    else:
        year = int(year_text)
        if problem := year_problem(year, years):
            problems.append(problem)
    if problems:
        return BadRow(line, tuple(problems))
    return GoodRow(line, code, wards_by_code[code], indicator, year, value)
