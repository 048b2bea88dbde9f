"""API shapes every app's endpoints share: problems and field errors."""

from typing import Annotated

from ninja import Schema
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from . import text as text_rules


class ProblemOut(Schema):
    """A refusal with one sentence saying why."""

    detail: str


class FieldErrorOut(Schema):
    field: str
    message: str


class ValidationProblemOut(Schema):
    """Malformed input: which fields, and what is wrong with each."""

    detail: str
    errors: list[FieldErrorOut]


# What a query string may hold: anything but a NUL character, which the hub refuses in every request
# (core.middleware) and PostgreSQL cannot store. Every text parameter of a query declares it, so the
# OpenAPI document says what is refused.
NO_NUL = r"^[^\x00]*$"


def SearchText(max_length: int, description: str):  # noqa: N802 - a type factory
    """A query string's search words: up to ``max_length`` characters, never a NUL character."""
    return Annotated[str, Field(max_length=max_length, pattern=NO_NUL, description=description)]


def _rule(rule, *, optional: bool):
    def check(value: str) -> str:
        value = value.strip()
        if optional and not value:
            return value
        problem = rule(value, what="the text")
        if problem is not None:
            raise PydanticCustomError("invalid", str(problem))
        return value

    return check


def Text(max_length: int, description: str = "", *, single_line: bool = True, optional: bool = False):  # noqa: N802
    """Text as the pages take it, for an API body: never looking blank (unless ``optional``, when it may
    be empty), no control characters or direction overrides; single-line text (a title, a name) holds no
    line breaks or invisible characters either. The pattern documents the rule in the OpenAPI document."""
    if single_line:
        pattern, rule = text_rules.SINGLE_LINE_PATTERN, text_rules.single_line_problem
    else:
        pattern, rule = text_rules.MULTI_LINE_PATTERN, text_rules.multi_line_problem
    field = Field(max_length=max_length, description=description, json_schema_extra={"pattern": pattern})
    return Annotated[str, field, AfterValidator(_rule(rule, optional=optional))]
