"""Co-production for a commissioning record (the record a plan hangs off): list, add, change, remove.

For the record's commissioners only: the record is loaded through
``records.selectors.record_get_for`` and checked again here, so an
administrator (who may read records) cannot change what the record's
commissioners recorded, and anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.frontend.forms import posted, refused_into
from commissioning.records.selectors import record_get_for

from . import selectors, services
from .forms import CoProductionForm
from .permissions import commissions_record
from .views import coproduction_data, coproduction_initial


def _record(request: HttpRequest, reference: str):
    record = record_get_for(user=request.user, reference=reference)
    if not commissions_record(request.user, record):
        raise Http404
    return record


def _list_url(record) -> str:
    return reverse("needs:record-coproduction", args=[record.reference])


@login_required
@require_GET
def record_coproduction(request: HttpRequest, reference: str) -> HttpResponse:
    """The co-production activities recorded for the record, with links to add, change and remove them."""
    record = _record(request, reference)
    return render(
        request,
        "needs/record_coproduction.html",
        {"record": record, "activities": selectors.record_coproduction(record)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_coproduction_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a co-production activity for the record."""
    record = _record(request, reference)
    form = CoProductionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data, organisations = coproduction_data(form)
        try:
            services.coproduction_add(actor=request.user, record=record, data=data, organisations=organisations)
        except services.NeedsError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"\u201c{data['title']}\u201d is recorded")
            return redirect(_list_url(record))
    return render(
        request,
        "needs/coproduction_form.html",
        {"form": form, "caption": f"{record.reference}: {record.title}", "back": _list_url(record), "activity": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_coproduction_edit(request: HttpRequest, reference: str, activity_id: int) -> HttpResponse:
    """Change one of the record's co-production activities."""
    record = _record(request, reference)
    activity = selectors.record_activity(record, activity_id)
    form = CoProductionForm(posted(request), initial=coproduction_initial(activity))
    if request.method == "POST" and form.is_valid():
        data, organisations = coproduction_data(form)
        try:
            services.coproduction_update(actor=request.user, activity=activity, data=data, organisations=organisations)
        except services.NeedsError as error:
            refused_into(form, error)
        else:
            messages.success(request, "Your changes to the activity are saved")
            return redirect(_list_url(record))
    return render(
        request,
        "needs/coproduction_form.html",
        {
            "form": form,
            "caption": f"{record.reference}: {record.title}",
            "back": _list_url(record),
            "activity": activity,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_coproduction_remove(request: HttpRequest, reference: str, activity_id: int) -> HttpResponse:
    """Ask, then take one of the record's co-production activities out."""
    record = _record(request, reference)
    activity = selectors.record_activity(record, activity_id)
    if request.method == "POST":
        services.coproduction_remove(actor=request.user, activity=activity)
        messages.success(request, f"\u201c{activity.title}\u201d is removed")
        return redirect(_list_url(record))
    return render(
        request,
        "needs/remove.html",
        {"heading": f"Remove \u201c{activity.title}\u201d?", "text": activity.what_changed, "back": _list_url(record)},
    )
