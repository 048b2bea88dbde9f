"""API shapes of open reviews: a review, its published comments and its answers. Never an e-mail address."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from commissioning.core.schemas import NO_NUL
from commissioning.core.text import (
    SINGLE_LINE_PATTERN,
    SOME_MULTI_LINE_PATTERN,
    looks_blank,
    multi_line_problem,
    single_line_problem,
)

REVIEW_REFERENCE = r"^LRV-[0-9]{4}-[0-9]{4,}$"

Status = Literal["upcoming", "open", "closed", "answered"]
Kind = Literal["needs_assessment", "service", "sector"]


class ReviewsQuery(Schema):
    """The list's filter: open (taking comments now), upcoming, or closed (answered ones too)."""

    status: Literal["open", "upcoming", "closed"] | None = Field(
        None, description="open: taking comments now; upcoming: published, not open yet; closed: closed or answered"
    )
    body: Annotated[str, Field(max_length=200, pattern=NO_NUL)] | None = Field(
        None, description="The commissioning body's slug"
    )


class BodyOut(Schema):
    name: str
    slug: str


class ReviewSummaryOut(Schema):
    reference: str
    title: str
    kind: Kind
    status: Status = Field(description="Where the review stands now, read from its dates and the server's clock")
    body: BodyOut
    summary: str
    opens_at: datetime
    closes_at: datetime
    answered_at: datetime | None = Field(description="When the body published its answers to the comments")
    assessment: str | None = Field(description="The title of the needs assessment reviewed, for that kind")
    comments: int = Field(description="Published comments, and removed ones counted in their place")
    url: str = Field(description="The review's public page")


class CommentOut(Schema):
    id: int
    name: str = Field(description="The name the commenter gave (their account's name when signed in)")
    organisation: str
    text: str = Field(description="Empty for a comment removed by a moderator")
    posted_at: datetime
    removed: bool
    removed_reason: str = Field(description="Why a moderator removed it (abuse only), or empty")


class AnswerOut(Schema):
    position: int
    you_said: str
    we_did: str
    comments: list[int] = Field(description="The ids of the comments this answers")


class ReviewOut(ReviewSummaryOut):
    text: str
    questions: list[str]
    comment_list: list[CommentOut] = Field(description="Published and removed comments, oldest first")
    answers: list[AnswerOut] = Field(description="'You said, we did', once the answers are published; else empty")


def _plain(rule, what: str, *, required: bool):
    def check(value: str) -> str:
        value = value.strip()
        if required and looks_blank(value):
            raise ValueError(f"Enter {what}")
        if problem := rule(value, what=what):
            raise ValueError(str(problem))
        return value

    return AfterValidator(check)


class CommentIn(Schema):
    """A comment by the token's person, published at once under their name, while the review is open."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        str,
        Field(min_length=1, max_length=5000, json_schema_extra={"pattern": SOME_MULTI_LINE_PATTERN}),
        _plain(multi_line_problem, "your comment", required=True),
    ]
    organisation_name: Annotated[
        str,
        Field(max_length=200, json_schema_extra={"pattern": SINGLE_LINE_PATTERN}),
        _plain(single_line_problem, "the organisation's name", required=False),
    ] = Field("", description="The organisation or group the commenter speaks for, if any")
