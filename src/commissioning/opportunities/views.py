"""Public pages: the finder and an opportunity's page."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commissioning.practice.selectors import rule_outcomes_for

from . import selectors
from .forms import FinderForm
from .rules import weights


def finder_filters(form: FinderForm) -> selectors.FinderFilter:
    """The finder's filters from a bound form (invalid parts are ignored, never an error page)."""
    if not form.is_bound:
        return selectors.FinderFilter()
    form.is_valid()
    data = form.cleaned_data
    return selectors.FinderFilter(
        query=data.get("q") or "",
        kind=data.get("kind") or "",
        service_area=data.get("area") or "",
        ward=data.get("ward") or "",
        value_band=data.get("value") or "",
        closing_before=data.get("closing_before"),
        small_organisations=bool(data.get("small")),
        state=data.get("state") or "open",
        sort=data.get("sort") or "closing",
    )


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    """Find work (PR-1): search and filter published tenders and grant rounds."""
    form = FinderForm(request.GET or None)
    found = selectors.finder(filters=finder_filters(form))
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "opportunities/finder.html", {"form": form, "page": page, "query_string": query.urlencode()})


@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    """An opportunity's page: what, where, how much, when, how it is judged, and how it applies the Code."""
    opportunity = selectors.opportunity_get_for(user=request.user, reference=reference)
    return render(
        request,
        "opportunities/detail.html",
        {
            "opportunity": opportunity,
            "weights": weights(opportunity),
            "code_outcomes": rule_outcomes_for(obj=opportunity),
        },
    )
