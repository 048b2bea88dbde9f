"""The administrators' page for closure days."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commissioning.accounts.views import administrator_required
from commissioning.frontend.forms import GovukForm

from . import clock, services
from .formats import format_date
from .models import ClosureDay
from .workdays import bank_holidays


class ClosureDayForm(GovukForm):
    day = forms.DateField(
        label="Date (dd/mm/yyyy)",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}),
    )
    reason = forms.CharField(
        label="Reason", max_length=200, help_text="For example, 'Council offices closed for the Christmas period'"
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def closure_days(request):
    """List, add and remove closure days; shows the coming bank holidays for reference."""
    form = ClosureDayForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            closure = ClosureDay.objects.filter(pk=request.POST.get("closure") or 0).first()
            if closure is None:
                raise Http404
            services.closure_day_remove(actor=request.user, closure=closure)
            messages.success(request, f"{format_date(closure.day)} is no longer a closure day")
            return redirect("core:closure-days")
        if form.is_valid():
            try:
                services.closure_day_add(actor=request.user, **form.cleaned_data)
            except services.ClosureDayError as exc:
                form.add_error("day", str(exc))
            else:
                messages.success(request, "The closure day has been added")
                return redirect("core:closure-days")
    today = clock.today()
    return render(
        request,
        "core/closure_days.html",
        {
            "form": form,
            "closures": ClosureDay.objects.filter(day__gte=today.replace(month=1, day=1)),
            "bank_holidays": bank_holidays(today, today + timedelta(days=365)),
        },
    )
