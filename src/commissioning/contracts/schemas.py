"""The API's shapes for contracts: the public register's agreement, with the parties' org-id identifiers."""

from datetime import date
from typing import Literal

from ninja import Schema
from pydantic import Field

from commissioning.core.schemas import SearchText

from .register import is_small, is_vcse, org_id

AGREEMENT_REFERENCE = r"^AG-\d{4}-\d{4,8}$"


class PartyOut(Schema):
    name: str
    identifier: str = Field(description="The org-id identifier (GB-CHC-…, GB-COH-…, GB-LAE-…); empty when none")


class ContractOut(Schema):
    reference: str
    title: str
    kind: Literal["contract", "grant"]
    status: Literal["issued", "accepted"]
    description: str
    commissioning_body: PartyOut
    department: str
    supplier: PartyOut
    supplier_is_vcse: bool
    supplier_is_small: bool
    value: str = Field(description="The value over the whole term, in pounds, exact to the penny, as text")
    value_includes_vat: bool
    start_date: date
    end_date: date
    review_date: date | None
    from_published_tender: bool = Field(description="The result of a tender or grant round published in the hub")

    @staticmethod
    def resolve_commissioning_body(obj) -> dict:
        return {"name": obj.commissioner.name, "identifier": org_id(obj.commissioner)}

    @staticmethod
    def resolve_supplier(obj) -> dict:
        return {"name": obj.provider.name, "identifier": org_id(obj.provider)}

    @staticmethod
    def resolve_supplier_is_vcse(obj) -> bool:
        return is_vcse(obj.provider)

    @staticmethod
    def resolve_supplier_is_small(obj) -> bool:
        return is_small(obj.provider)

    @staticmethod
    def resolve_value(obj) -> str:
        return f"{obj.value:.2f}"

    @staticmethod
    def resolve_start_date(obj) -> date:
        return obj.starts_on

    @staticmethod
    def resolve_end_date(obj) -> date:
        return obj.ends_on

    @staticmethod
    def resolve_review_date(obj) -> date | None:
        return obj.review_on

    @staticmethod
    def resolve_from_published_tender(obj) -> bool:
        return obj.origin == "award"


class RegisterQuery(Schema):
    q: SearchText(200, "Words in the reference, title, description or supplier's name") = ""
    body: str = Field("", max_length=220, pattern=r"^[a-z0-9-]*$", description="A commissioning body's slug")
    kind: Literal["", "contract", "grant"] = ""
    live: Literal["", "live", "ended"] = Field("", description="Running now, ended, or both")
