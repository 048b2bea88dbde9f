"""The only write path for commissioning records.

Each function is atomic, checks who may act, and writes its audit event in
the same transaction. A record is started by a commissioner of its lead body
(or for them, in the same transaction, when they start an opportunity) and
changed by any commissioner of its lead or joint bodies.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from commissioning.accounts.models import Organisation, Role, Side
from commissioning.audit.services import audit_record
from commissioning.core.errors import RefusedError
from commissioning.core.models import Ward
from commissioning.core.references import next_reference

from .models import CommissioningRecord
from .permissions import is_record_commissioner

# The facts a record's form or a stage may set.
RECORD_FIELDS = (
    "title",
    "summary",
    "client_groups",
    "city_wide",
    "expected_start",
    "expected_end",
    "estimated_value",
)
REFERENCE_PREFIX = "CR"


class RecordError(RefusedError):
    """A change to a commissioning record that the rules refuse."""


def _plain(value: Any) -> Any:
    if isinstance(value, date | Decimal):
        return str(value)
    return value.pk if hasattr(value, "pk") else value


def _wards(codes) -> list[Ward]:
    codes = sorted(set(codes or ()))
    wards = list(Ward.objects.filter(code__in=codes))
    unknown = set(codes) - {w.code for w in wards}
    if unknown:
        raise RecordError.on("wards", f"Unknown ward: {', '.join(sorted(unknown))}")
    return wards


def _require_facts(fields: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if "title" in fields and not str(fields["title"] or "").strip():
        errors["title"] = ["Enter a title"]
    if "summary" in fields and not str(fields["summary"] or "").strip():
        errors["summary"] = ["Enter what is bought or funded"]
    value = fields.get("estimated_value")
    if value is not None and Decimal(value) < 0:
        errors["estimated_value"] = ["Enter an estimated value of £0 or more"]
    start, end = fields.get("expected_start"), fields.get("expected_end")
    if start and end and end < start:
        errors["expected_end"] = ["The expected end must be on or after the expected start"]
    if errors:
        raise RecordError(errors)


def _joint(lead_body: Organisation, joint_bodies) -> list[Organisation]:
    joint = [org for org in (joint_bodies or []) if org.pk != lead_body.pk]
    if any(org.side != Side.COMMISSIONER for org in joint):
        raise RecordError.on("joint_bodies", "Joint bodies must be commissioning bodies")
    return joint


def record_create(
    *,
    actor,
    lead_body: Organisation,
    data: dict[str, Any],
    ward_codes=(),
    joint_bodies: list[Organisation] | None = None,
) -> CommissioningRecord:
    """Start a commissioning record for a commissioning body the actor commissions for.

    Guarantees: the actor is a commissioner of ``lead_body``, a commissioning
    body; joint bodies are commissioning bodies; the record has a title and a
    summary, a value of £0 or more and an end on or after its start. The
    reference (CR-<year>-<n>) is unique: two records started at the same
    moment get different numbers. Called inside another service's
    transaction, the record is saved if and only if that service's change is.
    """
    if lead_body.side != Side.COMMISSIONER or Role.COMMISSIONER not in actor.roles_for(lead_body):
        raise PermissionDenied("You can only start commissioning records for a body you commission for")
    fields = {k: v for k, v in data.items() if k in RECORD_FIELDS}
    _require_facts({"title": "", "summary": ""} | fields)
    joint = _joint(lead_body, joint_bodies)
    wards = _wards(ward_codes)
    for attempt in range(5):
        try:
            with transaction.atomic():
                record = CommissioningRecord.objects.create(
                    reference=next_reference(CommissioningRecord, REFERENCE_PREFIX),
                    lead_body=lead_body,
                    created_by=actor,
                    **fields,
                )
                record.wards.set(wards)
                record.joint_bodies.set(joint)
                audit_record(
                    actor=actor,
                    verb="record.create",
                    obj=record,
                    after={k: _plain(v) for k, v in fields.items()}
                    | {"wards": sorted(w.code for w in wards), "joint_bodies": sorted(o.pk for o in joint)},
                )
                return record
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def record_update(
    *,
    actor,
    record: CommissioningRecord,
    data: dict[str, Any],
    ward_codes=None,
    joint_bodies: list[Organisation] | None = None,
) -> CommissioningRecord:
    """Change a record's facts; only the fields given change (``None`` wards or joint bodies: unchanged).

    Guarantees: only a commissioner of its lead or joint bodies may (others:
    PermissionDenied); the same facts hold as on :func:`record_create`; the
    audit event names each field that changed, before and after, and none
    is written when nothing did.
    """
    if not is_record_commissioner(actor, record):
        raise PermissionDenied("Only a commissioner of this record's commissioning bodies can change it")
    wards = None if ward_codes is None else _wards(ward_codes)
    with transaction.atomic():
        locked = CommissioningRecord.objects.select_for_update().get(pk=record.pk)
        changes = {k: v for k, v in data.items() if k in RECORD_FIELDS}
        _require_facts({k: getattr(locked, k) for k in RECORD_FIELDS} | changes)
        before, after = {}, {}
        for key, value in changes.items():
            if getattr(locked, key) != value:
                before[key], after[key] = _plain(getattr(locked, key)), _plain(value)
                setattr(locked, key, value)
        locked.save()
        if wards is not None:
            old = sorted(locked.wards.values_list("code", flat=True))
            new = sorted(w.code for w in wards)
            if old != new:
                locked.wards.set(wards)
                before["wards"], after["wards"] = old, new
        if joint_bodies is not None:
            joint = _joint(locked.lead_body, joint_bodies)
            old = sorted(locked.joint_bodies.values_list("pk", flat=True))
            new = sorted(o.pk for o in joint)
            if old != new:
                locked.joint_bodies.set(joint)
                before["joint_bodies"], after["joint_bodies"] = old, new
        if after:
            audit_record(actor=actor, verb="record.update", obj=locked, before=before, after=after)
    return locked
