"""The only write path for the evidence store.

Versions are immutable: :func:`evidence_item_record` adds a version and marks
the one before superseded, :func:`evidence_item_remove` marks the current one
superseded with no successor. Both are atomic and audited. The audit event
names the item, version, valid-until date and file digest, never what the
evidence says: the audit log is read by the hub's administrators, who have no
business reading a provider's evidence.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Organisation
from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.uploads import UploadError, check_upload

from .models import EvidenceItem, EvidenceReminder
from .permissions import keeps_evidence_for
from .reminders import reminder_message, reminder_recipients, reminders_due
from .specs import DataErrors, clean_data, spec_for
from .standard_items import StandardItem


class EvidenceError(RefusedError):
    """A change to the evidence store that the rules refuse."""


class EvidenceNotAllowed(EvidenceError):
    """The actor does not keep this organisation's evidence (pages and the API answer 404)."""


def file_max_bytes() -> int:
    """The largest evidence file accepted, in bytes (EVIDENCE_FILE_MAX_MB in settings)."""
    return int(getattr(settings, "EVIDENCE_FILE_MAX_MB", 10)) * 1024 * 1024


def _require_keeper(actor, organisation: Organisation) -> None:
    if not keeps_evidence_for(actor, organisation):
        raise EvidenceNotAllowed.on(
            "", "Only the organisation's provider administrators and members can change its evidence"
        )


def _require_item(item: str) -> None:
    if item not in StandardItem.values:
        raise EvidenceError.on("item", f"There is no evidence item {item!r}")


def _audit_after(version: EvidenceItem) -> dict[str, Any]:
    return {
        "item": version.item,
        "version": version.version,
        "valid_until": version.valid_until,
        "sha256": version.sha256,
        "size": version.size,
    }


def _checked_input(organisation, item: str, spec, data, upload):
    """The item's data cleaned and its upload checked, or every problem at once as an EvidenceError."""
    errors: dict[str, list[str]] = {}
    try:
        cleaned, valid_until = clean_data(item, data or {})
    except DataErrors as exc:
        errors.update(exc.errors)
        cleaned, valid_until = {}, None
    checked = None
    if upload is not None and not spec.takes_file:
        errors.setdefault("file", []).append(f"The {spec.label.lower()} item does not take a file")
    elif upload is not None:
        try:
            checked = check_upload(upload, max_bytes=file_max_bytes())
        except UploadError as exc:
            errors.setdefault("file", []).append(str(exc))
    if spec.file == "required" and checked is None and "file" not in errors and not _has_file(organisation, item):
        errors["file"] = [_choose_a_file(spec)]
    if errors:
        raise EvidenceError(errors)
    return cleaned, valid_until, checked


def _describe_file(version: EvidenceItem, *, checked, upload, kept_from: EvidenceItem | None) -> None:
    """Fill in the new version's file: the one just checked, or the previous version's, kept."""
    if checked is not None:
        version.file_name = upload.name.replace("\\", "/").rsplit("/", 1)[-1][:255]
        version.content_type = checked.content_type
        version.size = checked.size
        version.sha256 = checked.sha256
    elif kept_from is not None:
        # The same stored file, referenced again: nothing is copied or moved.
        version.file = kept_from.file.name
        version.file_name = kept_from.file_name
        version.content_type = kept_from.content_type
        version.size = kept_from.size
        version.sha256 = kept_from.sha256


def evidence_item_record(
    *, actor, organisation: Organisation, item: str, data: dict[str, Any], upload=None
) -> EvidenceItem:
    """Record what ``organisation`` now holds for ``item``, as a new version; return the current version.

    Only the organisation's provider administrators and members may, while it
    is verified or waiting for verification. ``data`` is checked and
    normalised for the item (see :func:`specs.clean_data`); ``upload`` must be
    a PDF, Word, Excel or OpenDocument file within the size limit, confirmed
    by its content. An item that needs a file keeps the previous version's
    file when no new one is sent. The previous version is marked superseded
    and never changed. Sending exactly what the current version already says
    records nothing and returns it, so a double submission makes one version.
    Refuses with :class:`EvidenceError`, naming the fields that are wrong.
    """
    _require_keeper(actor, organisation)
    _require_item(item)
    spec = spec_for(item)
    cleaned, valid_until, checked = _checked_input(organisation, item, spec, data, upload)

    now = clock.now()
    try:
        with transaction.atomic():
            previous = (
                EvidenceItem.objects.select_for_update().current().filter(organisation=organisation, item=item).first()
            )
            keeps_file = checked is None and previous is not None and previous.has_file and spec.takes_file
            if spec.file == "required" and checked is None and not keeps_file:
                raise EvidenceError.on("file", _choose_a_file(spec))
            version = EvidenceItem(
                organisation=organisation,
                item=item,
                data=cleaned,
                valid_until=valid_until,
                created_by=actor,
                created_at=now,
            )
            _describe_file(version, checked=checked, upload=upload, kept_from=previous if keeps_file else None)
            if previous is not None and _same(previous, version):
                return previous
            last = EvidenceItem.objects.filter(organisation=organisation, item=item).aggregate(last=Max("version"))
            version.version = (last["last"] or 0) + 1
            if previous is not None:
                previous.superseded_at = now
                previous.save(update_fields=["superseded_at"])
            if checked is not None:
                version.file.save(version.file_name, upload, save=False)
            version.save()
            audit_record(
                actor=actor,
                verb="evidence.record",
                obj=version,
                before={"version": previous.version} if previous else None,
                after=_audit_after(version),
            )
    except IntegrityError as exc:
        # Two people saving the same item at the same moment: the database keeps one.
        raise EvidenceError.on(
            "", "Someone else changed this item a moment ago. Check it and save your changes again."
        ) from exc
    return version


def _has_file(organisation: Organisation, item: str) -> bool:
    return EvidenceItem.objects.current().filter(organisation=organisation, item=item).exclude(file="").exists()


def _choose_a_file(spec) -> str:
    return f"Choose a file: {spec.file_label.lower()}"


def _same(previous: EvidenceItem, version: EvidenceItem) -> bool:
    return (
        previous.data == version.data
        and previous.valid_until == version.valid_until
        and previous.sha256 == version.sha256
        and previous.file_name == version.file_name
    )


def evidence_item_remove(*, actor, organisation: Organisation, item: str) -> EvidenceItem:
    """Take an item out of the store: its current version is marked superseded with no successor.

    The version itself is kept, unchanged, for any bid that referenced it.
    Returns that version. Refuses when the item is not in the store.
    """
    _require_keeper(actor, organisation)
    _require_item(item)
    with transaction.atomic():
        current = (
            EvidenceItem.objects.select_for_update().current().filter(organisation=organisation, item=item).first()
        )
        if current is None:
            raise EvidenceError.on("", f"There is no {StandardItem(item).label.lower()} in your evidence to remove")
        current.superseded_at = clock.now()
        current.save(update_fields=["superseded_at"])
        audit_record(
            actor=actor,
            verb="evidence.remove",
            obj=current,
            before={"item": item, "version": current.version},
        )
    return current


def evidence_reminder_send(*, actor=None, version: EvidenceItem, kind: str, recipients: list[str]) -> bool:
    """Record one reminder about ``version`` and queue its e-mails; False if it had already been sent.

    ``actor`` is None when the clock sends it. Atomic: the unique (version, kind) record, the audit
    event and the e-mails (queued to go after commit) all happen, or none does, so a second run or a
    run racing this one sends nothing again.
    """
    with transaction.atomic():
        _, created = EvidenceReminder.objects.get_or_create(
            version=version, kind=kind, defaults={"sent_at": clock.now(), "recipients": recipients}
        )
        if not created:
            return False
        audit_record(
            actor=actor,
            verb="evidence.reminder",
            obj=version,
            after={"kind": kind, "valid_until": version.valid_until, "recipients": len(recipients)},
        )
        subject, body = reminder_message(version, kind)
        for address in recipients:
            queue_email(to=[address], subject=subject, body=body)
    return True


def evidence_reminders_send(*, actor=None, now: datetime | None = None) -> int:
    """Send every reminder due at ``now`` (default: the clock) that has not been sent; return how many were sent.

    Each reminder is its own transaction (``evidence_reminder_send``), so one that fails leaves the
    others sent and recorded; repeating the run sends nothing twice.
    """
    on = clock.london(now or clock.now()).date()
    sent = 0
    for version, kind in reminders_due(on):
        if evidence_reminder_send(
            actor=actor, version=version, kind=kind, recipients=reminder_recipients(version.organisation)
        ):
            sent += 1
    return sent
