"""API shapes of a party's own agreements: the terms, the plan of returns and payments, and where each stands."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from .models import ReturnStatus
from .schemas import PartyOut

Side = Literal["commissioner", "provider"]


class ReturnCountsOut(Schema):
    not_started: int
    draft: int
    submitted: int
    queried: int
    accepted: int
    shared: int


class AgreementOut(Schema):
    reference: str
    title: str
    kind: Literal["contract", "grant"]
    status: Literal["draft", "issued", "accepted"]
    your_side: Side = Field(description="Whether the token's person commissions the agreement or acts for its provider")
    commissioning_body: PartyOut
    supplier: PartyOut
    value: str = Field(description="The value over the whole term, in pounds, exact to the penny, as text")
    payment_basis: Literal["advance", "arrears"]
    start_date: date
    end_date: date
    tier: Literal["light", "standard", "enhanced"] = Field(description="The monitoring tier (CM-1)")
    returns_per_year: int
    returns: ReturnCountsOut = Field(description="The plan's returns, counted by where each stands")
    next_return_due: date | None = Field(description="The earliest due date of a return not yet submitted")
    payments_scheduled: int
    payments_paid: int
    next_payment_due: date | None
    issued_at: datetime | None
    accepted_at: datetime | None
    document_digest: str = Field(description="The SHA-256 of the document issued (and accepted); empty for a draft")
    url: str = Field(description="The agreement's page for the token's person")


class MeasureOut(Schema):
    number: int
    name: str
    target: str = Field(description="The target over the term, as text")
    unit: str
    published: bool


class PlannedReturnOut(Schema):
    number: int
    period_start: date
    period_end: date
    due_on: date
    status: Literal[tuple(ReturnStatus.values)]  # type: ignore[valid-type]


class PaymentOut(Schema):
    number: int
    due_on: date
    amount: str
    invoice_received_on: date | None
    paid_on: date | None
    paid_amount: str | None
    days_to_pay: int | None = Field(description="Days from the invoice or claim received to payment")
    within_terms: bool | None = Field(description="Paid within the payment terms (30 days unless set otherwise)")


class AgreementDetailOut(AgreementOut):
    description: str
    outcomes: str
    special_conditions: str
    measures: list[MeasureOut]
    plan: list[PlannedReturnOut]
    payments: list[PaymentOut]


class AgreementsQuery(Schema):
    status: Literal["", "draft", "issued", "accepted"] = Field("", description="Only agreements in this state")
