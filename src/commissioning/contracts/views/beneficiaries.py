"""Beneficiaries' feedback: the public page (no sign-in), the printable poster, and the two sides' lists."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from markupsafe import Markup

from commissioning.frontend.forms import posted, refused_into

from .. import beneficiaries, selectors
from ..forms import BeneficiaryFeedbackForm, ResponseForm
from ..models import Agreement
from ..permissions import is_agreement_commissioner, is_agreement_provider


@require_http_methods(["GET", "POST"])
def give(request: HttpRequest, token: str) -> HttpResponse:
    """Tell us what you think of a service: no sign-in, a name and contact only if you want a reply."""
    agreement = beneficiaries.open_agreement(token)
    if agreement is None:
        raise Http404
    form = BeneficiaryFeedbackForm(posted(request), initial={"stamp": beneficiaries.form_stamp(agreement)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            beneficiaries.feedback_give(
                agreement=agreement,
                text=data["text"],
                rating=data["rating"],
                name=data["name"],
                contact=data["contact"],
                stamp=data["stamp"],
                trap=data["website"],
                client=beneficiaries.client_key(request.META.get("REMOTE_ADDR", "")),
            )
        except beneficiaries.FeedbackError as error:
            refused_into(form, error)
            form.data = form.data.copy()
            form.data["stamp"] = beneficiaries.form_stamp(agreement)
        else:
            return render(request, "contracts/beneficiaries/thanks.html", {"agreement": agreement})
    return render(request, "contracts/beneficiaries/give.html", {"agreement": agreement, "form": form})


def _poster_agreement(request, reference) -> Agreement:
    agreement = (
        Agreement.objects.select_related("provider", "commissioner", "record").filter(reference=reference).first()
    )
    if agreement is None or not (
        is_agreement_commissioner(request.user, agreement) or is_agreement_provider(request.user, agreement)
    ):
        raise Http404
    return agreement


@login_required
@require_GET
def poster(request: HttpRequest, reference: str) -> HttpResponse:
    """A printable A4 poster for the service's feedback page: its address in words and as a QR code."""
    agreement = _poster_agreement(request, reference)
    address = settings.SITE_URL + reverse("contracts:beneficiary-feedback", args=[agreement.feedback_token])
    code = segno.make(address, error="m").svg_inline(
        scale=8, title=f"QR code for {address}", svgclass="app-qr", omitsize=False
    )
    return render(
        request,
        "contracts/beneficiaries/poster.html",
        {"agreement": agreement, "address": address, "qr": Markup(code)},
    )


def _listed(agreement):
    return list(agreement.beneficiary_feedback.filter(hidden=False).select_related("responded_by"))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_feedback(request: HttpRequest, reference: str) -> HttpResponse:
    """The feedback on the agreement's service, for its commissioners; spam set aside."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference)
    if request.method == "POST":
        found = agreement.beneficiary_feedback.filter(pk=request.POST.get("feedback") or 0).first()
        if found is None:
            raise Http404
        try:
            beneficiaries.feedback_hide(actor=request.user, feedback=found)
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.success(request, "The feedback is set aside")
        return redirect("contracts:agreement-feedback", reference)
    return render(
        request,
        "contracts/beneficiaries/list.html",
        {"agreement": agreement, "feedback": _listed(agreement), "commissioner": True, "form": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_feedback(request: HttpRequest, reference: str) -> HttpResponse:
    """The feedback on the provider's service, to read and respond to."""
    agreement = selectors.agreement_get_for_provider(user=request.user, reference=reference)
    form = ResponseForm(posted(request))
    answering = None
    if request.method == "POST":
        answering = agreement.beneficiary_feedback.filter(pk=request.POST.get("feedback") or 0, hidden=False).first()
        if answering is None:
            raise Http404
        if form.is_valid():
            try:
                beneficiaries.feedback_respond(
                    actor=request.user, feedback=answering, response=form.cleaned_data["response"]
                )
            except beneficiaries.FeedbackError as error:
                refused_into(form, error)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, "Your response is saved")
                return redirect("contracts:provider-feedback", reference)
    return render(
        request,
        "contracts/beneficiaries/list.html",
        {
            "agreement": agreement,
            "feedback": _listed(agreement),
            "commissioner": False,
            "form": form,
            "answering": answering,
        },
    )
