"""Performance assessments: an agreement's KPIs against their targets over a period, rated as the law names it.

Where an agreement's KPIs are set under the Procurement Act 2023 s52 (above the threshold, not light
touch: ``Agreement.needs_performance_assessment``), s71 asks the commissioner to assess performance at
least once in every 12 months and on termination, with the ratings of the Procurement Regulations 2024,
reg 39(5): Good, Approaching target, Requires improvement, Inadequate, Other. Any other agreement may be
assessed too, when the commissioner wants to.

An assessment is drawn from the returns: each KPI's result is the average of what the accepted returns
whose period lies in the assessment's period reported (each return's target is for its own period), and
the rating it is given starts from a suggestion (at or above target Good; below it by no more than the
``CONTRACTS["assessment_approaching_percent"]`` setting Approaching target; further below Requires
improvement; no accepted return Other) that the commissioner may change. How often they are due is the
``CONTRACTS["assessment_every_months"]`` setting.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.charts import ChartRow, bar_chart
from commissioning.core.errors import RefusedError

from . import notifications
from .models import Agreement, AgreementStatus, PerformanceAssessment, Rating, ReturnStatus
from .monitoring import add_months
from .permissions import is_agreement_commissioner

NOTE_MAX = 5000
# The ratings that say performance fell short: the commissioner says why, and what follows.
NEEDS_A_NOTE = frozenset({Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE})


class AssessmentError(RefusedError):
    """An assessment the rules refuse, with messages per field."""


def every_months() -> int:
    """How many months may pass between assessments (the ``CONTRACTS["assessment_every_months"]`` setting)."""
    return int(settings.CONTRACTS["assessment_every_months"])


def approaching_percent() -> Decimal:
    """How far below its target (per cent of it) a KPI's result may be and still be approaching it."""
    return Decimal(str(settings.CONTRACTS["assessment_approaching_percent"]))


def suggested_rating(target: Decimal, actual: Decimal | None, margin_percent: Decimal) -> Rating:
    """The rating a KPI's result suggests: at or above target Good; within the margin below it Approaching
    target; further below Requires improvement; with no result, Other. Inadequate is the commissioner's call."""
    if actual is None:
        return Rating.OTHER
    if actual >= target:
        return Rating.GOOD
    if actual >= target - target * margin_percent / 100:
        return Rating.APPROACHING
    return Rating.REQUIRES_IMPROVEMENT


def plain(value: Decimal) -> str:
    """A KPI's figure as people write it: 100, 92.5, never 100.00 or 1E+2."""
    return f"{value.normalize():f}"


def _actual(measure_row: dict) -> Decimal | None:
    try:
        return Decimal(str(measure_row.get("actual")))
    except (InvalidOperation, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class KpiResults:
    """One KPI, its target and what each accepted return reported against it."""

    number: int
    name: str
    target: Decimal
    unit: str
    published: bool
    by_return: list  # [(return, actual or None)]

    def chart(self):
        """The KPI's target and each accepted return's result as bars; the page shows the same in a table."""
        rows = [ChartRow("Target", self.target, self.shown(self.target))]
        for r, actual in self.by_return:
            shown = self.shown(actual) if actual is not None else "Not reported"
            rows.append(ChartRow(f"Return {r.number}", actual or 0, shown))
        return bar_chart(rows, title=f"KPI {self.number}: {self.name}, target and results by return")

    def shown(self, value: Decimal) -> str:
        """A figure of this KPI with its unit: "100 people", "92.5%"."""
        return f"{plain(value)}%" if self.unit == "%" else f"{plain(value)} {self.unit}".strip()

    def in_period(self, start: date, end: date) -> list[Decimal]:
        return [a for r, a in self.by_return if a is not None and r.period_start >= start and r.period_end <= end]


def accepted_returns(agreement: Agreement) -> list:
    """The agreement's accepted returns, in order."""
    return [r for r in agreement.returns.order_by("number") if r.status == ReturnStatus.ACCEPTED]


def kpi_results(agreement: Agreement, accepted: list | None = None) -> list[KpiResults]:
    """Each KPI with what every accepted return reported against it, from the returns as submitted."""
    accepted = accepted_returns(agreement) if accepted is None else accepted
    results = []
    for measure in agreement.measures.all():
        by_return = []
        for r in accepted:
            row = next((m for m in r.measures or [] if m.get("number") == measure.number), None)
            by_return.append((r, _actual(row) if row else None))
        results.append(
            KpiResults(measure.number, measure.name, measure.target, measure.unit, measure.published, by_return)
        )
    return results


def average(values: list[Decimal]) -> Decimal | None:
    """The mean of ``values`` to two decimal places, or None when there are none."""
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def suggestions(agreement: Agreement, start: date, end: date, results: list[KpiResults] | None = None) -> list[dict]:
    """Each KPI's result over ``start``..``end`` (the average of the accepted returns in it), its suggested rating."""
    results = kpi_results(agreement) if results is None else results
    margin = approaching_percent()
    rows = []
    for kpi in results:
        values = kpi.in_period(start, end)
        actual = average(values)
        rows.append(
            {
                "number": kpi.number,
                "name": kpi.name,
                "target": plain(kpi.target),
                "unit": kpi.unit,
                "actual": "" if actual is None else plain(actual),
                "returns": len(values),
                "suggested": suggested_rating(kpi.target, actual, margin).value,
            }
        )
    return rows


def next_due(agreement: Agreement, assessments: list | None = None) -> date | None:
    """When the next assessment is due: the set months after the start or the last assessment's end, and no
    later than the agreement's end (an assessment on termination); None once the whole term is assessed."""
    assessments = list(agreement.assessments.all()) if assessments is None else assessments
    last_end = max((a.period_end for a in assessments), default=None)
    if last_end is not None and last_end >= agreement.ends_on:
        return None
    base = agreement.starts_on if last_end is None else last_end + timedelta(days=1)
    return min(add_months(base, every_months()) - timedelta(days=1), agreement.ends_on)


def default_period(agreement: Agreement, assessments: list, today: date) -> tuple[date, date]:
    """The period the form offers: from the day after the last assessment (or the start) to the end of the
    latest accepted return after it, or to yesterday when there is none, never past the agreement's end."""
    last_end = max((a.period_end for a in assessments), default=None)
    start = agreement.starts_on if last_end is None else last_end + timedelta(days=1)
    ends = [r.period_end for r in accepted_returns(agreement) if r.period_start >= start and r.period_end < today]
    end = max(ends) if ends else min(today - timedelta(days=1), agreement.ends_on)
    return start, max(end, start)


def _period_errors(agreement: Agreement, start: date | None, end: date | None, today: date) -> dict:
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["period_start"] = ["Enter the first day of the period assessed"]
    elif start < agreement.starts_on:
        errors["period_start"] = [
            f"The period cannot start before the agreement started on {agreement.starts_on:%d/%m/%Y}"
        ]
    elif start > agreement.ends_on:
        errors["period_start"] = [f"The period cannot start after the agreement ended on {agreement.ends_on:%d/%m/%Y}"]
    if end is None:
        errors["period_end"] = ["Enter the last day of the period assessed"]
    elif end >= today:
        errors["period_end"] = ["The period assessed must have ended: its last day must be before today"]
    elif start is not None and end < start:
        errors["period_end"] = ["The period must end on or after the day it starts"]
    return errors


def _rated(rows: list[dict], measure_ratings: dict, rating: str, note: str, errors: dict) -> list[dict]:
    """Each KPI's row with the rating given; what is wrong with the ratings and the note goes in ``errors``."""
    given = []
    for row in rows:
        chosen = str(measure_ratings.get(row["number"]) or "")
        if chosen not in Rating.values:
            errors[f"rating_{row['number']}"] = [f"Choose a rating for KPI {row['number']}: {row['name']}"]
        given.append({**row, "rating": chosen})
    if rating not in Rating.values:
        errors["rating"] = ["Choose the overall rating"]
    ratings = {rating, *(row["rating"] for row in given)}
    if ratings & NEEDS_A_NOTE and not note:
        errors["note"] = ["Say why performance requires improvement or is inadequate, and what happens next"]
    elif len(note) > NOTE_MAX:
        errors["note"] = [f"The note must be {NOTE_MAX:,} characters or fewer"]
    return given


def assessment_record(
    *,
    actor,
    agreement: Agreement,
    period_start: date | None,
    period_end: date | None,
    rating: str,
    measure_ratings: dict,
    note: str = "",
) -> PerformanceAssessment:
    """The agreement's commissioner records a performance assessment for a period: a rating per KPI and overall.

    Guarantees: only the agreement's commissioners, only on an accepted
    agreement; the period starts no earlier than the agreement, has ended
    before today and overlaps no other assessment of it (checked under a lock
    on the agreement, so two at once cannot both be saved); every KPI and the
    whole are rated with one of reg 39(5)'s ratings; a note is required when
    any rating is Requires improvement or Inadequate. Each KPI is kept with its
    target, the result drawn from the accepted returns, the suggested rating
    and the one given. Audited; the provider's administrators are e-mailed.
    """
    if not is_agreement_commissioner(actor, agreement):
        raise PermissionDenied("Only the agreement's commissioners assess its performance")
    today = clock.today()
    note = (note or "").strip()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != AgreementStatus.ACCEPTED:
            raise AssessmentError.on("", "Performance is assessed once the agreement is accepted")
        errors = _period_errors(locked, period_start, period_end, today)
        if not errors:
            overlapping = (
                locked.assessments.filter(period_start__lte=period_end, period_end__gte=period_start)
                .order_by("period_start")
                .first()
            )
            if overlapping is not None:
                errors["period_start"] = [
                    f"The period overlaps the assessment of {overlapping.period_start:%d/%m/%Y} to "
                    f"{overlapping.period_end:%d/%m/%Y}: choose a period after it"
                ]
        rows = suggestions(locked, period_start, period_end) if not errors else []
        given = _rated(rows, measure_ratings, rating, note, errors)
        if errors:
            raise AssessmentError(errors)
        assessment = PerformanceAssessment.objects.create(
            agreement=locked,
            period_start=period_start,
            period_end=period_end,
            rating=rating,
            measure_ratings=given,
            note=note,
            assessed_by=actor,
            assessed_at=clock.now(),
        )
        audit_record(
            actor=actor,
            verb="agreement.assess",
            obj=locked,
            after={
                "period": [period_start.isoformat(), period_end.isoformat()],
                "rating": rating,
                "measures": {row["number"]: row["rating"] for row in given},
            },
            reason=note,
        )
        transaction.on_commit(lambda: notifications.assessment_recorded(assessment))
    return assessment


@dataclass(frozen=True)
class Performance:
    """What an agreement's performance page shows, to its commissioners and its provider alike."""

    kpis: list[KpiResults]
    accepted: list
    assessments: list
    next_due: date | None
    required: bool
    overdue: bool


def performance_of(agreement: Agreement, today: date | None = None) -> Performance:
    """The agreement's KPIs with each accepted return's results, its assessments and when the next is due."""
    today = today or clock.today()
    accepted = accepted_returns(agreement)
    assessments = list(agreement.assessments.select_related("assessed_by").order_by("period_start"))
    due = next_due(agreement, assessments) if agreement.needs_performance_assessment else None
    return Performance(
        kpis=kpi_results(agreement, accepted),
        accepted=accepted,
        assessments=assessments,
        next_due=due,
        required=agreement.needs_performance_assessment,
        overdue=bool(due and due < today),
    )


def latest_assessment(agreement: Agreement) -> PerformanceAssessment | None:
    """The agreement's most recent assessment (the one whose period ends last), or None."""
    return agreement.assessments.order_by("-period_end", "-pk").first()


RATING_LABELS = dict(Rating.choices)
