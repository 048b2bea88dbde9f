"""API shapes for opportunities: the public record, and a commissioner's draft changes.

Money and weights travel as exact decimal text ("80000.00", "30.00"), never as
floats. Inputs refuse what the database could not store or what would be
silently changed: more than two decimal places, negative amounts, naive
times, NUL characters, dates outside the input horizon (from 2000 to the end of
the year ``INPUT_YEARS_AHEAD`` years ahead). Text follows the same rules as the
pages (:mod:`commissioning.core.text`): single-line text has no line breaks or
invisible characters, and no text may look blank or hold direction overrides.
The services then apply the same rules as the pages (who may act, in which
state, which wards exist).
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from commissioning.accounts.schemas import WardOut
from commissioning.core import text as text_rules
from commissioning.core.horizon import date_horizon
from commissioning.core.text import link_problem, multi_line_problem, single_line_problem
from commissioning.practice.selectors import rule_outcomes_for

from .models import DocumentKind, EventMode, Kind, PriceMethod, PricingMode, QuestionKind, Regime
from .rules import weights
from .selectors import VALUE_BANDS

PENNY = Decimal("0.01")


def _invalid(message: str) -> PydanticCustomError:
    # A custom error keeps the message as written (a plain ValueError gets "Value error, " in front).
    return PydanticCustomError("invalid", message)


WARD_CODE = r"^E05[0-9]{6}$"
SLUG = r"^[-a-zA-Z0-9_]+$"
REFERENCE = r"^[A-Za-z0-9-]{1,20}$"
EARLIEST_YEAR = date_horizon()[0].year
LATEST_YEAR = date_horizon()[1].year - 1


def amount_text(value: Decimal | None) -> str | None:
    """An amount or a weight as exact text with two decimal places."""
    return None if value is None else f"{Decimal(value).quantize(PENNY)}"


# ---------------------------------------------------------------------------
# Inputs


# The documented schema says exactly what is accepted (patterns, ranges,
# unique items), so a client can validate before sending and nothing the
# document allows is refused.


def _decimal(value: Any, *, pattern: str, maximum: Decimal, what: str) -> Decimal:
    # Fractions must come as text: 0.1 + 0.2 is not 0.3 in floating point, and money must be exact.
    # A whole number is a whole number, even when a JSON encoder writes it as 300.0.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _invalid(f'Send the {what} as text, like "1250.50", or as a whole number')
    text = str(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
        raise _invalid(f"Enter the {what} as a number, like 1250 or 1250.50")
    if number < 0 or text.startswith("-"):
        raise _invalid(f"The {what} must be zero or more")
    # The range first: quantizing a number of more than 28 digits would itself fail.
    if number > maximum:
        raise _invalid(f"The {what} must be {maximum:,} or less")
    if number != number.quantize(PENNY):
        raise _invalid(f"Enter the {what} with no more than 2 decimal places")
    if isinstance(value, str) and not re.fullmatch(pattern, value):
        raise _invalid(f"The {what} must be {maximum:,} or less")
    return number.quantize(PENNY)


def _decimal_type(*, pattern: str, maximum: Decimal, what: str, description: str):
    schema = {
        "anyOf": [{"type": "string", "pattern": pattern}, {"type": "integer", "minimum": 0, "maximum": int(maximum)}],
        "description": description,
    }
    return Annotated[
        Decimal,
        PlainValidator(lambda v: _decimal(v, pattern=pattern, maximum=maximum, what=what)),
        WithJsonSchema(schema, mode="validation"),
    ]


Money = _decimal_type(
    pattern=r"^[0-9]{1,10}(\.[0-9]{1,2})?$",
    maximum=Decimal("9999999999.99"),
    what="amount",
    description='Pounds, exact to the penny: text like "1250.50" or a whole number; never negative',
)
Percent = _decimal_type(
    pattern=r"^(100(\.00?)?|[0-9]{1,2}(\.[0-9]{1,2})?)$",
    maximum=Decimal(100),
    what="weight",
    description='A percentage from 0 to 100 with up to 2 decimal places, as text like "30" or "12.5"',
)


def _clean_text(value: str) -> str:
    if "\x00" in value:
        raise _invalid("Text cannot contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _invalid("Text must be valid Unicode") from exc
    return value.strip()


def _not_blank(value: str) -> str:
    if not value:
        raise _invalid("This cannot be blank")
    return value


def _text_rule(rule):
    def check(value: str) -> str:
        problem = rule(value, what="the text")
        if problem is not None:
            raise _invalid(str(problem))
        return value

    return check


def Text(max_length: int, *, required: bool = False, description: str = "", single_line: bool = False):  # noqa: N802
    """Text up to ``max_length`` characters, trimmed; ``required`` text must have more than spaces.

    No text may look blank or hold control characters or direction overrides;
    ``single_line`` text (a name, a title) holds no line breaks or invisible characters either.
    """
    if single_line:
        pattern = text_rules.SOME_SINGLE_LINE_PATTERN if required else text_rules.SINGLE_LINE_PATTERN
        description = (description + " " if description else "") + "One line, with no invisible characters."
    else:
        pattern = text_rules.SOME_MULTI_LINE_PATTERN if required else text_rules.MULTI_LINE_PATTERN
    extra = {"pattern": pattern}
    if description:
        extra["description"] = description
    validators = [
        AfterValidator(_clean_text),
        AfterValidator(_text_rule(single_line_problem if single_line else multi_line_problem)),
    ]
    if required:
        validators.append(AfterValidator(_not_blank))
    return Annotated[
        str, Field(max_length=max_length, min_length=1 if required else 0, json_schema_extra=extra), *validators
    ]


def Line(max_length: int, *, required: bool = False, description: str = ""):  # noqa: N802 - a type factory
    """Single-line text (a name, a title, a reference): see :func:`Text`."""
    return Text(max_length, required=required, description=description, single_line=True)


def _iso_day(value: Any) -> Any:
    # Only "YYYY-MM-DD": a number is not read as a timestamp, nor a time as a day.
    if isinstance(value, date) or (isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)):
        return value
    raise _invalid("Enter a date like 2026-03-31")


def _iso_moment(value: Any) -> Any:
    if isinstance(value, datetime | str):
        return value
    raise _invalid("Enter a time with its offset, like 2026-03-02T12:00:00+00:00")


def _in_range(value: date) -> date:
    # Far-off years would overflow on conversion to UTC, or make working-day counts crawl.
    earliest, latest = date_horizon()
    day = value.date() if isinstance(value, datetime) else value
    if not earliest <= day < latest:
        raise _invalid(f"Enter a date from {earliest.day} {earliest:%B %Y} and before {latest.day} {latest:%B %Y}")
    return value


def _in_utc(value: datetime) -> datetime:
    # RFC 3339 allows offsets up to 23:59 but PostgreSQL refuses those beyond 15:59: store the instant in UTC.
    return _in_range(value).astimezone(UTC)


def _no_duplicates(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise _invalid("List each one once")
    return values


def _true_or_false(value: Any) -> Any:
    # A query string's true or false, nothing looser ("on", "1", "yes" mean nothing here).
    if isinstance(value, bool) or value in ("true", "false"):
        return value
    raise _invalid("Enter true or false")


IN_RANGE_YEAR = "^(" + "|".join(str(year) for year in range(EARLIEST_YEAR, LATEST_YEAR + 1)) + ")-"
# The whole shape in the pattern, not only the year: a generator drawing from the pattern then makes
# valid dates and times, instead of drawing any date-time and throwing away those in other years.
_MONTH_DAY = "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
IN_RANGE_DAY = IN_RANGE_YEAR[:-1] + _MONTH_DAY + "$"
IN_RANGE_MOMENT = (
    IN_RANGE_YEAR[:-1] + _MONTH_DAY + "[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?"
    "([Zz]|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])$"
)
Moment = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_moment),
    AfterValidator(_in_utc),
    Field(
        description=f"An exact time with its offset, like 2026-03-02T12:00:00+00:00 (years {EARLIEST_YEAR} to "
        f"{LATEST_YEAR})",
        json_schema_extra={"pattern": IN_RANGE_MOMENT},
    ),
]
Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    AfterValidator(_in_range),
    Field(description=f"Years {EARLIEST_YEAR} to {LATEST_YEAR}", json_schema_extra={"pattern": IN_RANGE_DAY}),
]
QueryDay = Annotated[date, BeforeValidator(_iso_day)]
QueryBool = Annotated[bool, BeforeValidator(_true_or_false)]
WardCode = Annotated[str, Field(pattern=WARD_CODE, description="A Leeds ward's ONS code, like E05011386")]
WardCodes = Annotated[
    list[WardCode], Field(max_length=50, json_schema_extra={"uniqueItems": True}), AfterValidator(_no_duplicates)
]
Slug = Annotated[str, Field(max_length=120, pattern=SLUG)]
LINK = text_rules.LINK_PATTERN


def _link_or_blank(value: str) -> str:
    value = _clean_text(value)
    problem = link_problem(value)
    if problem is not None:
        raise _invalid(str(problem))
    return value


LinkOrBlank = Annotated[
    str,
    Field(max_length=200, json_schema_extra={"pattern": rf"^({LINK})?$"}),
    AfterValidator(_link_or_blank),
]


class OpportunityCreateIn(Schema):
    """A new draft tender or grant round. Deadlines carry their offset; values are exact."""

    model_config = ConfigDict(extra="forbid")

    lead_commissioner: Slug = Field(description="The commissioning body leading it; you must commission for it")
    joint_commissioners: Annotated[
        list[Slug], Field(max_length=10, json_schema_extra={"uniqueItems": True}), AfterValidator(_no_duplicates)
    ] = Field(default_factory=list, description="Other commissioning bodies commissioning jointly")
    kind: Kind
    title: Line(200, required=True)
    summary: Text(500, required=True)
    description: Text(20000) = ""
    service_area: Slug = Field(description="A service area's slug, like mental-health-and-wellbeing")
    city_wide: StrictBool = False
    wards: WardCodes = Field(default_factory=list, description="ONS codes of the wards it covers")
    outcomes: Text(5000, description="The outcomes sought, one per line") = ""
    total_value: Money
    value_includes_vat: StrictBool = True
    duration_months: int = Field(ge=1, le=600)
    regime: Literal["", *Regime.values] = Field(  # type: ignore[valid-type]
        "", description="Leave blank to use the regime the value and service suggest"
    )
    find_a_tender_reference: Line(40) = ""
    question_deadline: Moment | None = None
    submission_deadline: Moment | None = None
    evaluation_from: Day | None = None
    expected_award: Day | None = None
    service_start: Day | None = None
    price_weight: Percent = Decimal(0)
    price_method: PriceMethod = PriceMethod.LOWEST_PROPORTIONAL
    social_value_ambitions_referenced: StrictBool = False
    compact_clause_in_terms: StrictBool = False


class OpportunityUpdateIn(Schema):
    """Changes to a draft: only the fields sent change; a field left out keeps its value.

    ``null`` clears a date; the other fields cannot be cleared, only changed.
    """

    model_config = ConfigDict(extra="forbid")

    # Absent means "unchanged", so the defaults are never stored; null is refused
    # for fields the database cannot leave empty.
    kind: Kind = None  # type: ignore[assignment]
    title: Line(200, required=True) = None  # type: ignore[assignment]
    summary: Text(500, required=True) = None  # type: ignore[assignment]
    description: Text(20000) = None  # type: ignore[assignment]
    service_area: Slug = None  # type: ignore[assignment]
    city_wide: StrictBool = None  # type: ignore[assignment]
    wards: WardCodes = None  # type: ignore[assignment]
    outcomes: Text(5000) = None  # type: ignore[assignment]
    total_value: Money = None  # type: ignore[assignment]
    value_includes_vat: StrictBool = None  # type: ignore[assignment]
    duration_months: int = Field(None, ge=1, le=600)  # type: ignore[assignment]
    regime: Literal["", *Regime.values] = Field(  # type: ignore[valid-type]
        None, description="Blank sets the regime the value and service suggest"
    )
    find_a_tender_reference: Line(40) = None  # type: ignore[assignment]
    question_deadline: Moment | None = None
    submission_deadline: Moment | None = None
    evaluation_from: Day | None = None
    expected_award: Day | None = None
    service_start: Day | None = None
    price_weight: Percent = None  # type: ignore[assignment]
    price_method: PriceMethod = None  # type: ignore[assignment]
    social_value_ambitions_referenced: StrictBool = None  # type: ignore[assignment]
    compact_clause_in_terms: StrictBool = None  # type: ignore[assignment]


class LotIn(Schema):
    """A lot added to a draft; it is numbered after the last one."""

    model_config = ConfigDict(extra="forbid")

    title: Line(200, required=True)
    description: Text(5000) = ""
    value: Money
    city_wide: StrictBool = False
    wards: WardCodes = Field(default_factory=list)
    pricing: PricingMode
    floor_price: Money | None = Field(None, description="The minimum acceptable price, for floor pricing")
    fixed_price: Money | None = None
    max_award: Money | None = Field(None, description="The largest grant, for a grant round")


class QuestionIn(Schema):
    """A question added to a draft; it is numbered after the last one."""

    model_config = ConfigDict(extra="forbid")

    kind: QuestionKind = QuestionKind.QUALITY
    text: Text(1000, required=True)
    guidance: Text(3000) = ""
    word_limit: int = Field(ge=1, le=20000)
    weight: Percent


class EventIn(Schema):
    """A market engagement event, open to every provider (PR-2)."""

    model_config = ConfigDict(extra="forbid")

    title: Line(200, required=True)
    starts_at: Moment
    ends_at: Moment
    mode: EventMode
    address: Line(300, description="Where, for an event in person") = ""
    link: LinkOrBlank = Field("", description="How to join, for an online event: an http or https address")
    capacity: int = Field(ge=1, le=100000)
    description: Text(3000) = ""


class AmendmentIn(Schema):
    """A numbered amendment to an open opportunity: what changed, and the new values of the fields sent.

    Fields left out keep their values. The closing times only move later, and moving either makes the
    amendment material. A new deadline leaving less than PL-3's least lead time from today needs
    ``lead_time_explanation``.
    """

    model_config = ConfigDict(extra="forbid")

    summary: Text(3000, required=True) = Field(description="What has changed, sent to everyone interested")
    material: StrictBool = Field(False, description="Whether it could change who bids or what they offer")
    description: Text(20000) = None  # type: ignore[assignment]
    outcomes: Text(5000) = None  # type: ignore[assignment]
    find_a_tender_reference: Text(40) = None  # type: ignore[assignment]
    question_deadline: Moment = None  # type: ignore[assignment]
    submission_deadline: Moment = None  # type: ignore[assignment]
    evaluation_from: Day = None  # type: ignore[assignment]
    expected_award: Day = None  # type: ignore[assignment]
    service_start: Day = None  # type: ignore[assignment]
    lead_time_explanation: Text(3000) = ""


# ---------------------------------------------------------------------------
# Outputs. Resolvers read relations the selectors prefetch, so a page of
# results costs a fixed number of queries however many there are.


class ServiceAreaOut(Schema):
    slug: str
    name: str


class CommissioningBodyOut(Schema):
    slug: str
    name: str


class OpportunitySummaryOut(Schema):
    reference: str
    kind: Kind
    title: str
    summary: str
    status: Literal["draft", "open", "closed", "cancelled", "withdrawn"] = Field(
        description="Open and closed are read from the submission deadline and the clock"
    )
    service_area: ServiceAreaOut
    lead_commissioner: CommissioningBodyOut
    total_value: str = Field(description="Pounds, exact to the penny, as text")
    value_includes_vat: bool
    submission_deadline: datetime | None
    published_at: datetime | None
    city_wide: bool
    wards: list[WardOut]
    url: str = Field(description="The opportunity's public page")

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.display_status

    @staticmethod
    def resolve_total_value(obj) -> str:
        return amount_text(obj.total_value)

    @staticmethod
    def resolve_wards(obj) -> list[dict]:
        return [{"code": w.code, "name": w.name} for w in obj.wards.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("opportunities:detail", args=[obj.reference])


class CommissionerOut(Schema):
    slug: str
    name: str
    lead: bool


class LotOut(Schema):
    number: int
    title: str
    description: str
    value: str
    pricing: PricingMode
    floor_price: str | None
    fixed_price: str | None
    max_award: str | None
    city_wide: bool
    wards: list[WardOut]

    @staticmethod
    def resolve_value(obj) -> str:
        return amount_text(obj.value)

    @staticmethod
    def resolve_floor_price(obj) -> str | None:
        return amount_text(obj.floor_price)

    @staticmethod
    def resolve_fixed_price(obj) -> str | None:
        return amount_text(obj.fixed_price)

    @staticmethod
    def resolve_max_award(obj) -> str | None:
        return amount_text(obj.max_award)

    @staticmethod
    def resolve_wards(obj) -> list[dict]:
        return [{"code": w.code, "name": w.name} for w in obj.wards.all()]


class QuestionOut(Schema):
    number: int
    kind: QuestionKind
    text: str
    guidance: str
    word_limit: int
    weight: str = Field(description="Percent of the marks")

    @staticmethod
    def resolve_weight(obj) -> str:
        return amount_text(obj.weight)


class AwardCriteriaOut(Schema):
    quality: str = Field(description="Percent of the marks for quality questions")
    social_value: str = Field(description="Percent of the marks for social value questions")
    price: str = Field(description="Percent of the marks for price")
    price_method: PriceMethod


class TimelineOut(Schema):
    question_deadline: datetime | None
    submission_deadline: datetime | None
    evaluation_from: date | None
    expected_award: date | None
    service_start: date | None


class EventOut(Schema):
    title: str
    starts_at: datetime
    ends_at: datetime
    mode: EventMode
    address: str
    link: str
    capacity: int
    description: str


class ClarificationOut(Schema):
    """A question a provider asked and its answer, published without saying who asked."""

    question: str = Field(description="The question as published (its wording may be edited from the asker's)")
    answer: str
    published_at: datetime

    @staticmethod
    def resolve_question(obj) -> str:
        # Only the published wording ever leaves the hub; the asker's own words stay with them.
        return obj.published_question


class AmendmentOut(Schema):
    number: int
    summary: str
    material: bool
    new_deadline: datetime | None
    lead_time_explanation: str = Field(
        description="Why less than PL-3's least lead time is left before the new deadline; empty when enough is"
    )
    changes: dict[str, dict[str, str | None]] = Field(
        description="Each amended field's value before and after (times in ISO 8601)"
    )
    made_at: datetime


class DocumentOut(Schema):
    """A document published with the opportunity; its SHA-256 shows whether it has changed."""

    kind: DocumentKind
    title: str
    content_type: str
    size: int = Field(description="In bytes")
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("opportunities:document", args=[obj.opportunity.reference, obj.pk])


class CodeOutcomeOut(Schema):
    """How one rule of the Code was applied: met, or explained with the reason and who confirmed it."""

    rule: str
    title: str
    outcome: str
    detail: str
    reason: str
    agreed_by: str = Field(description="Who confirmed the explanation in the hub (name and role); empty when met")
    confirmed_at: datetime | None = Field(description="When the explanation was confirmed; null when met")
    recorded_at: datetime

    @staticmethod
    def resolve_confirmed_at(obj) -> datetime | None:
        return obj.explanation.decided_at if obj.explanation_id else None

    @staticmethod
    def resolve_rule(obj) -> str:
        return obj.rule.code

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.rule.title


class OpportunityOut(OpportunitySummaryOut):
    description: str
    outcomes: list[str] = Field(description="The outcomes sought")
    duration_months: int
    regime: Regime
    find_a_tender_reference: str
    commissioners: list[CommissionerOut]
    lots: list[LotOut]
    award_criteria: AwardCriteriaOut
    questions: list[QuestionOut]
    timeline: TimelineOut
    events: list[EventOut]
    clarifications: list[ClarificationOut]
    amendments: list[AmendmentOut]
    documents: list[DocumentOut]
    code_outcomes: list[CodeOutcomeOut] = Field(description="The Code's rules as recorded when it was published")

    @staticmethod
    def resolve_outcomes(obj) -> list[str]:
        return [line.strip() for line in obj.outcomes.splitlines() if line.strip()]

    @staticmethod
    def resolve_commissioners(obj) -> list[dict]:
        return [
            {"slug": body.slug, "name": body.name, "lead": body.pk == obj.lead_commissioner_id}
            for body in obj.commissioners
        ]

    @staticmethod
    def resolve_lots(obj) -> list:
        return list(obj.lots.all())

    @staticmethod
    def resolve_award_criteria(obj) -> dict:
        w = weights(obj)
        return {
            "quality": amount_text(w.quality),
            "social_value": amount_text(w.social_value),
            "price": amount_text(w.price),
            "price_method": obj.price_method,
        }

    @staticmethod
    def resolve_timeline(obj) -> dict:
        return {
            "question_deadline": obj.question_deadline,
            "submission_deadline": obj.submission_deadline,
            "evaluation_from": obj.evaluation_from,
            "expected_award": obj.expected_award,
            "service_start": obj.service_start,
        }

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())

    @staticmethod
    def resolve_clarifications(obj) -> list:
        # Only answered questions are public; the selector leaves out unpublished ones.
        return [c for c in obj.clarifications.all() if c.published_at is not None and c.answer.strip()]

    @staticmethod
    def resolve_amendments(obj) -> list:
        return list(obj.amendments.all())

    @staticmethod
    def resolve_code_outcomes(obj) -> list:
        return rule_outcomes_for(obj=obj)


class RuleCheckOut(Schema):
    code: str
    title: str
    outcome: Literal["met", "not_met", "explained", "cannot_judge"] = Field(
        description=(
            "cannot_judge: the draft cannot be checked against the rule as it stands (the detail says what to "
            "correct); it stops publishing like not_met and cannot be explained"
        )
    )
    detail: str


class PublicationCheckOut(Schema):
    """What stands between a draft and publishing: facts to fix, and the Code's rules to meet or explain."""

    ready: bool = Field(description="True when nothing below stops publishing")
    problems: list[str] = Field(description="Facts to fix: these cannot be explained away")
    rules: list[RuleCheckOut] = Field(description="Each rule checked at publishing; not_met ones stop it")


class PublishRefusedOut(Schema):
    detail: str
    problems: list[str]


VALUE_BAND = Literal["", *VALUE_BANDS]  # type: ignore[valid-type]
