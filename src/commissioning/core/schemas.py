"""API shapes every app's endpoints share: problems and field errors."""

from ninja import Schema


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
