"""Reads of needs assessments and co-production, scoped to who is asking.

A draft assessment is seen only by the commissioners of its body: to anyone
else (other bodies' commissioners and administrators included) its
reference answers 404, as one that does not exist. A completed assessment
is public. Co-production recorded for a commissioning record is read only
after the record was loaded through ``records.selectors.record_get_for``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from commissioning.accounts.permissions import commissioning_at
from commissioning.core.charts import ChartRow, bar_chart

from .models import Assessment, AssessmentStatus, CoProduction, Evidence, WardFigure
from .permissions import is_assessment_commissioner, may_see_assessment


def _full() -> QuerySet[Assessment]:
    return Assessment.objects.select_related("body", "service_area", "created_by", "completed_by").prefetch_related(
        "wards",
        Prefetch("evidence", queryset=Evidence.objects.order_by("dated", "pk")),
        Prefetch("ward_figures", queryset=WardFigure.objects.select_related("ward")),
        Prefetch("co_production", queryset=CoProduction.objects.prefetch_related("organisations")),
    )


def assessment_get_for(*, user, reference: str) -> Assessment:
    """One assessment as ``user`` may read it, with its wards, evidence, figures and co-production, or 404.

    Guarantees: a completed assessment for anyone, signed in or not; a
    draft only for the commissioners of its body; everyone else gets 404,
    the same as for a reference that does not exist. A fixed number of
    queries.
    """
    assessment = _full().filter(reference=str(reference)).first()
    if assessment is None or not may_see_assessment(user, assessment):
        raise Http404
    return assessment


def assessment_get_for_commissioner(*, user, reference: str) -> Assessment:
    """One assessment of a body ``user`` commissions for (draft or completed), loaded in full, or 404.

    Guarantees: only the commissioners of the assessment's body get it;
    everyone else, whatever the assessment's state, gets 404.
    """
    assessment = _full().filter(reference=str(reference)).first()
    if assessment is None or not is_assessment_commissioner(user, assessment):
        raise Http404
    return assessment


def assessments_commissioned_by(*, user, status: str = "") -> QuerySet[Assessment]:
    """The assessments of the bodies ``user`` commissions for, drafts first then newest, with their counts.

    Each row carries ``evidence_count``, ``third_sector_count``,
    ``figure_count`` and ``activity_count``, counted in the same query, and
    its outcome area and body, so a page of them costs the same few queries
    whatever its length. Empty for anyone who commissions for no body.
    """
    bodies = commissioning_at(user)
    found = Assessment.objects.filter(body__in=bodies)
    if status in AssessmentStatus.values:
        found = found.filter(status=status)
    return (
        found.select_related("body", "service_area")
        .annotate(
            evidence_count=Count("evidence", distinct=True),
            third_sector_count=Count("evidence", filter=Q(evidence__sector="third_sector"), distinct=True),
            figure_count=Count("ward_figures", distinct=True),
            activity_count=Count("co_production", distinct=True),
        )
        .order_by("-status", "-created_at", "-pk")
    )


def assessments_public(*, service_area: str = "", ward: str = "", query: str = "") -> QuerySet[Assessment]:
    """Completed assessments, newest completed first, optionally for an outcome area (slug) or a ward (code).

    Guarantees: never a draft. A ward filter includes city-wide assessments.
    Each row has its body and outcome area selected and its wards
    prefetched: a fixed number of queries however many rows.
    """
    found = Assessment.objects.filter(status=AssessmentStatus.COMPLETED)
    if service_area:
        found = found.filter(service_area__slug=service_area)
    if ward:
        found = found.filter(
            Q(city_wide=True)
            | Q(pk__in=Assessment.wards.through.objects.filter(ward__code=ward).values("assessment_id"))
        )
    words = query.strip()
    if words:
        found = found.filter(Q(reference__icontains=words) | Q(title__icontains=words) | Q(question__icontains=words))
    return (
        found.select_related("body", "service_area")
        .prefetch_related("wards")
        .annotate(evidence_count=Count("evidence", distinct=True), activity_count=Count("co_production", distinct=True))
        .order_by("-completed_at", "-pk")
    )


def drafts_for(*, user) -> QuerySet[Assessment]:
    """The draft assessments of the bodies ``user`` commissions for, oldest first: what waits to be completed."""
    return (
        Assessment.objects.filter(body__in=commissioning_at(user), status=AssessmentStatus.DRAFT)
        .only("reference", "title", "created_at")
        .order_by("created_at", "pk")
    )


def evidence_of(assessment: Assessment, evidence_id) -> Evidence:
    """One piece of a loaded assessment's evidence, or 404."""
    found = next((e for e in assessment.evidence.all() if str(e.pk) == str(evidence_id)), None)
    if found is None:
        raise Http404
    return found


def activity_of(assessment: Assessment, activity_id) -> CoProduction:
    """One co-production activity of a loaded assessment, or 404."""
    found = next((a for a in assessment.co_production.all() if str(a.pk) == str(activity_id)), None)
    if found is None:
        raise Http404
    return found


def figure_of(assessment: Assessment, figure_id) -> WardFigure:
    """One ward figure of a loaded assessment, or 404."""
    found = next((f for f in assessment.ward_figures.all() if str(f.pk) == str(figure_id)), None)
    if found is None:
        raise Http404
    return found


def record_coproduction(record) -> list[CoProduction]:
    """The co-production activities recorded for ``record``, oldest first, with their organisations.

    The caller must have loaded ``record`` through ``record_get_for``. Two queries.
    """
    return list(CoProduction.objects.filter(record=record).prefetch_related("organisations").order_by("held_on", "pk"))


def record_activity(record, activity_id) -> CoProduction:
    """One co-production activity of ``record`` (loaded through ``record_get_for``), or 404."""
    found = (
        CoProduction.objects.filter(record=record, pk=int(activity_id)).first() if str(activity_id).isdigit() else None
    )
    if found is None:
        raise Http404
    return found


# ---------------------------------------------------------------------------
# What the assessment's page shows


def shown_value(value: Decimal) -> str:
    """A figure as the page says it: "1,204", "12.5", "-3"."""
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):,}"
    return f"{value.normalize():,f}"


@dataclass
class IndicatorFigures:
    """One indicator's figures: a table of wards by year, and a chart of its latest year."""

    indicator: str
    years: list[int]
    rows: list[tuple[str, list[str]]]  # ward name, the value shown for each year ("" when none)
    latest_year: int
    chart: str = ""


@dataclass
class AssessmentPage:
    """What an assessment's page shows beyond its own fields."""

    assessment: Assessment
    evidence: list[Evidence]
    indicators: list[IndicatorFigures]
    activities: list[CoProduction]
    needs: list[str]
    figures: list[WardFigure] = field(default_factory=list)
    people_involved: int = 0


def _indicators(figures: list[WardFigure]) -> list[IndicatorFigures]:
    series: dict[str, list[WardFigure]] = defaultdict(list)
    names: dict[str, str] = {}
    for figure in figures:
        key = figure.indicator.casefold()
        names.setdefault(key, figure.indicator)
        series[key].append(figure)
    found = []
    for key in sorted(series, key=lambda k: names[k].casefold()):
        rows = series[key]
        years = sorted({f.year for f in rows})
        by_ward: dict[str, dict[int, Decimal]] = defaultdict(dict)
        for f in rows:
            by_ward[f.ward.name][f.year] = f.value
        latest = years[-1]
        table = [
            (ward, [shown_value(values[y]) if y in values else "" for y in years])
            for ward, values in sorted(by_ward.items())
        ]
        chart_rows = [
            ChartRow(ward, values[latest], shown_value(values[latest]))
            for ward, values in sorted(by_ward.items())
            if latest in values
        ]
        chart = bar_chart(chart_rows, title=f"{names[key]} by ward, {latest}")
        found.append(IndicatorFigures(names[key], years, table, latest, chart))
    return found


def assessment_page(assessment: Assessment) -> AssessmentPage:
    """The evidence, each indicator's table and chart, the co-production and the needs as a list.

    Reads only what :func:`assessment_get_for` prefetched: no further query.
    """
    figures = sorted(assessment.ward_figures.all(), key=lambda f: (f.indicator.casefold(), f.year, f.ward.name))
    activities = list(assessment.co_production.all())
    return AssessmentPage(
        assessment=assessment,
        evidence=list(assessment.evidence.all()),
        indicators=_indicators(figures),
        activities=activities,
        needs=[line.strip() for line in assessment.needs_identified.splitlines() if line.strip()],
        figures=figures,
        people_involved=sum(a.participants for a in activities),
    )
