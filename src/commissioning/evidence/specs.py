"""What each standard item holds, how it is checked, and until when it is good.

Every item is described once here: its fields (with the kind of value each
takes), whether it carries a file, how its ``valid_until`` follows from what
was entered, and the sentences that tell a provider where it stands. The
service normalises entries with :func:`clean_data`; pages build their forms
from the same description, so the two cannot disagree.

Stored data is JSON-safe and exact: money as text with two decimal places
("1250.00"), dates as ISO text ("2027-03-31"), years as whole numbers.
"""

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from commissioning.accounts.identifiers import IdentifierError, normalise_identifier, normalise_postcode
from commissioning.accounts.models import THIRD_SECTOR_FORMS, LegalForm
from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.money import MoneyError, format_money, parse_money

from .standard_items import StandardItem

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
MAX_ENTRIES = 10
DATE_INPUT_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
ACCOUNTS_GOOD_FOR_MONTHS = 21

LEGAL_FORMS = [
    (value, label)
    for value, label in LegalForm.choices
    if value in THIRD_SECTOR_FORMS or value in {LegalForm.PRIVATE_COMPANY, LegalForm.PUBLIC_BODY}
]


@dataclass(frozen=True)
class Field:
    """One thing an item asks for.

    ``kind`` is one of: text, textarea, money, date, year, choice, org_ids
    (org-id.guide identifiers, one per line).
    """

    name: str
    label: str
    kind: str = "text"
    required: bool = True
    max_length: int = 200
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    width: str = ""


@dataclass(frozen=True)
class ItemSpec:
    """What one standard item holds and how its validity is read."""

    item: str
    noun: str
    fields: tuple[Field, ...] = ()
    entries: tuple[Field, ...] = ()
    entry_name: str = ""
    file: str = "none"  # "none", "optional" or "required"
    file_label: str = "File"
    valid_until: Callable[[dict[str, Any]], date | None] = field(default=lambda data: None)
    expired: str = ""
    plural: bool = False
    from_profile: bool = False

    @property
    def label(self) -> str:
        return StandardItem(self.item).label

    @property
    def takes_file(self) -> bool:
        return self.file != "none"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 → 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _iso(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _accounts_valid_until(data: dict) -> date | None:
    year_end = _iso(data.get("year_end"))
    return add_months(year_end, ACCOUNTS_GOOD_FOR_MONTHS) if year_end else None


def _earliest_expiry(data: dict) -> date | None:
    expiries = [_iso(entry.get("expiry")) for entry in data.get("entries", []) if entry.get("expiry")]
    return min(expiries) if expiries else None


def _field_valid_until(name: str) -> Callable[[dict], date | None]:
    return lambda data: _iso(data.get(name))


def _insurance(item: StandardItem, noun: str) -> ItemSpec:
    return ItemSpec(
        item=item,
        noun=noun,
        fields=(
            Field("insurer", "Insurer"),
            Field("cover", "Cover (£)", kind="money", hint="The limit of indemnity, like 5000000", width="10"),
            Field("policy_number", "Policy number", max_length=60, width="20"),
            Field("expiry", "Expiry date", kind="date", hint="For example, 31/03/2027"),
        ),
        file="required",
        file_label="Certificate",
        valid_until=_field_valid_until("expiry"),
        expired="Your {noun} expired on {date}: add the current certificate",
    )


def _policy(item: StandardItem, noun: str) -> ItemSpec:
    return ItemSpec(
        item=item,
        noun=noun,
        fields=(Field("review_date", "Next review date", kind="date", hint="For example, 30/09/2027"),),
        file="required",
        file_label="The policy",
        valid_until=_field_valid_until("review_date"),
        expired="Your {noun} was due for review on {date}: add the reviewed policy",
    )


SPECS: dict[str, ItemSpec] = {
    spec.item: spec
    for spec in [
        ItemSpec(
            item=StandardItem.IDENTIFIERS,
            noun="identifiers and legal form",
            plural=True,
            from_profile=True,
            fields=(
                Field("legal_form", "Legal form", kind="choice", choices=tuple(LEGAL_FORMS)),
                Field(
                    "identifiers",
                    "Register numbers (optional)",
                    kind="org_ids",
                    required=False,
                    max_length=500,
                    hint=(
                        "One per line, like GB-CHC-1190001 (a registered charity) or GB-COH-11900002 (a company). "
                        "Leave blank if your group is not registered."
                    ),
                ),
            ),
        ),
        ItemSpec(
            item=StandardItem.ADDRESS,
            noun="registered address",
            from_profile=True,
            fields=(
                Field("address_line_1", "Address line 1"),
                Field("address_line_2", "Address line 2 (optional)", required=False),
                Field("town", "Town or city", max_length=100, width="20"),
                Field("postcode", "Postcode", max_length=10, width="10"),
            ),
        ),
        ItemSpec(
            item=StandardItem.ACCOUNTS,
            noun="latest annual accounts",
            plural=True,
            fields=(
                Field("income", "Income for that year (£)", kind="money", width="10"),
                Field("year_end", "Financial year end", kind="date", hint="For example, 31/03/2026"),
            ),
            file="required",
            file_label="The accounts",
            valid_until=_accounts_valid_until,
            expired="Your {noun} have been out of date since {date}: add your latest accounts",
        ),
        _insurance(StandardItem.INSURANCE_EMPLOYERS, "employer's liability insurance"),
        _insurance(StandardItem.INSURANCE_PUBLIC, "public liability insurance"),
        _insurance(StandardItem.INSURANCE_PROFESSIONAL, "professional indemnity insurance"),
        _policy(StandardItem.SAFEGUARDING_CHILDREN, "safeguarding children policy"),
        _policy(StandardItem.SAFEGUARDING_ADULTS, "safeguarding adults policy"),
        _policy(StandardItem.EQUALITY, "equality and diversity policy"),
        _policy(StandardItem.DATA_PROTECTION, "data protection policy"),
        _policy(StandardItem.HEALTH_SAFETY, "health and safety policy"),
        _policy(StandardItem.WHISTLEBLOWING, "whistleblowing policy"),
        _policy(StandardItem.COMPLAINTS, "complaints policy"),
        ItemSpec(
            item=StandardItem.SAFER_RECRUITMENT,
            noun="DBS checks and safer recruitment arrangements",
            plural=True,
            fields=(
                Field(
                    "arrangements",
                    "Your arrangements",
                    kind="textarea",
                    max_length=5000,
                    hint="Which roles need a DBS check and at what level, how you check references, and who decides.",
                ),
                Field("review_date", "Next review date", kind="date", hint="For example, 30/09/2027"),
            ),
            file="optional",
            file_label="A supporting document (optional)",
            valid_until=_field_valid_until("review_date"),
            expired="Your {noun} were due for review on {date}: review them and save them again",
        ),
        ItemSpec(
            item=StandardItem.QUALITY_MARKS,
            noun="quality marks and accreditations",
            plural=True,
            entry_name="Quality mark",
            entries=(
                Field("name", "Name", hint="Like Investing in Volunteers or PQASSO"),
                Field("awarding_body", "Awarding body"),
                Field("expiry", "Expiry date (optional)", kind="date", required=False, hint="For example, 31/03/2028"),
            ),
            valid_until=_earliest_expiry,
            expired="One of your {noun} expired on {date}: update your quality marks",
        ),
        ItemSpec(
            item=StandardItem.REFERENCES,
            noun="references from past contracts and grants",
            plural=True,
            entry_name="Reference",
            entries=(
                Field("funder", "Funder or commissioner"),
                Field("what", "What it paid for", kind="textarea", max_length=1000),
                Field("value", "Value (£)", kind="money", width="10"),
                Field("from_year", "From (year)", kind="year", width="4"),
                Field("to_year", "To (year, blank if it continues)", kind="year", required=False, width="4"),
                Field("contact", "Contact for a reference", hint="A name, and an e-mail address or phone number"),
            ),
        ),
    ]
}
assert set(SPECS) == set(StandardItem.values), "every standard item needs a description"


def spec_for(item: str) -> ItemSpec:
    """The description of a standard item; KeyError for an unknown code."""
    return SPECS[item]


def human_date(day: date) -> str:
    """A date the GOV.UK way: "3 March 2026" (the one style, :func:`commissioning.core.formats.format_date`)."""
    return format_date(day)


# ---------------------------------------------------------------------------
# Checking and normalising what was entered


class DataErrors(ValueError):
    """What is wrong with the entered data: messages by field name ("" for the whole item)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _clean_date(value: Any, label: str) -> str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    else:
        text = str(value).strip()
        day = None
        for fmt in DATE_INPUT_FORMATS:
            try:
                day = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if day is None:
            raise ValueError(f"Enter the {label.lower()} as a real date, like 31/03/2027")
    if not 2000 <= day.year <= LATEST_YEAR:
        raise ValueError(f"Enter the {label.lower()} as a date between 2000 and {LATEST_YEAR}")
    return day.isoformat()


def _clean_year(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not re.fullmatch(r"[0-9]{4}", text):
        raise ValueError("Enter the year as 4 digits, like 2023")
    year = int(text)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"Enter a year between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return year


def _clean_org_ids(value: Any) -> list[str]:
    lines = value if isinstance(value, list | tuple) else str(value).splitlines()
    cleaned: list[str] = []
    for line in lines:
        text = str(line).strip().upper()
        if not text:
            continue
        match = re.fullmatch(r"(GB-[A-Z]{2,3})[-\s]?(.+)", text)
        if not match:
            raise ValueError(f"{text} is not an identifier like GB-CHC-1190001")
        try:
            number = normalise_identifier(match.group(1), match.group(2))
        except IdentifierError as exc:
            raise ValueError(f"{text}: {exc}") from exc
        org_id = f"{match.group(1)}-{number}"
        if org_id not in cleaned:
            cleaned.append(org_id)
    return cleaned


def _clean_value(f: Field, value: Any) -> Any:
    """One field's value in its stored form, or ValueError with a sentence for the person."""
    if f.kind == "money":
        try:
            return str(parse_money(value if isinstance(value, Decimal | int) else str(value)))
        except MoneyError as exc:
            raise ValueError(str(exc)) from exc
    if f.kind == "date":
        return _clean_date(value, f.label.replace(" (optional)", ""))
    if f.kind == "year":
        return _clean_year(value)
    if f.kind == "org_ids":
        return _clean_org_ids(value)
    text = str(value).replace("\x00", "").strip()
    if f.kind == "choice":
        if text not in {choice for choice, _ in f.choices}:
            raise ValueError(f"Choose the {f.label.lower()} from the list")
        return text
    if len(text) > f.max_length:
        raise ValueError(f"{f.label.replace(' (optional)', '')} must be {f.max_length} characters or fewer")
    if f.name == "postcode":
        return normalise_postcode(text)
    return text


def _clean_fields(fields: tuple[Field, ...], values: dict, prefix: str, errors: dict) -> dict:
    cleaned: dict[str, Any] = {}
    for f in fields:
        value = values.get(f.name)
        key = f"{prefix}{f.name}"
        if _blank(value):
            if f.required:
                verb = "Choose" if f.kind == "choice" else "Enter"
                errors.setdefault(key, []).append(f"{verb} the {f.label.replace(' (£)', '').lower()}")
            elif f.kind == "org_ids":
                cleaned[f.name] = []
            continue
        try:
            cleaned[f.name] = _clean_value(f, value)
        except ValueError as exc:
            errors.setdefault(key, []).append(str(exc))
    return cleaned


def _clean_entries(spec, raw, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """A list item's entries, cleaned; blank ones left out; problems named by the entry's place as sent."""
    if not isinstance(raw, list | tuple):
        raise DataErrors({"entries": ["Send the entries as a list"]})
    entries = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or all(_blank(entry.get(f.name)) for f in spec.entries):
            continue
        prefix = f"entries-{index}-"
        cleaned = _clean_fields(spec.entries, entry, prefix, errors)
        start, end = cleaned.get("from_year"), cleaned.get("to_year")
        if start and end and end < start:
            errors.setdefault(prefix + "to_year", []).append("The end year must be the start year or later")
        entries.append(cleaned)
    if not entries and not errors:
        errors["entries"] = [f"Add at least one {spec.entry_name.lower()}"]
    if len(entries) > MAX_ENTRIES:
        errors["entries"] = [f"Add no more than {MAX_ENTRIES} entries"]
    return entries


def clean_data(item: str, data: dict[str, Any]) -> tuple[dict[str, Any], date | None]:
    """Check and normalise what was entered for ``item``; return the stored data and its valid-until date.

    Text is trimmed, money becomes exact text, dates ISO text, identifiers
    their org-id form. Fields the item does not have are dropped. Raises
    :class:`DataErrors` naming each field that is wrong; for a list item the
    names are ``entries-<n>-<field>`` (n counting from 0 as sent), and blank
    entries are left out.
    """
    spec = spec_for(item)
    errors: dict[str, list[str]] = {}
    cleaned = _clean_fields(spec.fields, data, "", errors)
    if spec.entries:
        cleaned["entries"] = _clean_entries(spec, data.get("entries") or [], errors)
    year_end = cleaned.get("year_end") if item == StandardItem.ACCOUNTS else None
    if year_end and date.fromisoformat(year_end) > clock.today():
        errors.setdefault("year_end", []).append("The financial year end must be today or in the past")
    if item.startswith("insurance_") and cleaned.get("cover") is not None and Decimal(cleaned["cover"]) <= 0:
        errors.setdefault("cover", []).append("Enter the cover, more than £0")
    if errors:
        raise DataErrors(errors)
    return cleaned, spec.valid_until(cleaned)


# ---------------------------------------------------------------------------
# Reading stored data back


def _shown(f: Field, value: Any) -> str:
    if value in (None, "", []):
        return "Not given"
    if f.kind == "money":
        return format_money(Decimal(value))
    if f.kind == "date":
        return human_date(date.fromisoformat(value))
    if f.kind == "choice":
        return dict(f.choices).get(value, value)
    if f.kind == "org_ids":
        return ", ".join(value)
    return str(value)


def describe(item: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    """What a version says, as (label, text) rows for a summary list."""
    spec = spec_for(item)
    rows = [(f.label.replace(" (optional)", ""), _shown(f, data.get(f.name))) for f in spec.fields]
    for number, entry in enumerate(data.get("entries", []), start=1):
        parts = [_shown(f, entry.get(f.name)) for f in spec.entries if entry.get(f.name) not in (None, "")]
        rows.append((f"{spec.entry_name} {number}", ", ".join(parts)))
    return rows


def form_value(f: Field, value: Any) -> Any:
    """A stored value as a form shows it (dates as dd/mm/yyyy, identifiers one per line)."""
    if value in (None, ""):
        return ""
    if f.kind == "date":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if f.kind == "org_ids":
        return "\n".join(value)
    return value


def profile_data(item: str, organisation) -> dict[str, Any] | None:
    """The item's data as the organisation's profile already has it (identifiers, address), else None."""
    if item == StandardItem.IDENTIFIERS:
        return {
            "legal_form": organisation.legal_form,
            "identifiers": [identifier.org_id for identifier in organisation.identifiers.all()],
        }
    if item == StandardItem.ADDRESS:
        return {
            "address_line_1": organisation.address_line_1,
            "address_line_2": organisation.address_line_2,
            "town": organisation.town,
            "postcode": organisation.postcode,
        }
    return None


def readiness_message(item: str, state: str, valid_until: date | None) -> str:
    """A plain sentence about where an item stands, for a page or the GOV.UK error summary."""
    spec = spec_for(item)
    verb = "are" if spec.plural else "is"
    if state == "missing":
        return f"Add your {spec.noun} to your evidence"
    if state == "expired" and valid_until is not None:
        return spec.expired.format(noun=spec.noun, date=human_date(valid_until))
    if valid_until is not None:
        return f"Your {spec.noun} {verb} current until {human_date(valid_until)}"
    return f"Your {spec.noun} {verb} in your evidence"


def not_confirmable_sentence(item: str) -> str:
    """What an expired item means for bids: the sentence that follows its readiness message."""
    spec = spec_for(item)
    return f"Until you do, {'they' if spec.plural else 'it'} cannot be confirmed in a bid or application"


def saved_message(item: str, valid_until: date | None, on: date) -> tuple[str, bool]:
    """What to tell someone who has just saved ``item``, and whether it is a warning.

    A version that is already out of date on ``on`` is kept (it is what the
    organisation holds), but saving it is never announced as plain success:
    the sentence says it has expired and cannot be confirmed in a bid.
    """
    spec = spec_for(item)
    saved = f"Your {spec.noun} {'have' if spec.plural else 'has'} been saved"
    if valid_until is not None and valid_until < on:
        expired = readiness_message(item, "expired", valid_until)
        return f"{saved}. {expired}. {not_confirmable_sentence(item)}.", True
    return saved, False
