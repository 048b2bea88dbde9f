"""The evidence store: each provider's standard items, kept once as numbered, immutable versions.

A version is never changed. Changing an item records a new version and marks
the one before superseded; removing an item marks its current version
superseded with no successor. A bid that referenced version 2 therefore
always sees version 2. The database refuses changes to a version's contents
(triggers installed by migration 0002); only ``superseded_at`` may be set,
once.
"""

import secrets
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models

from commissioning.accounts.models import Organisation
from commissioning.core.uploads import extension_of

from .standard_items import StandardItem


def evidence_path(instance: "EvidenceItem", filename: str) -> str:
    # A random name: nothing about the organisation or the file can be read
    # from the path, and no upload can overwrite another.
    return f"evidence/{secrets.token_hex(20)}{extension_of(filename)}"


class EvidenceItemQuerySet(models.QuerySet):
    def current(self) -> "EvidenceItemQuerySet":
        """Versions not superseded: at most one per organisation and item."""
        return self.filter(superseded_at__isnull=True)

    def update(self, **kwargs):
        if set(kwargs) - {"superseded_at"}:
            raise PermissionError("Evidence versions are never changed: record a new version")
        return super().update(**kwargs)

    def delete(self):
        raise PermissionError("Evidence versions are never deleted: remove the item instead")


class EvidenceItem(models.Model):
    """One version of one standard item in a provider's evidence store."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="evidence_items")
    item = models.CharField(max_length=40, choices=StandardItem.choices)
    version = models.PositiveIntegerField()
    data = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = EvidenceItemQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "item", "version"], name="evidence_version_unique"),
            models.UniqueConstraint(
                fields=["organisation", "item"],
                condition=models.Q(superseded_at__isnull=True),
                name="evidence_one_current_version",
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="evidence_version_positive"),
            models.CheckConstraint(condition=models.Q(item__in=StandardItem.values), name="evidence_item_known"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()}, version {self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and set(kwargs.get("update_fields") or ["*"]) != {"superseded_at"}:
            raise PermissionError("Evidence versions are never changed: record a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Evidence versions are never deleted: remove the item instead")

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def has_file(self) -> bool:
        return bool(self.file)

    def is_expired_on(self, day: date) -> bool:
        """Whether the version has run out on ``day`` (it is still good on its valid-until date itself)."""
        return self.valid_until is not None and self.valid_until < day

    def canonical(self) -> dict[str, Any]:
        """What this version says, as JSON-safe data that is the same every time it is read.

        The item, the version number, the entered data, the valid-until date
        and the file's name, size and SHA-256 (never where it is stored).
        Keys are sorted at every level, so the same version gives the same
        JSON whichever database stored it.
        """
        file = {"name": self.file_name, "sha256": self.sha256, "size": self.size} if self.sha256 else None
        return _sorted(
            {
                "item": self.item,
                "version": self.version,
                "data": self.data,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "file": file,
            }
        )


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _sorted(value[key]) for key in sorted(value, key=str)}
    if isinstance(value, list | tuple):
        return [_sorted(v) for v in value]
    return value


class ReminderKind(models.TextChoices):
    EXPIRES_SOON = "expires_soon", "Expires soon"
    EXPIRED = "expired", "Expired"


class EvidenceReminder(models.Model):
    """A reminder e-mailed about one version: at most one of each kind, ever."""

    version = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="evidence_reminder_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder for {self.version}"
