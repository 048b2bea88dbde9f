"""The standard items a provider keeps once in its evidence store and reuses in every bid (PR-8).

An opportunity names which of these it needs instead of asking its own
questions about them; the provider keeps each one current in its evidence
store rather than typing it again for every bid.
"""

from django.db import models


class StandardItem(models.TextChoices):
    IDENTIFIERS = "identifiers", "Identifiers and legal form"
    ADDRESS = "address", "Registered address"
    ACCOUNTS = "accounts", "Latest annual accounts and income"
    INSURANCE_EMPLOYERS = "insurance_employers", "Employer's liability insurance"
    INSURANCE_PUBLIC = "insurance_public", "Public liability insurance"
    INSURANCE_PROFESSIONAL = "insurance_professional", "Professional indemnity insurance"
    SAFEGUARDING_CHILDREN = "safeguarding_children", "Safeguarding children policy"
    SAFEGUARDING_ADULTS = "safeguarding_adults", "Safeguarding adults policy"
    EQUALITY = "equality", "Equality and diversity policy"
    DATA_PROTECTION = "data_protection", "Data protection policy"
    HEALTH_SAFETY = "health_safety", "Health and safety policy"
    WHISTLEBLOWING = "whistleblowing", "Whistleblowing policy"
    COMPLAINTS = "complaints", "Complaints policy"
    SAFER_RECRUITMENT = "safer_recruitment", "DBS checks and safer recruitment"
    QUALITY_MARKS = "quality_marks", "Quality marks and accreditations"
    REFERENCES = "references", "References from past contracts and grants"


# What most opportunities ask for; a draft starts with these ticked.
DEFAULT_ITEMS = [
    StandardItem.IDENTIFIERS,
    StandardItem.ADDRESS,
    StandardItem.ACCOUNTS,
    StandardItem.INSURANCE_PUBLIC,
    StandardItem.SAFEGUARDING_ADULTS,
    StandardItem.EQUALITY,
    StandardItem.DATA_PROTECTION,
]
