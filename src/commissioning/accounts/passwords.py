"""One way to judge a password: against the person it is for.

Sign-up, accepting an invitation and the bootstrap command judge a password
before its account exists; a password reset judges it for the saved account.
All use the validators in ``AUTH_PASSWORD_VALIDATORS``, so "too similar to
your e-mail address or name" means the same wherever a password is chosen.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.functional import lazy

from .models import User, normalise_email


def password_problems_for(password: str, *, email: str, full_name: str = "") -> list[str]:
    """Every reason ``password`` will not do for the person with this e-mail address and name.

    Returns an empty list when the password is acceptable. The person need
    not have an account yet: the password is compared with an unsaved
    account holding the normalised address and the name, exactly as a later
    password reset compares it with the saved one. Never raises for odd
    input (a blank or malformed address is simply nothing to resemble).
    """
    person = User(email=normalise_email(email or ""), full_name=(full_name or "").strip())
    try:
        password_validation.validate_password(password or "", person)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def minimum_password_length() -> int:
    """The shortest password the configured validators accept (0 if none sets a length)."""
    lengths = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if isinstance(validator, password_validation.MinimumLengthValidator)
    ]
    return max(lengths, default=0)


def _password_hint() -> str:
    return f"At least {minimum_password_length()} characters. Avoid common words, your name and your e-mail address."


# The hint under every "create a password" field, from the same validators that judge it.
password_hint = lazy(_password_hint, str)
