"""Organisation identifiers in the org-id.guide schemes, with each register's number format.

An identifier is a scheme prefix and the number the register gives, written
together as an org-id ("GB-CHC-1234567"). :func:`normalise_identifier` tidies
what people type (spaces, lower case, a missing leading zero on a company
number) and refuses a number that cannot be from that register.
"""

import re

from django.db import models


class Scheme(models.TextChoices):
    CHARITY_ENGLAND_WALES = "GB-CHC", "Charity Commission for England and Wales (GB-CHC)"
    COMPANIES_HOUSE = "GB-COH", "Companies House (GB-COH)"
    CHARITY_SCOTLAND = "GB-SC", "Scottish Charity Regulator (GB-SC)"
    CHARITY_NORTHERN_IRELAND = "GB-NIC", "Charity Commission for Northern Ireland (GB-NIC)"
    MUTUALS = "GB-MPR", "Mutuals Public Register (GB-MPR)"
    LOCAL_AUTHORITY_ENGLAND = "GB-LAE", "Local authorities in England (GB-LAE)"
    NHS = "GB-NHS", "NHS Organisation Data Service (GB-NHS)"


# What each register's numbers look like, after normalisation, and how to say so.
FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    Scheme.CHARITY_ENGLAND_WALES: (
        re.compile(r"^[0-9]{6,7}$"),
        "A registered charity number is 6 or 7 digits, like 1123456",
    ),
    Scheme.COMPANIES_HOUSE: (
        re.compile(
            r"^(?:[0-9]{8}|(?:SC|NI|OC|SO|NC|R0|IP|SP|RC|SR|NP|NR|FC|SF|NF|GE|LP|SL|NL|CE|CS|ZC|SZ|RS|SI|NO)[0-9]{6})$"
        ),
        "A company number is 8 characters: 8 digits, or 2 letters and 6 digits, like 01234567 or SC123456",
    ),
    Scheme.CHARITY_SCOTLAND: (
        re.compile(r"^SC[0-9]{6}$"),
        "A Scottish charity number is SC and 6 digits, like SC012345",
    ),
    Scheme.CHARITY_NORTHERN_IRELAND: (
        re.compile(r"^1[0-9]{5}$"),
        "A Northern Ireland charity number is 6 digits starting with 1, like 100123",
    ),
    Scheme.MUTUALS: (
        re.compile(r"^(?:IP)?[0-9]{1,6}R?$"),
        "A Mutuals Public Register number is up to 6 digits, sometimes ending in R, like 30012R",
    ),
    Scheme.LOCAL_AUTHORITY_ENGLAND: (
        re.compile(r"^[A-Z]{3}$"),
        "A local authority code is 3 letters, like LDS for Leeds",
    ),
    Scheme.NHS: (
        re.compile(r"^[A-Z0-9]{3,6}$"),
        "An NHS organisation code is 3 to 6 letters and digits, like QWO",
    ),
}


class IdentifierError(ValueError):
    """Raised when a number is not in the register's format."""


def normalise_identifier(scheme: str, value: str) -> str:
    """Return the register number in its canonical form, or raise IdentifierError.

    Spaces and hyphens are dropped and letters upper-cased. A Companies House
    number of fewer than 8 digits is padded with leading zeros, as the register
    writes it. A value that repeats the scheme prefix ("GB-CHC-1123456") is
    accepted.
    """
    if scheme not in FORMATS:
        raise IdentifierError("Choose an identifier scheme from the list")
    text = re.sub(r"[\s-]+", "", str(value or "")).upper()
    prefix = scheme.replace("-", "")
    if text.startswith(prefix) and len(text) > len(prefix):
        text = text[len(prefix) :]
    if not text:
        raise IdentifierError("Enter the organisation's number")
    if len(text) > 20:
        raise IdentifierError("The number must be 20 characters or fewer")
    if scheme == Scheme.COMPANIES_HOUSE and text.isdigit() and len(text) < 8:
        text = text.zfill(8)
    pattern, message = FORMATS[scheme]
    if not pattern.match(text):
        raise IdentifierError(message)
    return text


def org_id(scheme: str, value: str) -> str:
    """Write an identifier as an org-id, like "GB-CHC-1123456"."""
    return f"{scheme}-{value}"


UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Return a UK postcode upper-cased with one space before the inward code.

    Raises ValueError when the text is not shaped like a UK postcode.
    """
    text = re.sub(r"\s+", "", str(value or "")).upper()
    if not UK_POSTCODE.match(text):
        raise ValueError("Enter a real postcode, like LS1 1UR")
    return f"{text[:-3]} {text[-3:]}"
