"""The administrators' pages: verification of organisations, new commissioning bodies, closure days.

Views are thin: a form checks the shape of what was sent, a service makes the
change, a selector loads what may be shown.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commissioning.audit.transitions import TransitionError
from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.workdays import bank_holidays
from commissioning.frontend.access import administrator_required
from commissioning.frontend.forms import posted, refused_into

from .. import selectors, services
from ..forms import (
    ClosureDayForm,
    CommissioningBodyForm,
    ReasonForm,
)
from ..models import OrganisationStatus

# Administration -----------------------------------------------------------------


@administrator_required
def administration(request: HttpRequest) -> HttpResponse:
    """The administrators' start page."""
    waiting = selectors.organisations_for_verification(user=request.user).count()
    return render(request, "accounts/administration.html", {"waiting": waiting})


@administrator_required
@require_http_methods(["GET", "POST"])
def commissioning_body_new(request: HttpRequest) -> HttpResponse:
    """Add a commissioning body (a council, an NHS body); it is verified from the start."""
    form = CommissioningBodyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_create(
                actor=request.user,
                side="commissioner",
                organisation={
                    "name": data["name"],
                    "legal_form": data["legal_form"],
                    "address_line_1": data["address_line_1"],
                    "town": data["town"],
                    "postcode": data["postcode"],
                    "description": data["description"],
                    "city_wide": True,
                },
                identifiers=[(data["identifier_scheme"], data["identifier_value"])],
                verified=True,
            )
        except services.ServiceError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"{organisation.name} has been added. Invite its people next.")
            return redirect("accounts:organisation-people", slug=organisation.slug)
    return render(request, "accounts/commissioning_body_new.html", {"form": form})


@administrator_required
def verification_list(request: HttpRequest) -> HttpResponse:
    """Organisations by verification status, oldest first."""
    status = request.GET.get("status", OrganisationStatus.PENDING)
    if status not in OrganisationStatus.values:
        status = OrganisationStatus.PENDING
    organisations = selectors.organisations_for_verification(user=request.user, status=status)
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/verification_list.html",
        {"page": page, "status": status, "statuses": OrganisationStatus.choices},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def verification_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Check an organisation and verify, decline, suspend or reinstate it."""
    organisation = selectors.organisation_get_for_verification(user=request.user, slug=slug)
    form = ReasonForm(request.POST if request.POST.get("action") in {"reject", "suspend"} else None)
    problem = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                services.organisation_verify(actor=request.user, organisation=organisation)
                messages.success(request, f"{organisation.name} is verified")
                return redirect("accounts:verification-list")
            if action == "reinstate":
                services.organisation_reinstate(actor=request.user, organisation=organisation)
                messages.success(request, f"{organisation.name} is reinstated")
                return redirect("accounts:verification-detail", slug=slug)
            if action in {"reject", "suspend"} and form.is_valid():
                service = services.organisation_reject if action == "reject" else services.organisation_suspend
                service(actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"])
                messages.success(request, f"{organisation.name} is {'declined' if action == 'reject' else 'suspended'}")
                return redirect("accounts:verification-list")
            if action not in {"verify", "reinstate", "reject", "suspend"}:
                problem = "Choose what to do"
        except TransitionError as exc:
            problem = str(exc)
        except PermissionDenied as exc:
            raise Http404 from exc
    members = selectors.organisation_people_for_verification(user=request.user, organisation=organisation)
    return render(
        request,
        "accounts/verification_detail.html",
        {"organisation": organisation, "form": form, "problem": problem, "members": members},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def closure_days(request):
    """List, add and remove closure days; shows the coming bank holidays for reference."""
    form = ClosureDayForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            closure = selectors.closure_day_get(user=request.user, closure_id=request.POST.get("closure"))
            services.closure_day_remove(actor=request.user, closure=closure)
            messages.success(request, f"{format_date(closure.day)} is no longer a closure day")
            return redirect("accounts:closure-days")
        if form.is_valid():
            try:
                services.closure_day_add(actor=request.user, **form.cleaned_data)
            except services.ClosureDayError as exc:
                form.add_error("day", str(exc))
            else:
                messages.success(request, "The closure day has been added")
                return redirect("accounts:closure-days")
    today = clock.today()
    return render(
        request,
        "accounts/closure_days.html",
        {
            "form": form,
            "closures": selectors.closure_days_from(user=request.user, day=today.replace(month=1, day=1)),
            "bank_holidays": bank_holidays(today, today + timedelta(days=365)),
        },
    )
