"""API shapes of needs assessments: published ones in full, with their evidence, figures and co-production."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from commissioning.core.schemas import SearchText

from .models import ActivityKind, AssessmentStatus, Sector

ASSESSMENT_REFERENCE = r"^[A-Za-z0-9-]{1,20}$"
SLUG_OR_EMPTY = r"^([-a-zA-Z0-9_]+)?$"
WARD_CODE_OR_EMPTY = r"^(E05[0-9]{6})?$"


class AssessmentsQuery(Schema):
    q: SearchText(200, "Words to find in the reference, title or question") = ""  # type: ignore[valid-type]
    service_area: str = Field("", max_length=120, pattern=SLUG_OR_EMPTY, description="An outcome area's slug")
    ward: str = Field(
        "", max_length=9, pattern=WARD_CODE_OR_EMPTY, description="A Leeds ward's ONS code; city-wide ones are included"
    )


class NamedOut(Schema):
    name: str


class ServiceAreaOut(Schema):
    name: str
    slug: str


class WardOut(Schema):
    code: str = Field(description="The ward's ONS code")
    name: str


class AssessmentSummaryOut(Schema):
    reference: str
    title: str
    status: Literal[tuple(AssessmentStatus.values)]  # type: ignore[valid-type]
    body: NamedOut = Field(description="The commissioning body that made the assessment")
    service_area: ServiceAreaOut = Field(description="The outcome area")
    city_wide: bool
    wards: list[WardOut]
    question: str
    completed_at: datetime | None
    url: str = Field(description="The assessment's public page")


class EvidenceOut(Schema):
    source: str
    sector: Literal[tuple(Sector.values)]  # type: ignore[valid-type]
    dated: date
    link: str
    file_url: str | None = Field(description="Where to download the file, when there is one")
    shows: str


class WardFigureOut(Schema):
    ward: WardOut
    indicator: str
    year: int
    value: str = Field(description="The figure, exactly, as text")


class CoProductionOut(Schema):
    kind: Literal[tuple(ActivityKind.values)]  # type: ignore[valid-type]
    title: str
    held_on: date
    participants: int
    communities: str
    organisations: list[NamedOut]
    what_changed: str


class AssessmentOut(AssessmentSummaryOut):
    findings: str
    needs_identified: list[str]
    evidence: list[EvidenceOut]
    ward_figures: list[WardFigureOut]
    co_production: list[CoProductionOut]
