"""The shape every service's refusal takes: messages per field, "" for the whole request."""

from dataclasses import dataclass, field


@dataclass
class RefusedError(Exception):
    """A request the rules refuse, with messages per field ("" for the whole form).

    Pages put each message on its field in the error summary; the API answers
    them as field errors. Each app subclasses it, so callers can catch one
    app's refusals without catching another's.
    """

    errors: dict[str, list[str]] = field(default_factory=dict)

    def __str__(self) -> str:
        return "; ".join(m for messages in self.errors.values() for m in messages)

    @classmethod
    def on(cls, field_name: str, message: str):
        """A refusal with one message on one field."""
        return cls({field_name: [message]})
