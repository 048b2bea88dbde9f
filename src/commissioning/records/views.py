"""The commissioning record's pages: the list of a commissioner's records and one record's story so far.

Records are loaded only through the selectors, so someone who may not see a
record gets 404; each stage's part of the page comes from the sections
registry.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commissioning.accounts.permissions import commissioning_at

from . import selectors
from .sections import sections_for


def _may_list(user) -> bool:
    return bool(commissioning_at(user)) or user.is_administrator


@login_required
@require_GET
def record_list(request: HttpRequest) -> HttpResponse:
    """The records of the bodies the user commissions for (every record, for an administrator), paged."""
    if not _may_list(request.user):
        raise Http404
    query = request.GET.get("q", "")[:100]
    page = Paginator(selectors.records_for(user=request.user, query=query), settings.DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "records/list.html", {"page": page, "query": query, "query_string": params.urlencode()})


@login_required
@require_GET
def record_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """One record: its facts, then the story so far, stage by stage."""
    record = selectors.record_get_for(user=request.user, reference=reference)
    return render(request, "records/detail.html", {"record": record, "stages": sections_for(record, request.user)})
