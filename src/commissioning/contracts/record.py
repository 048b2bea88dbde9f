"""Contracts' part of the commissioning record's page: its agreements, under the Code's "Contract
management" stage, with where each stands and its monitoring."""

from django.db.models import Count, Q
from django.urls import reverse

from commissioning.core.formats import format_date
from commissioning.core.money import format_money
from commissioning.records.sections import Part, Row, Section, record_section

from .models import Agreement, ReturnStatus


@record_section(stage="contract_management", order=10)
def agreements(record, user) -> Section | None:
    """Each agreement of the record: provider, value, term, status, and its returns accepted of those due.

    None while the record has no agreement. One query however many there are.
    """
    rows = list(
        Agreement.objects.filter(record=record)
        .select_related("provider")
        .annotate(
            returns_total=Count("returns", distinct=True),
            returns_accepted=Count("returns", filter=Q(returns__status=ReturnStatus.ACCEPTED), distinct=True),
        )
        .order_by("starts_on", "pk")
    )
    if not rows:
        return None
    parts = []
    for agreement in rows:
        details = [
            Row("Provider", agreement.provider.name),
            Row("Value", format_money(agreement.value)),
            Row("Term", f"{format_date(agreement.starts_on)} to {format_date(agreement.ends_on)}"),
            Row("Status", agreement.get_status_display()),
            Row("Monitoring", f"{agreement.get_tier_display()} tier"),
        ]
        if agreement.returns_total:
            details.append(Row("Returns accepted", f"{agreement.returns_accepted} of {agreement.returns_total}"))
        parts.append(
            Part(
                heading=f"{agreement.reference}: {agreement.title}",
                rows=details,
                href=reverse("contracts:agreement", args=[agreement.reference]),
            )
        )
    return Section(heading="Contracts and grant agreements", parts=parts)
