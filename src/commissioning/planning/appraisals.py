"""The options appraisal of a piece of commissioning (PL-2): the options considered, the choice and why.

The appraisal hangs off the commissioning record, so a plan's appraisal is the
one its opportunity is checked against when it is published, and an
opportunity started without a plan can still record the options it weighed.

- Only the record's commissioners write it. Each option says what it is
  (grant, contract, several lots, a consortium, a framework, in-house, working
  with another body, doing nothing, other), its shape where it has one (size,
  length, number of contracts, funding type) and its benefits, risks and costs.
- Choosing needs an option of this appraisal and a rationale; choosing again
  replaces the choice (audited, with the one it replaced). The chosen option
  cannot be removed until another is chosen.
- Once the record has a published opportunity the appraisal is the record of
  a decision made: it no longer changes.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.records.models import CommissioningRecord
from commissioning.records.permissions import is_record_commissioner

from .models import Appraisal, FundingType, Option, OptionKind

OPTION_FIELDS = (
    "kind",
    "description",
    "value",
    "length_months",
    "contracts",
    "funding_type",
    "benefits",
    "risks",
    "costs",
)
REQUIRED = {
    "kind": "Choose what kind of option it is",
    "description": "Describe the option",
    "benefits": "Enter the option's benefits",
    "risks": "Enter the option's risks",
}
LONGEST_MONTHS = 240
MOST_CONTRACTS = 500


class AppraisalError(RefusedError):
    """An appraisal change the rules refuse, with messages per field."""


def _require_commissioner(actor, record: CommissioningRecord) -> None:
    if not is_record_commissioner(actor, record):
        raise PermissionDenied("Only the record's commissioners change its options appraisal")


def _require_open(record: CommissioningRecord) -> None:
    # The record's stages above this one say whether it has been advertised: a
    # published opportunity makes the appraisal the record of a decision made.
    if decided_elsewhere(record):
        raise AppraisalError.on(
            "", "The opportunity has been published, so its options appraisal is the record of the decision"
        )


_published_checks: list = []


def when_published(check) -> Any:
    """Register ``check(record) -> bool``: does the record have a published opportunity?

    The opportunities stage registers it, so this stage need not import it.
    Registering the same function again changes nothing.
    """
    if check not in _published_checks:
        _published_checks.append(check)
    return check


def decided_elsewhere(record: CommissioningRecord) -> bool:
    """True when a later stage says the record's opportunity has been published."""
    return any(check(record) for check in _published_checks)


def _snapshot(option: Option) -> dict:
    return {name: getattr(option, name) for name in OPTION_FIELDS}


def option_problems(data: dict) -> dict[str, list[str]]:
    """What is wrong with an option's fields, by field: the required text, a known kind, sizes in range."""
    errors: dict[str, list[str]] = {}
    for name, message in REQUIRED.items():
        if not str(data.get(name) or "").strip():
            errors[name] = [message]
    if data.get("kind") and data["kind"] not in OptionKind.values:
        errors["kind"] = ["Choose one of the kinds listed"]
    if data.get("funding_type") and data["funding_type"] not in FundingType.values:
        errors["funding_type"] = ["Choose one of the funding types listed"]
    value = data.get("value")
    if value is not None and Decimal(value) < 0:
        errors["value"] = ["The size cannot be negative"]
    months = data.get("length_months")
    if months is not None and not 1 <= int(months) <= LONGEST_MONTHS:
        errors["length_months"] = [f"The length must be between 1 and {LONGEST_MONTHS} months"]
    contracts = data.get("contracts")
    if contracts is not None and not 1 <= int(contracts) <= MOST_CONTRACTS:
        errors["contracts"] = [f"The number of contracts or grants must be between 1 and {MOST_CONTRACTS}"]
    return errors


def option_save(*, actor, record: CommissioningRecord, data: dict, option: Option | None = None) -> Option:
    """Add an option to the record's appraisal (made on first use), or change ``option``.

    Guarantees: only the record's commissioners; never after the opportunity is
    published; ``option`` must belong to this record's appraisal; every field
    checked (:func:`option_problems`) before anything is written. Audited.
    """
    _require_commissioner(actor, record)
    errors = option_problems(data)
    if errors:
        raise AppraisalError(errors)
    fields = {name: data.get(name) for name in OPTION_FIELDS}
    for name in ("description", "benefits", "risks", "costs", "funding_type"):
        fields[name] = str(fields[name] or "").strip()
    with transaction.atomic():
        locked = CommissioningRecord.objects.select_for_update().get(pk=record.pk)
        _require_open(locked)
        appraisal, _ = Appraisal.objects.get_or_create(record=locked)
        if option is None:
            position = appraisal.options.count()
            option = Option.objects.create(appraisal=appraisal, position=position, **fields)
            audit_record(actor=actor, verb="option_add", obj=option, after=_snapshot(option))
            return option
        if option.appraisal_id != appraisal.pk:
            raise PermissionDenied("That option belongs to another appraisal")
        before = _snapshot(option)
        for name, value in fields.items():
            setattr(option, name, value)
        option.save()
        audit_record(actor=actor, verb="option_change", obj=option, before=before, after=_snapshot(option))
        return option


def option_remove(*, actor, option: Option) -> None:
    """Remove an option that is not the chosen one, before the opportunity is published. Audited."""
    record = option.appraisal.record
    _require_commissioner(actor, record)
    with transaction.atomic():
        CommissioningRecord.objects.select_for_update().get(pk=record.pk)
        _require_open(record)
        appraisal = Appraisal.objects.get(pk=option.appraisal_id)
        if appraisal.chosen_id == option.pk:
            raise AppraisalError.on("", "This is the chosen option: choose another before removing it")
        audit_record(actor=actor, verb="option_remove", obj=option, before=_snapshot(option))
        option.delete()


def appraisal_choose(*, actor, record: CommissioningRecord, option_id: Any, rationale: str) -> Appraisal:
    """Record which option is chosen and why.

    Guarantees: only the record's commissioners; the option must be one of
    this appraisal's; a rationale is required; never after the opportunity
    is published. Choosing again replaces the choice, audited with the one
    it replaced.
    """
    _require_commissioner(actor, record)
    rationale = str(rationale or "").strip()
    errors: dict[str, list[str]] = {}
    if not rationale:
        errors["rationale"] = ["Say why this option was chosen"]
    with transaction.atomic():
        locked = CommissioningRecord.objects.select_for_update().get(pk=record.pk)
        _require_open(locked)
        appraisal = Appraisal.objects.filter(record=locked).first()
        chosen = None
        if appraisal is not None and str(option_id or "").isdigit():
            chosen = appraisal.options.filter(pk=int(option_id)).first()
        if chosen is None:
            errors["option"] = ["Choose one of the options considered" if appraisal else "Add the options first"]
        if errors:
            raise AppraisalError(errors)
        before = {"chosen": appraisal.chosen_id, "rationale": appraisal.rationale}
        appraisal.chosen = chosen
        appraisal.rationale = rationale
        appraisal.decided_by = actor
        appraisal.decided_at = clock.now()
        appraisal.save()
        audit_record(
            actor=actor,
            verb="appraisal_choose",
            obj=appraisal,
            before=before,
            after={"chosen": chosen.pk, "option": str(chosen), "rationale": rationale},
        )
        return appraisal
