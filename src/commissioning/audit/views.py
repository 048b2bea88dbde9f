"""The audit log page, for administrators."""

from django.core.paginator import Paginator
from django.shortcuts import render

from commissioning.frontend.access import administrator_required

from .forms import AuditFilterForm
from .selectors import AuditFilter, audit_events_list, audit_object_type_current


@administrator_required
def audit_log(request):
    """Every recorded write, newest first, filterable by who, what, which record and when."""
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilter()
    if form.is_bound and form.is_valid():
        filters = AuditFilter(**{k: v for k, v in form.cleaned_data.items() if v})
    page = Paginator(audit_events_list(user=request.user, filters=filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/list.html",
        # Each event's record by the name it has now, whatever name it was filed under.
        {"form": form, "page": page, "query_string": query.urlencode(), "type_name": audit_object_type_current},
    )
