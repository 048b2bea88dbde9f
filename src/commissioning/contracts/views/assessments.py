"""Performance pages: the KPIs against their targets from each accepted return, the assessments made and
when the next is due; the commissioner records an assessment, the provider reads them.

The commissioner's page loads the agreement through ``agreement_get_for_commissioner`` (recording
needs ``acting``: an administrator reads, never assesses); the provider's through
``agreement_get_for_provider``, accepted agreements only. Anyone else gets 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.core import clock
from commissioning.frontend.forms import GovukForm, posted, refused_into

from .. import assessments, selectors
from ..forms import _date
from ..models import AgreementStatus, Rating
from ..permissions import is_agreement_commissioner

RATING_CHOICES = Rating.choices


def _wording() -> dict:
    return {
        "every_months": assessments.every_months(),
        "approaching_percent": assessments.approaching_percent(),
        "ratings": assessments.RATING_LABELS,
    }


def assessment_form(agreement, rows: list[dict], data=None, initial=None) -> GovukForm:
    """The form to record an assessment: the period, a rating per KPI (suggested from the returns), overall, a note."""
    fields = {
        "period_start": _date("First day of the period assessed"),
        "period_end": _date("Last day of the period assessed"),
    }
    for row in rows:
        unit = f" {row['unit']}" if row["unit"] else ""
        result = f"{row['actual']}{unit} on average from {row['returns']} accepted return" + (
            "s" if row["returns"] != 1 else ""
        )
        fields[f"rating_{row['number']}"] = forms.ChoiceField(
            label=f"KPI {row['number']}: {row['name']}",
            help_text=(
                f"Target {row['target']}{unit}. "
                + (result if row["actual"] else "No accepted return in the period reports it.")
                + f" Suggested: {assessments.RATING_LABELS[row['suggested']]}."
            ),
            choices=RATING_CHOICES,
            widget=forms.RadioSelect,
            error_messages={"required": f"Choose a rating for KPI {row['number']}: {row['name']}"},
        )
    fields["rating"] = forms.ChoiceField(
        label="Overall rating",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the overall rating"},
    )
    fields["note"] = forms.CharField(
        label="Note to the provider",
        help_text="Needed when any rating is Requires improvement or Inadequate: say why, and what happens next.",
        required=False,
        max_length=assessments.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    form_class = type("AssessmentForm", (GovukForm,), fields)
    return form_class(data, initial=initial)


def _initial(agreement, performance, today) -> tuple[dict, list[dict]]:
    start, end = assessments.default_period(agreement, performance.assessments, today)
    rows = assessments.suggestions(agreement, start, end, performance.kpis)
    initial = {"period_start": start, "period_end": end, **{f"rating_{r['number']}": r["suggested"] for r in rows}}
    return initial, rows


def _rows_for(agreement, data, performance, fallback):
    """The KPI rows for the period posted (so the suggestions follow it), or the default period's."""
    start, end = data.get("period_start"), data.get("period_end")
    try:
        start_day = forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"]).clean(start)
        end_day = forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"]).clean(end)
    except forms.ValidationError:
        return fallback
    if start_day > end_day:
        return fallback
    return assessments.suggestions(agreement, start_day, end_day, performance.kpis)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_performance(request: HttpRequest, reference: str) -> HttpResponse:
    """The agreement's KPIs against their targets, its assessments, when the next is due; record one."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference)
    today = clock.today()
    performance = assessments.performance_of(agreement, today)
    accepted = agreement.status == AgreementStatus.ACCEPTED
    may_assess = accepted and is_agreement_commissioner(request.user, agreement)
    initial, rows = _initial(agreement, performance, today) if accepted else ({}, [])
    if request.method == "POST":
        if not may_assess:
            raise Http404
        rows = _rows_for(agreement, request.POST, performance, rows)
    form = assessment_form(agreement, rows, posted(request), initial=initial) if may_assess else None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                assessments.assessment_record(
                    actor=request.user,
                    agreement=agreement,
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    rating=data["rating"],
                    measure_ratings={
                        int(name[7:]): value for name, value in data.items() if name.startswith("rating_")
                    },
                    note=data["note"],
                )
            except assessments.AssessmentError as error:
                refused_into(form, error)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, "The assessment is recorded. The provider's administrators are told.")
                return redirect("contracts:agreement-performance", reference)
    return render(
        request,
        "contracts/performance/commissioner.html",
        {"agreement": agreement, "performance": performance, "form": form, "accepted": accepted, **_wording()},
    )


@login_required
@require_GET
def provider_performance(request: HttpRequest, reference: str) -> HttpResponse:
    """The agreement's KPIs against their targets and the commissioner's assessments, as the provider reads them."""
    agreement = selectors.agreement_get_for_provider(user=request.user, reference=reference)
    if agreement.status != AgreementStatus.ACCEPTED:
        raise Http404
    return render(
        request,
        "contracts/performance/provider.html",
        {"agreement": agreement, "performance": assessments.performance_of(agreement), **_wording()},
    )
