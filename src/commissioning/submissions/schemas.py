"""API shapes for bids and applications: a provider's drafts and receipts, and a commissioner's opening.

Money travels as exact text with two decimal places ("30000.00"), never as a
float; times are ISO 8601 with their offset. A receipt carries the canonical
text its SHA-256 is taken over, so a client can check the digest itself.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.urls import reverse
from ninja import Schema
from pydantic import ConfigDict, Field, StrictBool

from commissioning.evidence.standard_items import StandardItem
from commissioning.opportunities.schemas import REFERENCE, SLUG, Line, Text, amount_text

from .models import MemberStatus, SubmissionStatus

PRICE = r"^[0-9]{1,10}\.[0-9]{2}$"
MAX_LOT_NUMBER = 1000
MAX_ANSWER_CHARACTERS = 100_000


# ---------------------------------------------------------------------------
# Inputs


class SubmissionStartIn(Schema):
    """Start a bid or application, or go back to the one your organisation already has."""

    model_config = ConfigDict(extra="forbid")

    opportunity: str = Field(pattern=REFERENCE, description="The opportunity's reference, like LCH-2026-0001")
    organisation: str = Field(
        "",
        max_length=220,
        pattern=rf"^({SLUG[1:-1]})?$",
        description="The slug of the organisation that bids; may be left out when you bid for only one",
    )


class LotPriceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    number: int = Field(ge=1, le=MAX_LOT_NUMBER, description="The lot's number")
    price: str | None = Field(
        None,
        pattern=PRICE,
        description='Pounds with exactly two decimal places, like "30000.00" (for a grant, the amount asked for); '
        "left out for a fixed-price lot",
    )


class LotsIn(Schema):
    """The lots to bid for, each with its price. Lots left out are no longer bid for."""

    model_config = ConfigDict(extra="forbid")

    lots: list[LotPriceIn] = Field(min_length=1, max_length=100, description="Each lot once")


class AnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Text(
        MAX_ANSWER_CHARACTERS, description="The answer as written; it may run over the word limit while drafting"
    )


class SubmitIn(Schema):
    """The declaration made when submitting."""

    model_config = ConfigDict(extra="forbid")

    declaration_name: Line(200, required=True, description="Who makes the declaration")
    declaration_role: Line(200, required=True, description="Their role at the organisation")
    confirmed: StrictBool = Field(description="The declaration is confirmed: must be true")


# ---------------------------------------------------------------------------
# A provider's own submissions


class LotBidOut(Schema):
    number: int
    title: str
    pricing: str = Field(description="floor, fixed or max_award")
    price: str | None = Field(description="Exact text; for a fixed-price lot, the fixed price")

    @staticmethod
    def resolve_number(obj) -> int:
        return obj.lot.number

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.lot.title

    @staticmethod
    def resolve_pricing(obj) -> str:
        return obj.lot.pricing

    @staticmethod
    def resolve_price(obj) -> str | None:
        return amount_text(obj.lot.fixed_price if obj.lot.pricing == "fixed" else obj.price)


class AnswerOut(Schema):
    number: int = Field(description="The question's number")
    question: str
    word_limit: int
    text: str
    words: int
    updated_at: datetime | None


class ConfirmationOut(Schema):
    organisation: str = Field(description="The slug of the organisation whose evidence it is")
    item: str
    label: str
    version: int
    evidence_id: int = Field(description="The version's id in that organisation's evidence store")
    valid_until: date | None
    confirmed_at: datetime

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_label(obj) -> str:
        return dict(StandardItem.choices).get(obj.item, obj.item)

    @staticmethod
    def resolve_version(obj) -> int:
        return obj.version.version

    @staticmethod
    def resolve_evidence_id(obj) -> int:
        return obj.version_id

    @staticmethod
    def resolve_valid_until(obj) -> date | None:
        return obj.version.valid_until


class CommitmentOut(Schema):
    id: int
    description: str
    measure: str
    target: str


class AttachmentOut(Schema):
    id: int
    title: str
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    url: str = Field(description="Download it on the hub, signed in")

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("submissions:attachment", args=[obj.submission.public_id, obj.pk])


class MemberOut(Schema):
    id: int
    organisation: str = Field(description="The member organisation's slug")
    name: str
    role: str = Field(description="What it will deliver")
    status: MemberStatus

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.organisation.name


class RecordOut(Schema):
    number: int
    submitted_at: datetime = Field(description="When the hub's server received it")
    sha256: str
    withdrawn_at: datetime | None


class ProblemItemOut(Schema):
    section: str
    message: str


class SubmissionSummaryOut(Schema):
    id: UUID = Field(description="The submission's identifier")
    opportunity: str = Field(description="The opportunity's reference")
    opportunity_title: str
    kind: str = Field(description="tender (a bid) or grant (an application)")
    submission_deadline: datetime | None
    organisation: str = Field(description="The slug of the organisation that leads it")
    status: SubmissionStatus
    revision: int = Field(description="Goes up with every change to the draft")
    updated_at: datetime

    @staticmethod
    def resolve_id(obj) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_opportunity(obj) -> str:
        return obj.opportunity.reference

    @staticmethod
    def resolve_opportunity_title(obj) -> str:
        return obj.opportunity.title

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.opportunity.kind

    @staticmethod
    def resolve_submission_deadline(obj) -> datetime | None:
        return obj.opportunity.submission_deadline

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.organisation.slug


class SubmissionOut(SubmissionSummaryOut):
    """A draft as it stands, with what was submitted from it."""

    lots: list[LotBidOut]
    answers: list[AnswerOut] = Field(description="Every question, answered or not")
    confirmations: list[ConfirmationOut] = Field(description="Evidence confirmed from the evidence stores")
    commitments: list[CommitmentOut]
    attachments: list[AttachmentOut]
    members: list[MemberOut] = Field(description="Consortium members, invited, confirmed or declined")
    declaration_name: str
    declaration_role: str
    records: list[RecordOut] = Field(description="Each submission made, oldest first; the latest not withdrawn counts")
    problems: list[ProblemItemOut] = Field(
        description=(
            "What to put right before it can be submitted: none while the draft is the submitted record"
            " (it is fixed as it was checked), and none after the deadline"
        )
    )


class ReceiptOut(Schema):
    """The receipt of a submission: what the server received, when, and the SHA-256 of its canonical form."""

    submission: UUID
    number: int
    submitted_at: datetime
    sha256: str
    withdrawn_at: datetime | None
    canonical: str = Field(description="The exact text the SHA-256 is taken over (UTF-8)")

    @staticmethod
    def resolve_submission(obj) -> UUID:
        return obj.submission.public_id


# ---------------------------------------------------------------------------
# A commissioner's opening


class StatisticsOut(Schema):
    bids: int
    per_lot: dict[str, int] = Field(description="Bids for each lot, by lot number")
    by_size_band: dict[str, int] = Field(
        description="Bids by the lead organisation's size band (micro … super_major, or unknown)"
    )
    consortium_bids: int


class OpeningOut(Schema):
    """Who opened the submissions, when, how many counted, and the statistics kept."""

    opportunity: str
    opened_by: str = Field(description="The name of the commissioner who opened them")
    opened_at: datetime
    submissions: int
    statistics: StatisticsOut

    @staticmethod
    def resolve_opportunity(obj) -> str:
        return obj.opportunity.reference

    @staticmethod
    def resolve_opened_by(obj) -> str:
        return obj.opened_by.full_name


class OpenedSubmissionOut(Schema):
    submission: UUID
    organisation: str = Field(description="The lead organisation's name")
    number: int
    submitted_at: datetime
    sha256: str
    canonical: str = Field(description="The exact text the SHA-256 is taken over (UTF-8)")
    document: dict[str, Any] = Field(description="The canonical text, parsed")

    @staticmethod
    def resolve_submission(obj) -> UUID:
        return obj.submission.public_id

    @staticmethod
    def resolve_organisation(obj) -> str:
        return obj.submission.organisation.name

    @staticmethod
    def resolve_document(obj) -> dict[str, Any]:
        return obj.document


class OpenedSubmissionsOut(Schema):
    opening: OpeningOut
    submissions: list[OpenedSubmissionOut] = Field(description="The submissions that count, in the order received")
