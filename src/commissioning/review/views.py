"""The cross-stage pages: each maps a request to a selector and a template."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from commissioning.frontend.filters import clear_filters_href, selected_filters
from commissioning.opportunities.selectors import commissioning_bodies_for
from commissioning.practice.selectors import explanations_awaiting_count
from commissioning.submissions.selectors import provider_may_bid

from .forms import DashboardFilterForm
from .selectors import STAGES, DashboardFilter, commissioner_dashboard_for, provider_bids_for

DASHBOARD_FILTERS = ["q", "stage"]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The tasks due, then a commissioner's opportunities to search, filter by stage and page through."""
    if not commissioning_bodies_for(user=request.user):
        raise Http404
    form = DashboardFilterForm(request.GET or None, stages=STAGES)
    form.is_valid()  # a filter that is not valid is shown with its error and not applied; the others are
    data = getattr(form, "cleaned_data", {})
    board = commissioner_dashboard_for(
        user=request.user,
        filters=DashboardFilter(
            query=data.get("q") or "", stages=tuple(data.get("stage") or ()), page=request.GET.get("page")
        ),
    )
    path = reverse("review:dashboard")
    selected = selected_filters(form, DASHBOARD_FILTERS, path=path)  # named without their counts
    form.count_stages(board.counts)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/dashboard.html",
        {
            "board": board,
            "tasks": board.tasks,
            "form": form,
            "filter_names": DASHBOARD_FILTERS,
            "selected": selected,
            "clear_href": clear_filters_href(form, DASHBOARD_FILTERS, path=path),
            "query_string": query.urlencode(),
            "explanations_waiting": explanations_awaiting_count(user=request.user),
        },
    )


@login_required
@require_GET
def bids(request: HttpRequest) -> HttpResponse:
    """Your organisations' bids and applications with their outcomes once decided, and the consortium bids
    you are invited to."""
    if not provider_may_bid(user=request.user):
        raise Http404
    found = provider_bids_for(user=request.user)
    return render(
        request,
        "review/bids.html",
        {"submissions": found.submissions, "outcomes": found.outcomes, "invitations": found.invitations},
    )
