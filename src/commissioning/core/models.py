"""Reference data every stage shares: Leeds wards and extra closure days."""

from django.db import models

from .formats import format_date


class Ward(models.Model):
    """A Leeds electoral ward (May 2018 boundaries), identified by its ONS GSS code."""

    code = models.CharField(max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClosureDay(models.Model):
    """A day the commissioning bodies are closed beyond weekends and bank holidays.

    Working-day deadlines (standstill, lead times, feedback) skip these days.
    """

    day = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{format_date(self.day)}: {self.reason}"
