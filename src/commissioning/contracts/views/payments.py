"""Payments' pages: the commissioner records each instalment's invoice and payment; both sides see the days."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.core import clock
from commissioning.frontend.forms import posted, refused_into

from .. import payments, selectors
from ..forms import PaymentForm
from ..services import payment_terms_days


def _standings(agreement):
    today = clock.today()
    return [payments.standing(p, today) for p in agreement.payments.order_by("number")]


@login_required
@require_GET
def agreement_payments(request: HttpRequest, reference: str) -> HttpResponse:
    """The payment schedule for the agreement's commissioner: each instalment, its invoice, payment and days."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference)
    return render(
        request,
        "contracts/payments/list.html",
        {
            "agreement": agreement,
            "standings": _standings(agreement),
            "terms": payment_terms_days(),
            "commissioner": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_payment(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Record one instalment's invoice (or claim) received and its payment."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference, acting=True)
    payment = agreement.payments.filter(number=number).first()
    if payment is None:
        raise Http404
    form = PaymentForm(
        posted(request),
        initial={
            "invoice_received_on": payment.invoice_received_on,
            "invoice_reference": payment.invoice_reference,
            "paid_on": payment.paid_on,
            "paid_amount": payment.paid_amount,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            payments.payment_record(actor=request.user, payment=payment, **form.cleaned_data)
        except payments.PaymentError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, f"Payment {number} is recorded")
            return redirect("contracts:agreement-payments", reference)
    return render(request, "contracts/payments/record.html", {"agreement": agreement, "payment": payment, "form": form})


@login_required
@require_GET
def provider_payments(request: HttpRequest, reference: str) -> HttpResponse:
    """The payment schedule as the provider sees it: what is due, when it was paid and how many days it took."""
    agreement = selectors.agreement_get_for_provider(user=request.user, reference=reference)
    if agreement.status != "accepted":
        raise Http404
    return render(
        request,
        "contracts/payments/list.html",
        {
            "agreement": agreement,
            "standings": _standings(agreement),
            "terms": payment_terms_days(),
            "commissioner": False,
        },
    )
