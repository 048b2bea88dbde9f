"""The only write path for needs assessments, their evidence, ward figures and co-production.

Each function is atomic, checks who may act and in which state, and writes
its audit event in the same transaction. A draft assessment is changed only
by commissioners of its body; a completed one is read-only. Completing goes
through the Code's gate (NA-1 to NA-3), so an assessment is completed only
when every rule that guards completion is met or explained.

Co-production is recorded for an assessment or for a commissioning record
(the record a plan hangs off): the record's commissioners keep the latter.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from commissioning.accounts.models import Organisation, OrganisationStatus, Role, Side
from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.horizon import horizon_problem
from commissioning.core.models import Ward
from commissioning.core.references import next_reference
from commissioning.core.text import link_problem
from commissioning.core.uploads import ALLOWED, UploadError, check_upload, extension_of
from commissioning.practice.catalogue import STEP_NEEDS_ASSESSMENT_COMPLETE
from commissioning.practice.checks import evaluate
from commissioning.practice.models import Explanation
from commissioning.practice.services import gate_require, rule_explain
from commissioning.records.models import CommissioningRecord, ServiceArea
from commissioning.records.permissions import is_record_commissioner

from . import figures
from .models import (
    ActivityKind,
    Assessment,
    AssessmentStatus,
    CoProduction,
    Evidence,
    Sector,
    WardFigure,
)
from .permissions import is_assessment_commissioner

REFERENCE_PREFIX = "LNA"
STEP = STEP_NEEDS_ASSESSMENT_COMPLETE
ASSESSMENT_FIELDS = ("title", "service_area", "city_wide", "question", "findings", "needs_identified")
EVIDENCE_FIELDS = ("source", "sector", "dated", "link", "shows")
COPRODUCTION_FIELDS = ("kind", "title", "held_on", "participants", "communities", "what_changed")
MAX_PARTICIPANTS = 1_000_000
# What a CSV of ward figures may hold: "import the good rows" or "import nothing unless every row is good".
IMPORT_GOOD_ROWS = "good_rows"
IMPORT_ALL_OR_NOTHING = "all_or_nothing"
IMPORT_MODES = (IMPORT_GOOD_ROWS, IMPORT_ALL_OR_NOTHING)


class NeedsError(RefusedError):
    """A change to a needs assessment or co-production that the rules refuse."""


def evidence_file_max_bytes() -> int:
    """The largest evidence file accepted, in bytes (NEEDS_EVIDENCE_FILE_MAX_MB, 10 unless set)."""
    return int(getattr(settings, "NEEDS_EVIDENCE_FILE_MAX_MB", 10)) * 1024 * 1024


def figures_file_max_bytes() -> int:
    """The largest CSV of ward figures accepted, in bytes (NEEDS_FIGURES_FILE_MAX_KB, 1,024 unless set)."""
    return int(getattr(settings, "NEEDS_FIGURES_FILE_MAX_KB", 1024)) * 1024


def figures_max_rows() -> int:
    """The most rows a CSV of ward figures may have (NEEDS_FIGURES_MAX_ROWS, 5,000 unless set)."""
    return int(getattr(settings, "NEEDS_FIGURES_MAX_ROWS", 5000))


def figure_years() -> range:
    """The years a ward figure may be for: from the earliest typed date's year to the horizon's last."""
    return range(settings.INPUT_EARLIEST_YEAR, clock.today().year + settings.INPUT_YEARS_AHEAD + 1)


# ---------------------------------------------------------------------------
# Shared checks


def _plain(value: Any) -> Any:
    if isinstance(value, date | Decimal):
        return str(value)
    return value.pk if hasattr(value, "pk") else value


def _text(value: Any) -> str:
    return str(value or "").strip()


def _require_commissioner(actor, assessment: Assessment) -> None:
    if not is_assessment_commissioner(actor, assessment):
        raise PermissionDenied("Only a commissioner of the assessment's commissioning body can change it")


def _locked_draft(actor, assessment: Assessment) -> Assessment:
    """The assessment locked for the change, once the actor may change it and it is still a draft."""
    _require_commissioner(actor, assessment)
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.DRAFT:
        raise NeedsError.on("", "This assessment is completed: it can no longer be changed")
    return locked


def _wards(codes) -> list[Ward]:
    """The wards named by ``codes`` (a ward's code, or its name), or a refusal naming each one unknown."""
    given = [str(code).strip() for code in (codes or ()) if str(code).strip()]
    known = {w.code: w for w in Ward.objects.all()}
    by_name = {w.name.casefold(): w for w in known.values()}
    found, unknown = {}, []
    for text in given:
        ward = known.get(text.upper()) or by_name.get(text.casefold())
        if ward is None:
            unknown.append(text)
        else:
            found[ward.code] = ward
    if unknown:
        names = ", ".join(f"\u201c{u[:60]}\u201d" for u in unknown)
        raise NeedsError.on("wards", f"There is no Leeds ward {names}: choose wards from the list")
    return sorted(found.values(), key=lambda w: w.name)


def _length(errors: dict, name: str, value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        errors.setdefault(name, []).append(f"{what} must be {limit:,} characters or fewer")


def _past_day(errors: dict, name: str, day: Any, what: str) -> None:
    """A day that has happened: not missing, not in the future, within the horizon."""
    if not isinstance(day, date):
        errors.setdefault(name, []).append(f"Enter {what.lower()} as a date, like 31/03/2026")
        return
    problem = horizon_problem(day, what=what)
    if problem:
        errors.setdefault(name, []).append(problem)
    elif day > clock.today():
        errors.setdefault(name, []).append(f"{what} must be today or in the past")


# ---------------------------------------------------------------------------
# Assessments


def _assessment_problems(fields: dict[str, Any], wards: list[Ward]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title, question = _text(fields.get("title")), _text(fields.get("question"))
    if not title:
        errors["title"] = ["Enter a title"]
    _length(errors, "title", title, 200, "The title")
    if not question:
        errors["question"] = ["Enter what the assessment sets out to understand"]
    _length(errors, "question", question, 2000, "The question")
    _length(errors, "findings", _text(fields.get("findings")), 10000, "The findings")
    _length(errors, "needs_identified", _text(fields.get("needs_identified")), 10000, "The needs identified")
    area = fields.get("service_area")
    if not isinstance(area, ServiceArea) or not area.active:
        errors["service_area"] = ["Choose an outcome area"]
    if not fields.get("city_wide") and not wards:
        errors["wards"] = ["Choose at least one ward, or say the assessment covers the whole of Leeds"]
    return errors


def _checked_assessment(fields: dict[str, Any], wards) -> list[Ward]:
    """The wards the assessment is to cover (none when city-wide), once its facts hold; else every problem at once.

    ``wards`` are codes or names, or the wards themselves.
    """
    errors: dict[str, list[str]] = {}
    try:
        found = _wards(w.code if isinstance(w, Ward) else w for w in (wards or ()))
    except NeedsError as exc:
        errors.update(exc.errors)
        found = []
    for name, problems in _assessment_problems(fields, found).items():
        errors.setdefault(name, problems)
    if errors:
        raise NeedsError(errors)
    return [] if fields.get("city_wide") else found


def _assessment_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k in ASSESSMENT_FIELDS}
    for name in ("title", "question", "findings", "needs_identified"):
        if name in fields:
            fields[name] = _text(fields[name])
    if "city_wide" in fields:
        fields["city_wide"] = bool(fields["city_wide"])
    return fields


def assessment_create(*, actor, body: Organisation, data: dict[str, Any], ward_codes=()) -> Assessment:
    """Start a draft needs assessment for ``body``, a commissioning body the actor commissions for.

    Guarantees: only a commissioner of ``body`` (``PermissionDenied``
    otherwise); a title, a question, an active outcome area
    (``records.ServiceArea``), and either the whole city or at least one
    ward; a ward code (or name) that is not a Leeds ward is refused naming
    it. Every problem is refused at once with :class:`NeedsError`. The
    reference (LNA-<year>-<n>) is unique even when two are started at once.
    Audited.
    """
    if body is None or body.side != Side.COMMISSIONER or Role.COMMISSIONER not in actor.roles_for(body):
        raise PermissionDenied("You can only write needs assessments for a body you commission for")
    fields = _assessment_fields(data)
    wards = _checked_assessment(fields, ward_codes)
    for attempt in range(5):
        try:
            with transaction.atomic():
                assessment = Assessment.objects.create(
                    reference=next_reference(Assessment, REFERENCE_PREFIX), body=body, created_by=actor, **fields
                )
                assessment.wards.set(wards)
                audit_record(
                    actor=actor,
                    verb="assessment.create",
                    obj=assessment,
                    after={k: _plain(v) for k, v in fields.items()} | {"wards": [w.code for w in wards]},
                )
                return assessment
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def assessment_update(*, actor, assessment: Assessment, data: dict[str, Any], ward_codes=None) -> Assessment:
    """Change a draft assessment; only the fields given change (``ward_codes`` None: wards unchanged).

    Guarantees: only a commissioner of its body (``PermissionDenied``) and
    only while it is a draft (:class:`NeedsError`); the same facts hold as on
    :func:`assessment_create`; a city-wide assessment keeps no wards. The
    audit event names each field that changed, before and after; none is
    written when nothing did.
    """
    fields = _assessment_fields(data)
    with transaction.atomic():
        locked = _locked_draft(actor, assessment)
        merged = {k: getattr(locked, k) for k in ASSESSMENT_FIELDS} | fields
        wards = _checked_assessment(merged, list(locked.wards.all()) if ward_codes is None else ward_codes)
        before, after = {}, {}
        for key, value in fields.items():
            if getattr(locked, key) != value:
                before[key], after[key] = _plain(getattr(locked, key)), _plain(value)
                setattr(locked, key, value)
        if after:
            locked.save()
        old = sorted(locked.wards.values_list("code", flat=True))
        new = sorted(w.code for w in wards)
        if old != new:
            locked.wards.set(wards)
            before["wards"], after["wards"] = old, new
        if after:
            audit_record(actor=actor, verb="assessment.update", obj=locked, before=before, after=after)
    return locked


def completion_problems(assessment: Assessment) -> list[str]:
    """What the assessment still lacks before it can be completed, beyond the Code's rules."""
    problems = []
    if not assessment.findings.strip():
        problems.append("Write the findings")
    if not assessment.needs_identified.strip():
        problems.append("List the needs identified")
    return problems


def assessment_rule_explain(*, actor, assessment: Assessment, rule_code: str, reason: str, confirmer) -> Explanation:
    """A commissioner explains why a rule that guards completing a draft does not apply, for a colleague to confirm.

    Guarantees: only a commissioner of the assessment's body
    (``PermissionDenied``) and only while it is a draft (:class:`NeedsError`);
    only a rule that guards completion and is not met; the explanation is for
    the assessment's body and pending until ``confirmer`` confirms it, so
    completing stays shut until then. Everything else is
    :func:`commissioning.practice.services.rule_explain`'s guarantee.
    """
    _require_commissioner(actor, assessment)
    if assessment.status != AssessmentStatus.DRAFT:
        raise NeedsError.on("", "Rules are explained before completing; this assessment is completed")
    code = _text(rule_code).upper()
    status = next((item for item in evaluate(assessment, STEP).items if item.rule.code == code), None)
    if status is None:
        raise NeedsError.on("rule", "Choose a rule of the Code that applies to completing an assessment")
    if status.is_met:
        raise NeedsError.on("rule", f"{status.rule.code} is met: there is nothing to explain")
    if not status.is_judged:
        raise NeedsError.on("rule", f"{status.rule.code} cannot be judged yet: {status.detail}")
    return rule_explain(
        actor=actor,
        rule_code=status.rule.code,
        obj=assessment,
        body=assessment.body,
        reason=reason,
        confirmer=confirmer,
        step=STEP,
    )


def assessment_complete(*, actor, assessment: Assessment) -> Assessment:
    """Complete a draft: it becomes public and read-only, once the Code's rules for completing allow it.

    Guarantees: only a commissioner of its body (``PermissionDenied``); only
    a draft with findings and needs identified (:class:`NeedsError`
    otherwise); every rule that guards completion (NA-1 to NA-3) met or
    explained and confirmed, else
    :class:`commissioning.practice.services.RuleGateClosed` naming each and
    nothing changes. The row is locked first, so the gate and the change see
    the same state; the rules' outcomes, the new status and the audit event
    commit together. Completing twice is refused.
    """
    with transaction.atomic():
        locked = _locked_draft(actor, assessment)
        problems = completion_problems(locked)
        if problems:
            raise NeedsError({"": [f"{p} before completing the assessment" for p in problems]})
        gate_require(actor=actor, obj=locked, step=STEP)
        moment = clock.now()
        locked.status, locked.completed_at, locked.completed_by = AssessmentStatus.COMPLETED, moment, actor
        locked.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
        audit_record(
            actor=actor,
            verb="assessment.complete",
            obj=locked,
            before={"status": AssessmentStatus.DRAFT},
            after={"status": AssessmentStatus.COMPLETED, "completed_at": moment},
        )
    return locked


# ---------------------------------------------------------------------------
# Evidence


def _evidence_problems(fields: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    source, shows, link = _text(fields.get("source")), _text(fields.get("shows")), _text(fields.get("link"))
    if not source:
        errors["source"] = ["Enter who produced the evidence"]
    _length(errors, "source", source, 200, "The source")
    if fields.get("sector") not in Sector.values:
        errors["sector"] = ["Choose the sector the evidence came from"]
    _past_day(errors, "dated", fields.get("dated"), "The date of the evidence")
    if link:
        _length(errors, "link", link, 500, "The link")
        problem = link_problem(link)
        if problem and "link" not in errors:
            errors["link"] = [str(problem)]
    if not shows:
        errors["shows"] = ["Enter what the evidence shows about the need"]
    _length(errors, "shows", shows, 4000, "What it shows")
    return errors


def _evidence_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k in EVIDENCE_FIELDS}
    for name in ("source", "link", "shows"):
        if name in fields:
            fields[name] = _text(fields[name])
    return fields


def _checked_document(upload, errors: dict[str, list[str]]) -> bool:
    if upload is None:
        return False
    try:
        check_upload(upload, max_bytes=evidence_file_max_bytes())
    except UploadError as exc:
        errors.setdefault("document", []).append(str(exc))
        return False
    return True


def _file_name(upload) -> str:
    return upload.name.replace("\\", "/").rsplit("/", 1)[-1][:200]


def evidence_add(*, actor, assessment: Assessment, data: dict[str, Any], upload=None) -> Evidence:
    """Add one piece of evidence to a draft: its source, sector, date, a link or a file (or both), what it shows.

    Guarantees: only a commissioner of the assessment's body
    (``PermissionDenied``), only a draft (:class:`NeedsError`); a source,
    a sector of ``Sector``, a date that has happened and is within the
    horizon, an http or https link and/or a PDF, Word, Excel or OpenDocument
    file checked by its content and size (``core.uploads``), and what it
    shows; every problem is refused at once. Audited.
    """
    fields = _evidence_fields(data)
    errors = _evidence_problems(fields)
    has_file = _checked_document(upload, errors)
    if not fields.get("link") and not has_file and "document" not in errors and "link" not in errors:
        errors["link"] = ["Enter a link to the evidence, or choose a file, or both"]
    if errors:
        raise NeedsError(errors)
    with transaction.atomic():
        locked = _locked_draft(actor, assessment)
        evidence = Evidence(assessment=locked, added_by=actor, **fields)
        if has_file:
            evidence.document.save(_file_name(upload), upload, save=False)
        evidence.save()
        audit_record(
            actor=actor,
            verb="assessment.evidence_add",
            obj=locked,
            after={"evidence": evidence.pk, **{k: _plain(v) for k, v in fields.items()}}
            | {"document": evidence.document.name},
        )
    return evidence


def evidence_update(
    *, actor, evidence: Evidence, data: dict[str, Any], upload=None, remove_document: bool = False
) -> Evidence:
    """Change a piece of a draft's evidence; a new file replaces the old, ``remove_document`` drops it.

    Guarantees: the same people, state and facts as :func:`evidence_add`,
    and the evidence keeps a link or a file. The audit event names each
    field that changed.
    """
    fields = _evidence_fields(data)
    with transaction.atomic():
        locked = _locked_draft(actor, evidence.assessment)
        current = Evidence.objects.select_for_update().get(pk=evidence.pk, assessment=locked)
        merged = {k: getattr(current, k) for k in EVIDENCE_FIELDS} | fields
        errors = _evidence_problems(merged)
        has_file = _checked_document(upload, errors)
        keeps_file = bool(current.document) and not remove_document
        if not _text(merged.get("link")) and not has_file and not keeps_file and not errors.get("document"):
            errors.setdefault("link", []).append("Enter a link to the evidence, or choose a file, or both")
        if errors:
            raise NeedsError(errors)
        before, after = {}, {}
        for key, value in fields.items():
            if getattr(current, key) != value:
                before[key], after[key] = _plain(getattr(current, key)), _plain(value)
                setattr(current, key, value)
        if has_file:
            before["document"] = current.document.name
            current.document.save(_file_name(upload), upload, save=False)
            after["document"] = current.document.name
        elif remove_document and current.document:
            before["document"], after["document"] = current.document.name, ""
            current.document = ""
        if after:
            current.save()
            audit_record(
                actor=actor,
                verb="assessment.evidence_update",
                obj=locked,
                before={"evidence": current.pk, **before},
                after={"evidence": current.pk, **after},
            )
    return current


def evidence_remove(*, actor, evidence: Evidence) -> None:
    """Take a piece of evidence out of a draft; audited with what it said. The file stays stored as history."""
    with transaction.atomic():
        locked = _locked_draft(actor, evidence.assessment)
        current = Evidence.objects.select_for_update().filter(pk=evidence.pk, assessment=locked).first()
        if current is None:
            return
        before = {"evidence": current.pk, **{k: _plain(getattr(current, k)) for k in EVIDENCE_FIELDS}}
        before["document"] = current.document.name
        current.delete()
        audit_record(actor=actor, verb="assessment.evidence_remove", obj=locked, before=before)


def evidence_content_type(evidence: Evidence) -> str:
    """The type a stored evidence file is served as, from its extension (the upload was checked by content)."""
    return ALLOWED.get(extension_of(evidence.document.name), ("application/octet-stream",))[0]


# ---------------------------------------------------------------------------
# Ward figures


@dataclass(frozen=True)
class FigureSaved:
    """A figure saved by hand; ``replaced`` is the value it replaced for the same ward, indicator and year."""

    figure: WardFigure
    replaced: Decimal | None = None


@dataclass
class ImportResult:
    """What a CSV upload did: how many figures were added, which replaced older ones, which rows were bad.

    ``saved`` is False when nothing was written: every row was bad, or the
    mode was "import nothing unless every row is good" and a row was bad.
    """

    mode: str
    saved: bool
    added: int = 0
    replaced: list[str] = field(default_factory=list)
    bad: list[figures.BadRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.added + len(self.replaced)


def _ward_lookup() -> tuple[dict[str, str], dict[str, str]]:
    pairs = list(Ward.objects.values_list("code", "name"))
    return dict(pairs), {name.casefold(): code for code, name in pairs}


def _existing_figure(assessment: Assessment, ward_id: int, indicator: str, year: int) -> WardFigure | None:
    # The same indicator whatever its capitals: "Young carers" and "young carers" are one series.
    return (
        WardFigure.objects.select_for_update()
        .filter(assessment=assessment, ward_id=ward_id, indicator__iexact=indicator, year=year)
        .first()
    )


def _shown(value: Decimal) -> str:
    text = f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,f}".rstrip("0")
    return text.rstrip(".")


def ward_figure_add(
    *, actor, assessment: Assessment, ward_code: str, indicator: str, year: Any, value: Any
) -> FigureSaved:
    """Save one ward figure by hand; a figure for the same ward, indicator and year is replaced, and says so.

    Guarantees: only a commissioner of a draft's body (as for the
    assessment); a Leeds ward (by code or name, an unknown one refused by
    name), an indicator of at most 120 characters, a year within
    :func:`figure_years`, and a number with at most 4 decimal places; every
    problem is refused at once with :class:`NeedsError`. Audited, with the
    value replaced when there was one.
    """
    errors: dict[str, list[str]] = {}
    by_code, by_name = _ward_lookup()
    ward_text = _text(ward_code)
    code = ward_text.upper() if ward_text.upper() in by_code else by_name.get(ward_text.casefold())
    if not ward_text:
        errors["ward"] = ["Choose the ward"]
    elif code is None:
        errors["ward"] = [f"There is no Leeds ward \u201c{ward_text[:60]}\u201d: choose a ward from the list"]
    indicator = " ".join(_text(indicator).split())
    if not indicator:
        errors["indicator"] = ["Enter the indicator, like \u201cYoung carers known to services\u201d"]
    _length(errors, "indicator", indicator, figures.INDICATOR_MAX_LENGTH, "The indicator")
    years = figure_years()
    try:
        year_number = int(str(year).strip())
    except (TypeError, ValueError):
        errors["year"] = ["Enter the year as four digits, like 2025"]
    else:
        if problem := figures.year_problem(year_number, years):
            errors["year"] = [problem[:1].upper() + problem[1:]]
    number, problem = figures.parse_value(str(value if value is not None else ""))
    if problem:
        errors["value"] = [problem[:1].upper() + problem[1:]]
    if errors:
        raise NeedsError(errors)
    ward = Ward.objects.get(code=code)
    with transaction.atomic():
        locked = _locked_draft(actor, assessment)
        existing = _existing_figure(locked, ward.pk, indicator, year_number)
        replaced = existing.value if existing is not None else None
        if existing is None:
            figure = WardFigure.objects.create(
                assessment=locked, ward=ward, indicator=indicator, year=year_number, value=number
            )
        else:
            figure = existing
            figure.value = number
            figure.save(update_fields=["value"])
        audit_record(
            actor=actor,
            verb="assessment.ward_figure_save",
            obj=locked,
            before={"value": _plain(replaced)} if replaced is not None else {},
            after={"ward": ward.code, "indicator": figure.indicator, "year": year_number, "value": str(number)},
        )
    return FigureSaved(figure, replaced)


def ward_figure_remove(*, actor, figure: WardFigure) -> None:
    """Take one ward figure out of a draft; audited with its value. Removing it twice does nothing."""
    with transaction.atomic():
        locked = _locked_draft(actor, figure.assessment)
        current = WardFigure.objects.select_for_update().filter(pk=figure.pk, assessment=locked).first()
        if current is None:
            return
        before = {
            "ward": current.ward.code,
            "indicator": current.indicator,
            "year": current.year,
            "value": str(current.value),
        }
        current.delete()
        audit_record(actor=actor, verb="assessment.ward_figure_remove", obj=locked, before=before)


def _read_upload(upload) -> str:
    if upload is None:
        raise NeedsError.on("file", "Choose a CSV file of ward figures")
    if extension_of(upload.name) != ".csv":
        raise NeedsError.on("file", "The file must be a CSV file (.csv): save the spreadsheet as CSV")
    limit = figures_file_max_bytes()
    if upload.size > limit:
        raise NeedsError.on("file", f"The file must be smaller than {limit // 1024:,} KB: split it into smaller files")
    raw = upload.read(limit + 1)
    upload.seek(0)
    if len(raw) > limit:
        raise NeedsError.on("file", f"The file must be smaller than {limit // 1024:,} KB: split it into smaller files")
    try:
        return figures.decode(raw)
    except figures.FileRefused as exc:
        raise NeedsError.on("file", str(exc)) from exc


def ward_figures_import(*, actor, assessment: Assessment, upload, mode: str) -> ImportResult:
    """Read a CSV of ward figures into a draft, in ``mode``, and say what happened.

    ``mode`` is :data:`IMPORT_GOOD_ROWS` (save the good rows, list the bad)
    or :data:`IMPORT_ALL_OR_NOTHING` (save nothing unless every row is good).
    Guarantees: only a commissioner of a draft's body; a file that is not a
    CSV, is empty, too large, has too many rows or lacks the columns is
    refused as a whole (:class:`NeedsError` on ``file``); otherwise every bad
    row is reported by its line and why (see :func:`figures.read`); a figure
    for the same ward, indicator and year as one already held replaces it,
    and the result lists each such replacement. All the rows saved are saved
    in one transaction with one audit event; nothing is saved when the
    result says so.
    """
    if mode not in IMPORT_MODES:
        raise NeedsError.on("mode", "Choose whether to import the good rows or nothing unless every row is good")
    _require_commissioner(actor, assessment)
    text = _read_upload(upload)
    by_code, by_name = _ward_lookup()
    try:
        reading = figures.read(
            text, wards_by_code=by_code, wards_by_name=by_name, years=figure_years(), max_rows=figures_max_rows()
        )
    except figures.FileRefused as exc:
        raise NeedsError.on("file", str(exc)) from exc
    result = ImportResult(mode=mode, saved=False, bad=reading.bad)
    if not reading.good or (mode == IMPORT_ALL_OR_NOTHING and reading.bad):
        return result
    with transaction.atomic():
        locked = _locked_draft(actor, assessment)
        wards = dict(Ward.objects.values_list("code", "pk"))
        held = {
            (f.ward_id, f.indicator.casefold(), f.year): f
            for f in WardFigure.objects.select_for_update().filter(assessment=locked)
        }
        new = []
        for row in reading.good:
            existing = held.get((wards[row.ward_code], row.indicator.casefold(), row.year))
            if existing is None:
                new.append(
                    WardFigure(
                        assessment=locked,
                        ward_id=wards[row.ward_code],
                        indicator=row.indicator,
                        year=row.year,
                        value=row.value,
                    )
                )
                continue
            if existing.value != row.value:
                result.replaced.append(
                    f"Line {row.line}: {row.ward_name}, {existing.indicator}, {row.year}: "
                    f"{_shown(existing.value)} replaced by {_shown(row.value)}"
                )
            else:
                result.replaced.append(
                    f"Line {row.line}: {row.ward_name}, {existing.indicator}, {row.year}: "
                    f"the same value, {_shown(row.value)}, again"
                )
            existing.value = row.value
            existing.save(update_fields=["value"])
        WardFigure.objects.bulk_create(new)
        result.added, result.saved = len(new), True
        audit_record(
            actor=actor,
            verb="assessment.ward_figures_import",
            obj=locked,
            after={
                "file": _file_name(upload),
                "mode": mode,
                "added": result.added,
                "replaced": len(result.replaced),
                "bad_lines": [row.line for row in reading.bad],
            },
        )
    return result


# ---------------------------------------------------------------------------
# Co-production


def _coproduction_problems(fields: dict[str, Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if fields.get("kind") not in ActivityKind.values:
        errors["kind"] = ["Choose what kind of activity it was"]
    title = _text(fields.get("title"))
    if not title:
        errors["title"] = ["Enter what the activity was called"]
    _length(errors, "title", title, 200, "The title")
    _past_day(errors, "held_on", fields.get("held_on"), "The day it was held")
    participants = fields.get("participants")
    if isinstance(participants, bool) or not isinstance(participants, int):
        errors["participants"] = ["Enter how many people took part, as a whole number"]
    elif not 0 <= participants <= MAX_PARTICIPANTS:
        errors["participants"] = [f"Enter how many people took part, from 0 to {MAX_PARTICIPANTS:,}"]
    _length(errors, "communities", _text(fields.get("communities")), 2000, "The communities")
    changed = _text(fields.get("what_changed"))
    if not changed:
        errors["what_changed"] = ["Enter what changed because of it"]
    _length(errors, "what_changed", changed, 4000, "What changed")
    return errors


def _coproduction_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {k: v for k, v in data.items() if k in COPRODUCTION_FIELDS}
    for name in ("title", "communities", "what_changed"):
        if name in fields:
            fields[name] = _text(fields[name])
    return fields


def _organisations(organisations, errors: dict[str, list[str]]) -> list[Organisation] | None:
    if organisations is None:
        return None
    chosen = list(organisations)
    ids = {getattr(o, "pk", None) for o in chosen}
    found = list(Organisation.objects.filter(pk__in=[i for i in ids if i], status=OrganisationStatus.VERIFIED))
    if len(found) != len(ids):
        errors["organisations"] = ["Choose organisations from the list"]
    return sorted(found, key=lambda o: o.name)


def _lock_owner(actor, activity_assessment: Assessment | None, record: CommissioningRecord | None):
    """Lock what the activity belongs to, once the actor may change it: a draft assessment, or a record."""
    if activity_assessment is not None:
        return _locked_draft(actor, activity_assessment)
    if not is_record_commissioner(actor, record):
        raise PermissionDenied("Only a commissioner of the record's commissioning bodies can record co-production")
    return CommissioningRecord.objects.select_for_update().get(pk=record.pk)


def coproduction_add(
    *,
    actor,
    data: dict[str, Any],
    assessment: Assessment | None = None,
    record: CommissioningRecord | None = None,
    organisations=(),
) -> CoProduction:
    """Record a co-production activity for a draft assessment or for a commissioning record (exactly one).

    Guarantees: for an assessment, only a commissioner of its body and only
    while it is a draft; for a record, only the record's commissioners
    (``PermissionDenied`` otherwise). It has a kind, a title, a day that has
    happened, how many people took part (0 to 1,000,000), which communities,
    which organisations (verified ones in the directory) and what changed;
    every problem is refused at once with :class:`NeedsError`. Audited
    against what it belongs to.
    """
    if (assessment is None) == (record is None):
        raise ValueError("Record co-production for an assessment or for a record, not both or neither")
    fields = _coproduction_fields(data)
    errors = _coproduction_problems(fields)
    chosen = _organisations(organisations, errors)
    if errors:
        raise NeedsError(errors)
    with transaction.atomic():
        owner = _lock_owner(actor, assessment, record)
        activity = CoProduction.objects.create(
            assessment=owner if assessment is not None else None,
            record=owner if record is not None else None,
            added_by=actor,
            **fields,
        )
        activity.organisations.set(chosen)
        audit_record(
            actor=actor,
            verb="coproduction.add",
            obj=owner,
            after={"activity": activity.pk, **{k: _plain(v) for k, v in fields.items()}}
            | {"organisations": [o.pk for o in chosen]},
        )
    return activity


def coproduction_update(*, actor, activity: CoProduction, data: dict[str, Any], organisations=None) -> CoProduction:
    """Change a co-production activity; only what is given changes (``organisations`` None: unchanged).

    Guarantees: the same people, state and facts as :func:`coproduction_add`;
    the audit event names each field that changed, and none is written when
    nothing did.
    """
    fields = _coproduction_fields(data)
    with transaction.atomic():
        owner = _lock_owner(actor, activity.assessment, activity.record)
        current = CoProduction.objects.select_for_update().get(pk=activity.pk)
        merged = {k: getattr(current, k) for k in COPRODUCTION_FIELDS} | fields
        errors = _coproduction_problems(merged)
        chosen = _organisations(organisations, errors)
        if errors:
            raise NeedsError(errors)
        before, after = {}, {}
        for key, value in fields.items():
            if getattr(current, key) != value:
                before[key], after[key] = _plain(getattr(current, key)), _plain(value)
                setattr(current, key, value)
        if after:
            current.save()
        if chosen is not None:
            old = sorted(current.organisations.values_list("pk", flat=True))
            new = sorted(o.pk for o in chosen)
            if old != new:
                current.organisations.set(chosen)
                before["organisations"], after["organisations"] = old, new
        if after:
            audit_record(
                actor=actor,
                verb="coproduction.update",
                obj=owner,
                before={"activity": current.pk, **before},
                after={"activity": current.pk, **after},
            )
    return current


def coproduction_remove(*, actor, activity: CoProduction) -> None:
    """Take a co-production activity out; the same people and state as :func:`coproduction_add`. Audited."""
    with transaction.atomic():
        owner = _lock_owner(actor, activity.assessment, activity.record)
        current = CoProduction.objects.select_for_update().filter(pk=activity.pk).first()
        if current is None:
            return
        before = {"activity": current.pk, **{k: _plain(getattr(current, k)) for k in COPRODUCTION_FIELDS}}
        current.delete()
        audit_record(actor=actor, verb="coproduction.remove", obj=owner, before=before)
