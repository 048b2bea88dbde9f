"""Public pages: the finder, an opportunity's page and its documents.

The opportunity's page is also where a provider's refused action comes back to
(``detail_page`` with the failed form), so provider views build it through here.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from commissioning.evidence.standard_items import StandardItem
from commissioning.frontend.filters import clear_filters_href, selected_filters
from commissioning.practice.selectors import explanations_pending_for, rule_outcomes_for

from .. import selectors
from ..forms import AskForm, BookForm, FinderForm
from ..permissions import is_commissioner_for
from ..rules import weights


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


FINDER_FILTERS = ["q", "state", "kind", "area", "ward", "value", "closing_before", "small"]


FINDER_DEFAULTS = {"state": "open"}


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    """Find work (PR-1): search and filter published tenders and grant rounds."""
    form = FinderForm(request.GET or None)
    found = selectors.finder(filters=finder_filters(form))
    page = Paginator(found, settings.FINDER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    path = reverse("opportunities:finder")
    return render(
        request,
        "opportunities/finder.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "filter_names": FINDER_FILTERS,
            "selected": selected_filters(form, FINDER_FILTERS, path=path, defaults=FINDER_DEFAULTS),
            "clear_href": clear_filters_href(form, FINDER_FILTERS, path=path),
        },
    )


@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    """An opportunity's page: what, where, how much, when, how it is judged, and how it applies the Code."""
    opportunity = selectors.opportunity_get_for(user=request.user, reference=reference)
    return detail_page(request, opportunity)


def book_form(event_id: int, data=None) -> BookForm:
    # Each event's booking form has its own ids, so an error links to that event's fields.
    return BookForm(data, auto_id=f"event-{event_id}-%s")


def detail_page(request: HttpRequest, opportunity, *, failed=None, failed_event: int | None = None) -> HttpResponse:
    """The opportunity's page; ``failed`` is a provider's form that was refused, shown with its errors."""
    context = {
        "opportunity": opportunity,
        "weights": weights(opportunity),
        "code_outcomes": rule_outcomes_for(obj=opportunity),
        "code_pending": explanations_pending_for(obj=opportunity),
        "provider_organisations": [],
        "standard_item_labels": dict(StandardItem.choices),
        "failed_form": failed,
    }
    if request.user.is_authenticated:
        organisations = selectors.provider_organisations_for(user=request.user)
        context["provider_organisations"] = organisations
        context["interests"] = selectors.interests_by_organisation_for(user=request.user, opportunity=opportunity)
        context["ask_form"] = failed if isinstance(failed, AskForm) else AskForm()
        context["book_forms"] = {
            e.pk: failed if failed_event == e.pk else book_form(e.pk) for e in opportunity.events.all()
        }
        context["is_commissioner"] = is_commissioner_for(request.user, opportunity)
    return render(request, "opportunities/detail.html", context)


@require_GET
def document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """Download one of an opportunity's documents (as public as the opportunity itself)."""
    from django.http import FileResponse

    opportunity = selectors.opportunity_get_for(user=request.user, reference=reference)
    found = next((d for d in opportunity.documents.all() if d.pk == document_id), None)
    if found is None:
        raise Http404
    filename = found.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        found.file.open("rb"), content_type=found.content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
