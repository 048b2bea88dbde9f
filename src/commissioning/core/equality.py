"""Equality characteristics that monitoring and impact assessments break down by.

The nine protected characteristics of the Equality Act 2010, plus carers,
whom Leeds also considers.
"""

from django.db import models


class Characteristic(models.TextChoices):
    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE_CIVIL_PARTNERSHIP = "marriage_civil_partnership", "Marriage and civil partnership"
    PREGNANCY_MATERNITY = "pregnancy_maternity", "Pregnancy and maternity"
    RACE = "race", "Race"
    RELIGION_BELIEF = "religion_belief", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    CARERS = "carers", "Carers"


PROTECTED_CHARACTERISTICS = [c for c in Characteristic if c is not Characteristic.CARERS]
