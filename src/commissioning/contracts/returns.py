"""Monitoring returns (CM-4): what the provider types, kept as typed; what it submits, checked; the review.

A return's fields, whatever page or API call they come from, are one flat
mapping of names to text (:func:`fields_for`), so a draft keeps exactly what
was typed, even what could not be accepted yet:

- ``measure_<n>_actual`` and ``measure_<n>_note`` for each KPI;
- ``narrative`` and ``case_studies``;
- ``spend_budget``, ``spend_actual`` and ``spend_note`` where the tier asks for spend;
- ``people_reached``; ``ward_<code>``; ``<characteristic>__<category>``; ``community__<category>``;
- ``mismatch_explanation`` when a breakdown does not add up to the people reached.

:func:`checked` turns them into the return's figures or the messages per
field; counts are whole numbers of people, 0 or more, never about a named
person. Each breakdown by ward and by characteristic must add up to the
people reached, or the difference is explained (communities may overlap, so
they are not added up).
"""

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.audit.services import audit_record
from commissioning.audit.transitions import transition
from commissioning.core import clock
from commissioning.core.equality import Characteristic
from commissioning.core.errors import RefusedError
from commissioning.core.geography import leeds_wards
from commissioning.core.money import MoneyError, parse_money
from commissioning.core.text import looks_blank, multi_line_problem

from .models import AgreementStatus, Breakdown, MonitoringReturn, ReturnReview, ReturnStatus, ReviewOutcome
from .permissions import is_agreement_commissioner, is_agreement_provider
from .workflow import EDITABLE_RETURN_STATUSES, RETURN_WORKFLOW

DATA = Path(__file__).parent / "data" / "breakdowns.json"
MAX_COUNT = 10_000_000
NARRATIVE_MAX = 5000
CASE_STUDIES_MAX = 10000
NOTE_MAX = 1000


class ReturnError(RefusedError):
    """A return the rules refuse, with messages per field."""


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


@dataclass(frozen=True)
class Category:
    key: str
    label: str


@cache
def categories() -> dict[str, list[Category]]:
    """Each characteristic's categories, from the reference data, in the order they are asked."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {
        name: [Category(_key(label), label) for label in labels] for name, labels in data["characteristics"].items()
    }


@cache
def communities() -> list[Category]:
    """The communities of interest a return counts people in."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return [Category(_key(label), label) for label in data["communities"]]


CHARACTERISTIC_LABELS = dict(Characteristic.choices)


def fields_for(agreement) -> dict[str, list[str]]:
    """The field names of each section of this agreement's return, in the order they are asked."""
    measures = [f"measure_{m.number}_{part}" for m in agreement.measures.all() for part in ("actual", "note")]
    people = ["people_reached"]
    if Breakdown.WARD in agreement.breakdowns:
        people += [f"ward_{ward.code}" for ward in leeds_wards()]
    if Breakdown.CHARACTERISTIC in agreement.breakdowns:
        people += [f"{name}__{c.key}" for name, cats in categories().items() for c in cats]
    if Breakdown.COMMUNITY in agreement.breakdowns:
        people += [f"community__{c.key}" for c in communities()]
    people.append("mismatch_explanation")
    sections = {"measures": measures, "story": ["narrative", "case_studies"]}
    if agreement.spend_reported:
        sections["spend"] = ["spend_budget", "spend_actual", "spend_note"]
    sections["people"] = people
    return sections


def all_fields(agreement) -> list[str]:
    return [name for names in fields_for(agreement).values() for name in names]


def _count(text: str) -> int | None:
    """A whole number of people typed with digits (and thousands commas), or None when it is not one."""
    text = (text or "").strip().replace(",", "")
    if not re.fullmatch(r"\d{1,9}", text):
        return None
    return int(text)


def _number(text: str) -> Decimal | None:
    text = (text or "").strip().replace(",", "")
    if not re.fullmatch(r"-?\d{1,12}(\.\d{1,2})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


@dataclass
class Checked:
    """A return's figures once every field is accepted, ready to be saved as submitted."""

    measures: list
    narrative: str
    case_studies: str
    spend: dict
    people_reached: int
    breakdowns: dict
    mismatch_explanation: str


def _check_text(data, errors, name, limit, *, required=False, what=""):
    text = str(data.get(name) or "").strip()
    problem = multi_line_problem(text, what=what)
    if required and (not text or looks_blank(text)):
        errors[name] = [f"Enter {what}"]
    elif problem is not None:
        errors[name] = [str(problem)]
    elif len(text) > limit:
        errors[name] = [f"{what[0].upper()}{what[1:]} must be {limit:,} characters or fewer"]
    return text


def _check_counts(data, errors, names, label_of) -> dict[str, int]:
    counted = {}
    for name in names:
        text = str(data.get(name) or "").strip()
        if not text:
            continue
        value = _count(text)
        if value is None:
            errors[name] = [f"Enter the number of people for {label_of(name)} as a whole number, 0 or more"]
        elif value > MAX_COUNT:
            errors[name] = [f"The number of people for {label_of(name)} must be {MAX_COUNT:,} or fewer"]
        else:
            counted[name] = value
    return counted


def label_for(name: str) -> str:
    """The words a field's number is for, as its messages say them."""
    if name.startswith("ward_"):
        wards = {w.code: w.name for w in leeds_wards()}
        return wards.get(name[5:], name)
    if name.startswith("community__"):
        return next((c.label for c in communities() if c.key == name[11:]), name)
    if "__" in name:
        characteristic, key = name.split("__", 1)
        found = next((c.label for c in categories().get(characteristic, []) if c.key == key), key)
        return f"{CHARACTERISTIC_LABELS.get(characteristic, characteristic).lower()}: {found}"
    return name.replace("_", " ")


def _check_measures(agreement, data, errors) -> list:
    measures = []
    for measure in agreement.measures.all():
        name = f"measure_{measure.number}_actual"
        text = str(data.get(name) or "").strip()
        actual = _number(text)
        if not text:
            errors[name] = [f"Enter the result for KPI {measure.number}: {measure.name}"]
        elif actual is None or actual < 0:
            errors[name] = [f"Enter the result for KPI {measure.number} as a number, 0 or more"]
        note = _check_text(data, errors, f"measure_{measure.number}_note", NOTE_MAX, what="the note")
        measures.append(
            {
                "number": measure.number,
                "name": measure.name,
                "target": str(measure.target),
                "unit": measure.unit,
                "actual": str(actual) if actual is not None else "",
                "note": note,
            }
        )
    return measures


def _check_spend(agreement, data, errors) -> dict:
    if not agreement.spend_reported:
        return {}
    spend = {}
    for name, what in (("spend_budget", "the budget for the period"), ("spend_actual", "what was spent")):
        text = str(data.get(name) or "").strip()
        if not text:
            errors[name] = [f"Enter {what}"]
            continue
        try:
            spend[name[6:]] = str(parse_money(text))
        except MoneyError:
            errors[name] = [f"Enter {what} in pounds, like 12,500.00"]
    spend["note"] = _check_text(data, errors, "spend_note", NOTE_MAX, what="the note on spend")
    return spend


def _breakdowns(agreement, counted: dict[str, int]) -> dict:
    result: dict = {}
    if Breakdown.WARD in agreement.breakdowns:
        result["ward"] = {name[5:]: n for name, n in counted.items() if name.startswith("ward_")}
    if Breakdown.CHARACTERISTIC in agreement.breakdowns:
        result["characteristic"] = {
            characteristic: {
                c.key: counted[f"{characteristic}__{c.key}"] for c in cats if f"{characteristic}__{c.key}" in counted
            }
            for characteristic, cats in categories().items()
        }
    if Breakdown.COMMUNITY in agreement.breakdowns:
        result["community"] = {name[11:]: n for name, n in counted.items() if name.startswith("community__")}
    return result


def mismatches(people_reached: int, breakdowns: dict) -> list[str]:
    """Each breakdown (by ward; by each characteristic) whose counts do not add up to the people reached."""
    found = []
    if "ward" in breakdowns and sum(breakdowns["ward"].values()) != people_reached:
        found.append(f"the wards add up to {sum(breakdowns['ward'].values()):,}")
    for characteristic, counts in (breakdowns.get("characteristic") or {}).items():
        total = sum(counts.values())
        if total != people_reached:
            found.append(f"{CHARACTERISTIC_LABELS.get(characteristic, characteristic).lower()} adds up to {total:,}")
    return found


def checked(agreement, data: dict) -> tuple[Checked | None, dict[str, list[str]]]:
    """The return's figures from what was typed, or the messages per field that say what to correct."""
    errors: dict[str, list[str]] = {}
    measures = _check_measures(agreement, data, errors)
    narrative = _check_text(data, errors, "narrative", NARRATIVE_MAX, required=True, what="what happened in the period")
    case_studies = _check_text(data, errors, "case_studies", CASE_STUDIES_MAX, what="the case studies")
    spend = _check_spend(agreement, data, errors)
    people_text = str(data.get("people_reached") or "").strip()
    people = _count(people_text)
    if people is None or people > MAX_COUNT:
        errors["people_reached"] = ["Enter how many people the service reached as a whole number, 0 or more"]
    names = [n for n in fields_for(agreement)["people"] if n not in ("people_reached", "mismatch_explanation")]
    counted = _check_counts(data, errors, names, label_for)
    breakdowns = _breakdowns(agreement, counted)
    explanation = _check_text(data, errors, "mismatch_explanation", 2000, what="the explanation")
    if people is not None and not errors.get("people_reached"):
        wrong = mismatches(people, breakdowns)
        if wrong and not explanation:
            errors["mismatch_explanation"] = [
                f"The breakdowns do not add up to the {people:,} people reached ({'; '.join(wrong)}): "
                "correct them, or explain the difference"
            ]
    if errors:
        return None, errors
    return Checked(measures, narrative, case_studies, spend, people, breakdowns, explanation), {}


def _typed(agreement, data: dict) -> dict[str, str]:
    """What was typed for this agreement's fields, as text (nothing else is kept)."""
    allowed = set(all_fields(agreement))
    return {
        name: str(value)[:CASE_STUDIES_MAX]
        for name, value in (data or {}).items()
        if name in allowed and value is not None
    }


def _require_provider(actor, monitoring_return: MonitoringReturn) -> None:
    if not is_agreement_provider(actor, monitoring_return.agreement):
        raise PermissionDenied("Only the provider's people prepare its returns")


def _locked(monitoring_return: MonitoringReturn) -> MonitoringReturn:
    return (
        MonitoringReturn.objects.select_for_update(of=("self", "agreement"))
        .select_related("agreement")
        .get(pk=monitoring_return.pk)
    )


def return_save(*, actor, monitoring_return: MonitoringReturn, data: dict) -> MonitoringReturn:
    """Keep what the provider typed in a return, as typed, to come back to: nothing is checked but its length.

    Guarantees: only the agreement's provider people, only an accepted
    agreement's return that is not submitted or accepted; typed values are
    merged into the draft (a section saved does not clear another).
    """
    _require_provider(actor, monitoring_return)
    with transaction.atomic():
        locked = _locked(monitoring_return)
        if locked.agreement.status != AgreementStatus.ACCEPTED or locked.status not in EDITABLE_RETURN_STATUSES:
            raise ReturnError.on("", "This return can no longer be changed")
        locked.draft = {**(locked.draft or {}), **_typed(locked.agreement, data)}
        locked.save(update_fields=["draft"])
        if locked.status == ReturnStatus.NOT_STARTED:
            locked = transition(workflow=RETURN_WORKFLOW, obj=locked, name="start", actor=actor)
    return locked


def canonical(monitoring_return: MonitoringReturn) -> str:
    """The submitted return as canonical JSON: what its digest is taken over."""
    return json.dumps(
        {
            "agreement": monitoring_return.agreement.reference,
            "number": monitoring_return.number,
            "period": [monitoring_return.period_start.isoformat(), monitoring_return.period_end.isoformat()],
            "measures": monitoring_return.measures,
            "narrative": monitoring_return.narrative,
            "case_studies": monitoring_return.case_studies,
            "spend": monitoring_return.spend,
            "people_reached": monitoring_return.people_reached,
            "breakdowns": monitoring_return.breakdowns,
            "mismatch_explanation": monitoring_return.mismatch_explanation,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def return_submit(
    *, actor, monitoring_return: MonitoringReturn, data: dict | None = None, keep_refused: bool = True
) -> MonitoringReturn:
    """Submit a return: what is in its draft (with ``data`` merged in first), checked and fixed with its digest.

    Guarantees: only the agreement's provider people; only an accepted
    agreement's return that is not started, in progress or queried (a return
    already submitted or accepted is refused, so a double click makes one
    submission); when anything is refused, what was typed is kept in the draft
    (unless ``keep_refused`` is false: an API caller keeps its own input, and a
    refused request changes nothing) and :class:`ReturnError` says what to
    correct, field by field.
    """
    _require_provider(actor, monitoring_return)
    with transaction.atomic():
        locked = _locked(monitoring_return)
        agreement = locked.agreement
        if locked.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED):
            raise ReturnError.on("", "This return has already been submitted")
        if agreement.status != AgreementStatus.ACCEPTED or locked.status not in EDITABLE_RETURN_STATUSES:
            raise ReturnError.on("", "This return can no longer be changed")
        draft = {**(locked.draft or {}), **_typed(agreement, data or {})}
        figures, errors = checked(agreement, draft)
    if errors:
        if data and keep_refused:
            return_save(actor=actor, monitoring_return=monitoring_return, data=data)
        raise ReturnError(errors)
    with transaction.atomic():
        locked = _locked(monitoring_return)
        if locked.status not in EDITABLE_RETURN_STATUSES:
            raise ReturnError.on("", "This return has already been submitted")
        for name in (
            "measures",
            "narrative",
            "case_studies",
            "spend",
            "people_reached",
            "breakdowns",
            "mismatch_explanation",
        ):
            setattr(locked, name, getattr(figures, name))
        locked.draft = draft
        digest = hashlib.sha256(canonical(locked).encode()).hexdigest()
        submitted = transition(
            workflow=RETURN_WORKFLOW,
            obj=locked,
            name="submit",
            actor=actor,
            changes={
                "draft": draft,
                "measures": figures.measures,
                "narrative": figures.narrative,
                "case_studies": figures.case_studies,
                "spend": figures.spend,
                "people_reached": figures.people_reached,
                "breakdowns": figures.breakdowns,
                "mismatch_explanation": figures.mismatch_explanation,
                "digest": digest,
                "submitted_at": clock.now(),
                "submitted_by": actor,
            },
        )
    return submitted


def return_review(*, actor, monitoring_return: MonitoringReturn, outcome: str, note: str = "") -> ReturnReview:
    """The agreement's commissioner accepts a submitted return, or asks questions back (a note is needed).

    Guarantees: only the agreement's commissioners; only a submitted return,
    reviewed once per submission; the review is kept with the digest of what
    was reviewed, so the history shows each submission and what was said.
    """
    if not is_agreement_commissioner(actor, monitoring_return.agreement):
        raise PermissionDenied("Only the agreement's commissioners review its returns")
    note = (note or "").strip()
    if outcome not in ReviewOutcome.values:
        raise ReturnError.on("outcome", "Choose whether to accept the return or ask questions")
    if outcome == ReviewOutcome.QUERIED and not note:
        raise ReturnError.on("note", "Say what you want to ask the provider")
    if len(note) > 5000:
        raise ReturnError.on("note", "The note must be 5,000 characters or fewer")
    with transaction.atomic():
        locked = _locked(monitoring_return)
        if locked.status != ReturnStatus.SUBMITTED:
            raise ReturnError.on("", "Only a submitted return waiting for review can be reviewed")
        review = ReturnReview.objects.create(
            monitoring_return=locked,
            outcome=outcome,
            note=note,
            submission_digest=locked.digest,
            reviewed_by=actor,
            reviewed_at=clock.now(),
        )
        transition(
            workflow=RETURN_WORKFLOW,
            obj=locked,
            name="accept" if outcome == ReviewOutcome.ACCEPTED else "query",
            actor=actor,
            reason=note,
        )
        audit_record(actor=actor, verb="return.review", obj=locked, after={"outcome": outcome, "digest": locked.digest})
    return review
