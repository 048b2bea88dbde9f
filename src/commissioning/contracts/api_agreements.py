"""API of a party's own agreements: a commissioner's (drafts too) and a provider's (issued and accepted).

They need a token; everything goes through the selectors the pages use, so an agreement the token's
person is not party to answers 404, as a provider's draft does. Returns are read and submitted at
``/api/v1/contracts/{reference}/returns`` (:mod:`.api_returns`).
"""

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Status
from ninja.pagination import paginate

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core import clock
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, ValidationProblemOut

from . import payments, selectors
from .models import Agreement, ReturnStatus
from .register import org_id
from .schemas import AGREEMENT_REFERENCE
from .schemas_agreements import AgreementDetailOut, AgreementOut, AgreementsQuery

agreements_router = Router(tags=["Your agreements"], auth=ApiTokenAuth())
NOT_FOUND = {"detail": "No such agreement among yours"}


def _summary(agreement: Agreement, providers: list[int]) -> dict:
    side = "provider" if agreement.provider_id in providers else "commissioner"
    page = "contracts:provider-agreement" if side == "provider" else "contracts:agreement"
    return {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "status": agreement.status,
        "your_side": side,
        "commissioning_body": {"name": agreement.commissioner.name, "identifier": org_id(agreement.commissioner)},
        "supplier": {"name": agreement.provider.name, "identifier": org_id(agreement.provider)},
        "value": f"{agreement.value:.2f}",
        "payment_basis": agreement.payment_basis,
        "start_date": agreement.starts_on,
        "end_date": agreement.ends_on,
        "tier": agreement.tier,
        "returns_per_year": agreement.returns_per_year,
        "returns": {state: getattr(agreement, f"returns_{state}") for state in ReturnStatus.values},
        "next_return_due": agreement.next_return_due,
        "payments_scheduled": agreement.payments_count,
        "payments_paid": agreement.payments_paid,
        "next_payment_due": agreement.next_payment_due,
        "issued_at": agreement.issued_at,
        "accepted_at": agreement.accepted_at,
        "document_digest": agreement.document_digest,
        "url": reverse(page, args=[agreement.reference]),
    }


class _Summaries:
    """The selector's rows as summaries, sliced by the paginator before any row is read."""

    def __init__(self, rows, providers):
        self.rows, self.providers = rows, providers

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, window):
        return [_summary(a, self.providers) for a in self.rows[window]]

    def __len__(self) -> int:
        return self.count()


@agreements_router.get(
    "", response={200: list[AgreementOut], 401: ProblemOut, 422: ValidationProblemOut}, summary="Your agreements"
)
@paginate(BoundedPagination)
def agreements_list(request: HttpRequest, filters: Query[AgreementsQuery]):
    """The agreements the token's person commissions (drafts too) or whose provider it acts for (issued and
    accepted), newest first, each with its returns and payments counted by where they stand."""
    rows = selectors.agreements_for_person(user=request.auth, status=filters.status)
    return _Summaries(rows, selectors.provider_organisations(request.auth))


@agreements_router.get(
    "/{reference}",
    response={200: AgreementDetailOut, 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One of your agreements",
)
def agreement_detail(
    request: HttpRequest,
    reference: str = Path(..., pattern=AGREEMENT_REFERENCE, description="The agreement's reference, like AG-2026-0001"),
):
    """One agreement with its KPIs, its plan of returns and its payments with days to pay; 404 for one the
    token's person is not party to (and for a provider, its drafts)."""
    try:
        agreement = selectors.agreement_get_for_person(user=request.auth, reference=reference)
    except Http404:
        return Status(404, NOT_FOUND)
    today, terms = clock.today(), payments.payment_terms_days()
    body = _summary(agreement, selectors.provider_organisations(request.auth))
    body |= {
        "description": agreement.description,
        "outcomes": agreement.outcomes,
        "special_conditions": agreement.special_conditions,
        "measures": [
            {"number": m.number, "name": m.name, "target": f"{m.target:f}", "unit": m.unit, "published": m.published}
            for m in sorted(agreement.measures.all(), key=lambda m: m.number)
        ],
        "plan": [
            {
                "number": r.number,
                "period_start": r.period_start,
                "period_end": r.period_end,
                "due_on": r.due_on,
                "status": r.status,
            }
            for r in sorted(agreement.returns.all(), key=lambda r: r.number)
        ],
        "payments": [_payment(p, today, terms) for p in sorted(agreement.payments.all(), key=lambda p: p.number)],
    }
    return Status(200, body)


def _payment(payment, today, terms) -> dict:
    stands = payments.standing(payment, today, terms)
    return {
        "number": payment.number,
        "due_on": payment.due_on,
        "amount": f"{payment.amount:.2f}",
        "invoice_received_on": payment.invoice_received_on,
        "paid_on": payment.paid_on,
        "paid_amount": f"{payment.paid_amount:.2f}" if payment.paid_amount is not None else None,
        "days_to_pay": stands.days,
        "within_terms": stands.on_time,
    }
