"""API shapes every app's endpoints share: problems and field errors."""

from typing import Annotated

from ninja import Schema
from pydantic import Field


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
