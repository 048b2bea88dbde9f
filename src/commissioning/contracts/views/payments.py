"""Payments' pages: the commissioner records each instalment's invoice and payment; both sides see the days;
a body's payments compliance figures for each six-month period, with the invoices behind them as CSV."""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.accounts.models import Organisation, Side
from commissioning.accounts.permissions import commissioning_at
from commissioning.core import clock
from commissioning.frontend.forms import posted, refused_into

from .. import compliance, payments, selectors
from ..forms import DisputeForm, PaymentForm, SettleForm
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
        posted(request) if request.POST.get("action", "record") == "record" else None,
        initial={
            "invoice_received_on": payment.invoice_received_on,
            "invoice_reference": payment.invoice_reference,
            "paid_on": payment.paid_on,
            "paid_amount": payment.paid_amount,
        },
    )
    action = request.POST.get("action", "record") if request.method == "POST" else ""
    dispute = DisputeForm(posted(request) if action == "dispute" else None)
    settle = SettleForm(posted(request) if action == "settle" else None)
    if action not in ("record", "dispute", "settle"):
        action = ""
    chosen = {"record": form, "dispute": dispute, "settle": settle}.get(action)
    if chosen is not None and chosen.is_valid():
        try:
            if action == "dispute":
                payments.payment_dispute(actor=request.user, payment=payment, **chosen.cleaned_data)
                done = f"The invoice for payment {number} is disputed and the provider has been told why"
            elif action == "settle":
                payments.payment_dispute_settle(actor=request.user, payment=payment, **chosen.cleaned_data)
                done = f"The dispute over payment {number} is settled"
            else:
                payments.payment_record(actor=request.user, payment=payment, **chosen.cleaned_data)
                done = f"Payment {number} is recorded"
        except payments.PaymentError as error:
            refused_into(chosen, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, done)
            return redirect("contracts:agreement-payments", reference)
    return render(
        request,
        "contracts/payments/record.html",
        {"agreement": agreement, "payment": payment, "form": form, "dispute": dispute, "settle": settle},
    )


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


def _compliance_scope(request):
    """The body whose figures to show (one the user commissions at; any for an administrator), the bodies to
    choose from, the period chosen and the periods to choose from; 404 for anyone else."""
    bodies = Organisation.objects.filter(side=Side.COMMISSIONER).order_by("name")
    if not request.user.is_administrator:
        bodies = bodies.filter(pk__in=commissioning_at(request.user))
    bodies = list(bodies)
    if not bodies:
        raise Http404
    wanted = request.GET.get("body", "")
    body = next((b for b in bodies if b.slug == wanted), bodies[0])
    choices = compliance.periods(clock.today())
    period = next(
        (p for p in choices if p.key == request.GET.get("period")), choices[1] if len(choices) > 1 else choices[0]
    )
    return body, bodies, period, choices


@login_required
@require_GET
def payments_compliance(request: HttpRequest) -> HttpResponse:
    """A body's payments compliance figures for a six-month period: what its notice (s69, reg 38) publishes."""
    body, bodies, period, choices = _compliance_scope(request)
    figures = compliance.compliance_for(selectors.agreements_commissioned_at([body.pk]), period)
    return render(
        request,
        "contracts/payments/compliance.html",
        {
            "body": body,
            "bodies": bodies,
            "period": period,
            "periods": choices,
            "figures": figures,
            "shown": figures.by_agreement[:BY_AGREEMENT_SHOWN],
            "terms": payment_terms_days(),
            "bands": tuple(settings.CONTRACTS["compliance_bands"]),
            "current": period == choices[0],
            "query_string": urlencode({"body": body.slug, "period": period.key}),
        },
    )


# How many agreements the page lists (those with sums not paid and the slowest first); the CSV has them all.
BY_AGREEMENT_SHOWN = 50

COMPLIANCE_COLUMNS = [
    "Agreement",
    "Supplier",
    "Instalment",
    "Invoice or claim reference",
    "Invoice or claim received",
    "Due to be paid by",
    "Paid",
    "Amount (£)",
    "Days to pay",
    "Band",
]


@login_required
@require_GET
def payments_compliance_csv(request: HttpRequest) -> HttpResponse:
    """The invoices behind the period's figures, one line each, as CSV."""
    body, _bodies, period, _choices = _compliance_scope(request)
    figures = compliance.compliance_for(selectors.agreements_commissioned_at([body.pk]), period)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="payments-{body.slug}-{period.key}.csv"'
    writer = csv.writer(response)
    writer.writerow(COMPLIANCE_COLUMNS)
    for line in figures.lines:
        writer.writerow(
            [
                line.reference,
                line.provider,
                line.number,
                line.invoice_reference,
                line.invoice_received_on.isoformat(),
                line.due_by.isoformat(),
                line.paid_on.isoformat() if line.paid_on else "",
                f"{line.amount:.2f}",
                "" if line.days is None else line.days,
                line.band,
            ]
        )
    return response
