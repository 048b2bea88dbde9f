"""API shapes for the evidence store. Money is exact text ("5000000.00") and dates ISO, as stored."""

from datetime import date, datetime
from typing import Any

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from commissioning.core import clock

from .specs import not_confirmable_sentence, readiness_message


class EvidenceFileOut(Schema):
    name: str
    content_type: str
    size: int
    sha256: str
    url: str = Field(description="Download it on the hub, signed in as one of the organisation's people")


class EvidenceItemOut(Schema):
    id: int
    organisation: str = Field(description="The owning organisation's slug")
    item: str = Field(description="The standard item's code, like insurance_public")
    label: str
    version: int
    current: bool = Field(description="False once a newer version replaced it, or the item was removed")
    state: str = Field(description="On today's date: current, or expired once its valid-until date has passed")
    confirmable: bool = Field(
        description="Whether it can be confirmed in a bid or application today: false once expired, or not current"
    )
    message: str = Field(description="Where it stands, in a sentence; for an expired item, what to do about it")
    valid_until: date | None
    data: dict[str, Any] = Field(description="What the version says; the fields depend on the item")
    file: EvidenceFileOut | None
    created_at: datetime
    superseded_at: datetime | None

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_label(obj) -> str:
        return obj.get_item_display()

    @staticmethod
    def resolve_current(obj) -> bool:
        return obj.is_current

    @staticmethod
    def resolve_state(obj) -> str:
        return "expired" if obj.is_expired_on(clock.today()) else "current"

    @staticmethod
    def resolve_confirmable(obj) -> bool:
        return obj.is_current and not obj.is_expired_on(clock.today())

    @staticmethod
    def resolve_message(obj) -> str:
        state = "expired" if obj.is_expired_on(clock.today()) else "current"
        message = readiness_message(obj.item, state, obj.valid_until)
        return f"{message}. {not_confirmable_sentence(obj.item)}" if state == "expired" else message

    @staticmethod
    def resolve_file(obj) -> dict | None:
        if not obj.has_file:
            return None
        return {
            "name": obj.file_name,
            "content_type": obj.content_type,
            "size": obj.size or 0,
            "sha256": obj.sha256,
            "url": reverse("evidence:file", args=[obj.pk]),
        }
