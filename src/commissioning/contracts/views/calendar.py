"""The provider's one calendar of returns and payments (CM-3), as a page and as a feed at a secret address."""

from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.accounts.models import Organisation, Role
from commissioning.core import clock

from .. import calendar, selectors


@login_required
@require_http_methods(["GET", "POST"])
def provider_calendar(request: HttpRequest) -> HttpResponse:
    """Every return and payment due under the user's providers' agreements, from every commissioner, by month."""
    ids = selectors.provider_organisations(request.user)
    if not ids:
        raise Http404
    organisations = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    address = None
    if request.method == "POST":
        organisation = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        if organisation is None or Role.PROVIDER_ADMIN not in request.user.roles_for(organisation):
            raise Http404
        secret = calendar.feed_create(actor=request.user, organisation=organisation)
        address = settings.SITE_URL + reverse("contracts:calendar-ics", args=[secret])
    today = clock.today()
    entries = calendar.calendar_for(ids, today)
    everything = request.GET.get("show") == "all"
    shown = entries if everything else calendar.coming_up(entries, today)
    months = [(month, list(items)) for month, items in groupby(shown, key=lambda e: e.day.replace(day=1))]
    return render(
        request,
        "contracts/calendar/calendar.html",
        {
            "months": months,
            "organisations": [(o, Role.PROVIDER_ADMIN in request.user.roles_for(o)) for o in organisations],
            "address": address,
            "commissioners": sorted({e.commissioner for e in entries}),
            "everything": everything,
            # Each row's link is this and the agreement's reference (one reverse, not one a row).
            "agreement_url": reverse("contracts:provider-list"),
            "hidden": len(entries) - len(shown),
            "months_ahead": calendar.MONTHS_AHEAD,
        },
    )


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar as iCalendar, at the organisation's secret address; 404 for any other."""
    organisation = calendar.feed_organisation(token)
    if organisation is None:
        raise Http404
    body = calendar.ics(organisation, calendar.calendar_for([organisation.pk]))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="returns-and-payments.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
