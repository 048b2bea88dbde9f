"""The canonical form of a submission: what the receipt's SHA-256 digest is taken over.

Everything submitted is written as JSON with sorted keys, no spaces, UTF-8,
times in UTC with microseconds and money as strings with two decimal places,
so the same submission always gives the same bytes. Files are named by their
SHA-256, so the digest covers their content too. Anyone holding the record can
check a receipt with :func:`digest` alone.
"""

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from commissioning.evidence.standard_items import StandardItem

FORMAT = "leeds-commissioning-hub/submission/1"
ITEM_LABELS = dict(StandardItem.choices)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def dumps(document: dict[str, Any]) -> str:
    """The one serialisation: sorted keys, compact separators, Unicode kept as it is."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(canonical_text: str) -> str:
    """The SHA-256 of a canonical text, in hex: what a receipt shows."""
    return hashlib.sha256(canonical_text.encode("utf-8")).hexdigest()


def _organisation(organisation) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "identifiers": [f"{i.scheme}-{i.value}" for i in organisation.identifiers.all()],
    }


def build(*, submission, number: int, submitted_at: datetime, submitted_by, declaration: dict[str, str]) -> dict:
    """The canonical document of ``submission`` as it stands, for record ``number``.

    The caller holds the submission's lock, so nothing changes while this reads.
    """
    opportunity = submission.opportunity
    answers = {a.question_id: a.text for a in submission.answers.all()}
    members = [m for m in submission.members.select_related("organisation") if m.status == "confirmed"]
    return {
        "format": FORMAT,
        "opportunity": {
            "reference": opportunity.reference,
            "kind": opportunity.kind,
            "title": opportunity.title,
            "submission_deadline": _moment(opportunity.submission_deadline),
        },
        "submission": str(submission.public_id),
        "number": number,
        "submitted_at": _moment(submitted_at),
        "submitted_by": {"name": submitted_by.full_name, "email": submitted_by.email},
        "organisation": _organisation(submission.organisation),
        "lots": [
            {
                "number": bid.lot.number,
                "title": bid.lot.title,
                "pricing": bid.lot.pricing,
                "price": _money(bid.lot.fixed_price if bid.lot.pricing == "fixed" else bid.price),
            }
            for bid in submission.lot_bids.select_related("lot").order_by("lot__number")
        ],
        "answers": [
            {"question": q.number, "kind": q.kind, "text": answers.get(q.pk, "")}
            for q in opportunity.questions.order_by("number")
        ],
        "evidence": [
            {"organisation": c.organisation.name, "label": ITEM_LABELS.get(c.item, c.item), **c.version.canonical()}
            for c in submission.confirmations.select_related("organisation", "version").order_by(
                "organisation__name", "item"
            )
        ],
        "commitments": [
            {"description": c.description, "measure": c.measure, "target": c.target}
            for c in submission.commitments.all()
        ],
        "attachments": [
            {"id": a.pk, "title": a.title, "file_name": a.file_name, "size": a.size, "sha256": a.sha256}
            for a in submission.attachments.filter(removed_at__isnull=True)
        ],
        "consortium": [
            {"organisation": _organisation(m.organisation), "role": m.role, "confirmed_at": _moment(m.answered_at)}
            for m in members
        ],
        "declaration": {"name": declaration["name"], "role": declaration["role"], "confirmed": True},
    }
