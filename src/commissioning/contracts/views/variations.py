"""Variations' pages: an agreement's variations and its value against inflation; propose, uplift, decide.

And the CPI figures administrators keep. Agreements load through ``agreement_get_for_commissioner``
(the propose pages ``acting``, so an administrator who reads every agreement does not propose), so
anyone else gets 404; each change goes through :mod:`..variations` or :mod:`..inflation`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.core.money import format_money
from commissioning.frontend.forms import posted, refused_into

from .. import inflation, selectors, variations
from ..forms import DecideForm, InflationCorrectForm, InflationRateForm, UpliftForm, VariationForm
from ..models import AgreementStatus, VariationStatus
from ..permissions import is_agreement_commissioner


def _variable(agreement) -> bool:
    return agreement.status in variations.VARIABLE_STATUSES


@login_required
@require_GET
def agreement_variations(request: HttpRequest, reference: str) -> HttpResponse:
    """The agreement's variations (status, size, change notice) and its value against the CPI, chart and table."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference)
    original = variations.original_terms(agreement)
    return render(
        request,
        "contracts/variations/list.html",
        {
            "agreement": agreement,
            "variations": selectors.variations_of(agreement),
            "original": original,
            "against": inflation.against_inflation(agreement, original.value),
            "paid": variations.paid_total(agreement),
            "may_propose": _variable(agreement) and is_agreement_commissioner(request.user, agreement),
            "draft": agreement.status == AgreementStatus.DRAFT,
            "notice": settings.CONTRACTS["change_notice"],
        },
    )


def _proposed(request, reference, variation) -> HttpResponse:
    messages.success(
        request,
        f"Variation {variation.number} is proposed. Another commissioner of your body, or an administrator, "
        "decides on it.",
    )
    return redirect("contracts:agreement-variation", reference, variation.number)


@login_required
@require_http_methods(["GET", "POST"])
def variation_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Propose a change of value, term or scope, with its reason."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference, acting=True)
    form = VariationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = variations.variation_propose(actor=request.user, agreement=agreement, **form.cleaned_data)
        except variations.VariationError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            return _proposed(request, reference, made)
    return render(
        request,
        "contracts/variations/new.html",
        {
            "agreement": agreement,
            "form": form,
            "paid": variations.paid_total(agreement),
            "variable": _variable(agreement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def variation_uplift(request: HttpRequest, reference: str) -> HttpResponse:
    """Apply an inflation uplift, pre-filled with what would restore the agreement's value, as a variation."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference, acting=True)
    original = variations.original_terms(agreement)
    against = inflation.against_inflation(agreement, original.value)
    form = UpliftForm(
        posted(request),
        initial={
            "uplift_percent": against.uplift_percent or None,
            "reason": f"To keep the agreement's value against inflation: {against.sentence}.",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            made = variations.variation_propose(
                actor=request.user,
                agreement=agreement,
                kind="uplift",
                reason=form.cleaned_data["reason"],
                uplift_percent=form.cleaned_data["uplift_percent"],
            )
        except variations.VariationError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            return _proposed(request, reference, made)
    return render(
        request,
        "contracts/variations/uplift.html",
        {
            "agreement": agreement,
            "form": form,
            "against": against,
            "remaining": variations.unpaid_total(agreement),
            "variable": _variable(agreement),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def variation(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """One variation: what it changes, its size and change notice; approve or reject it as a second person."""
    found = selectors.variation_get_for_commissioner(user=request.user, reference=reference, number=number)
    may_decide = found.status == VariationStatus.PROPOSED and variations.may_decide(request.user, found)
    form = DecideForm(posted(request))
    if request.method == "POST":
        if not may_decide:
            raise Http404
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                decided = variations.variation_decide(
                    actor=request.user, variation=found, approve=approve, note=form.cleaned_data["note"]
                )
            except variations.VariationError as error:
                refused_into(form, error)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                if approve:
                    messages.success(
                        request,
                        f"Variation {number} is approved. The agreement's value is now "
                        f"{format_money(decided.agreement.value)}; the provider is told.",
                    )
                else:
                    messages.success(request, f"Variation {number} is not approved. The agreement is unchanged.")
                return redirect("contracts:agreement-variation", reference, number)
    return render(
        request,
        "contracts/variations/variation.html",
        {"agreement": found.agreement, "variation": found, "form": form, "may_decide": may_decide},
    )


@login_required
@require_http_methods(["GET", "POST"])
def inflation_rates(request: HttpRequest) -> HttpResponse:
    """The CPI figures by year, for administrators: add a published figure with its source."""
    rates = selectors.inflation_rates_for(user=request.user)
    form = InflationRateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = inflation.inflation_rate_add(actor=request.user, **form.cleaned_data)
        except inflation.InflationError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, f"The figure for {_period(made)} is added")
            return redirect("contracts:inflation")
    return render(request, "contracts/variations/inflation.html", {"rates": list(rates), "form": form})


def _period(figure) -> str:
    return f"{inflation.MONTHS[figure.month - 1]} {figure.year}" if figure.month else f"{figure.year} (annual average)"


@login_required
@require_http_methods(["GET", "POST"])
def inflation_rate_correct(request: HttpRequest, year: int, month: int | None = None) -> HttpResponse:
    """Correct one CPI figure's rate and source; what it was stays in the audit log."""
    figure = selectors.inflation_rates_for(user=request.user).filter(series=inflation.SERIES, year=year, month=month)
    figure = figure.first()
    if figure is None:
        raise Http404
    form = InflationCorrectForm(posted(request), initial={"rate": figure.rate, "source": figure.source})
    if request.method == "POST" and form.is_valid():
        try:
            inflation.inflation_rate_correct(actor=request.user, figure=figure, **form.cleaned_data)
        except inflation.InflationError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, f"The figure for {_period(figure)} is corrected")
            return redirect("contracts:inflation")
    return render(
        request,
        "contracts/variations/inflation_correct.html",
        {"figure": figure, "period": _period(figure), "form": form},
    )
