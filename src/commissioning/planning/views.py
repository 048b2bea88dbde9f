"""The pipeline's public pages, and a partner organisation's plans.

Everyone sees the plans on the pipeline: the list with its filters, the
timeline, the feed and the CSV, and each plan's page. A draft's page answers
404 to everyone but its commissioners and its partners' people.
"""

import csv

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from commissioning.core import clock
from commissioning.frontend.filters import clear_filters_href, selected_filters
from commissioning.practice.selectors import rule_outcomes_for

from . import downloads, selectors
from .forms import PipelineFilterForm
from .models import PartnerStage
from .permissions import is_plan_commissioner, is_plan_partner, partner_organisations_of
from .timeline import quarters_from, timeline_of

FILTERS = ["q", "area", "ward", "body", "status", "funding"]
CSV_CHUNK = 500


def filter_form(request: HttpRequest) -> PipelineFilterForm:
    """The pipeline's filter form, bound to the query string (unbound when there is none)."""
    return PipelineFilterForm(request.GET or None, bodies=selectors.bodies_on_pipeline())


def pipeline_filters(form: PipelineFilterForm) -> selectors.PipelineFilter:
    """The filters from a bound form; a part that does not validate narrows nothing, never an error page."""
    if not form.is_bound:
        return selectors.PipelineFilter()
    form.is_valid()
    data = form.cleaned_data
    return selectors.PipelineFilter(
        query=data.get("q") or "",
        service_area=data.get("area") or "",
        ward=data.get("ward") or "",
        body=data.get("body") or "",
        status=data.get("status") or "",
        funding_type=data.get("funding") or "",
    )


def _filter_context(request: HttpRequest, form: PipelineFilterForm, name: str) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    path = reverse(name)
    return {
        "form": form,
        "query_string": query.urlencode(),
        "filter_names": FILTERS,
        "selected": selected_filters(form, FILTERS, path=path),
        "clear_href": clear_filters_href(form, FILTERS, path=path),
    }


@require_GET
def pipeline(request: HttpRequest) -> HttpResponse:
    """The shared pipeline (PL-1): every plan on it, by every body, filtered and paged."""
    form = filter_form(request)
    found = selectors.pipeline(filters=pipeline_filters(form))
    page = Paginator(found, settings.FINDER_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(plan, selectors.current_overlaps(plan)) for plan in page.object_list]
    return render(
        request,
        "planning/pipeline.html",
        {"page": page, "rows": rows, **_filter_context(request, form, "planning:pipeline")},
    )


@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    """The pipeline by quarter of expected advert: plans and expected value per body, as charts and a table."""
    form = filter_form(request)
    quarters = quarters_from(clock.today())
    drawn = timeline_of(selectors.timeline(filters=pipeline_filters(form), quarters=quarters), quarters)
    start, end = quarters[0][0], quarters[-1][1]
    return render(
        request,
        "planning/timeline.html",
        {"timeline": drawn, "start": start, "end": end, **_filter_context(request, form, "planning:timeline")},
    )


class _Echo:
    def write(self, value):
        return value


@require_GET
def pipeline_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered pipeline as CSV, every column, streamed; text that a spreadsheet would run is neutralised."""
    writer = csv.writer(_Echo())
    plans = selectors.pipeline(filters=pipeline_filters(filter_form(request))).iterator(chunk_size=CSV_CHUNK)
    response = StreamingHttpResponse(
        (writer.writerow(line) for line in downloads.lines(plans)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="pipeline.csv"'
    return response


def partners_by_stage(plan) -> list[tuple[str, list]]:
    """The plan's partners grouped by stage, in the Code's order: scoping, design, evaluation."""
    partners = list(plan.partners.all())
    return [(stage.label, [p for p in partners if p.stage == stage.value]) for stage in PartnerStage]


@require_GET
def plan_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A plan's page: what, where, when, how much, its status, overlaps, partners, assessment and the Code."""
    plan = selectors.plan_get_for(user=request.user, reference=reference)
    return render(
        request,
        "planning/detail.html",
        {
            "plan": plan,
            "overlaps": selectors.current_overlaps(plan),
            "partners": partners_by_stage(plan),
            "outcomes": rule_outcomes_for(obj=plan),
            "is_commissioner": is_plan_commissioner(request.user, plan),
            "is_partner": is_plan_partner(request.user, plan),
        },
    )


@login_required
@require_GET
def partnerships(request: HttpRequest) -> HttpResponse:
    """The plans the organisations the user acts for are partners on, drafts included."""
    if not partner_organisations_of(request.user):
        raise Http404
    page = Paginator(selectors.plans_partnered_by(user=request.user), settings.DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "planning/partnerships.html", {"page": page})
