"""The commissioner's agreement pages: the list, a new agreement, each agreement's terms, KPIs, check and issue.

Every page loads the agreement through ``agreement_get_for_commissioner``,
so anyone who does not commission it gets 404, and every change goes through
a service. The returns, payments, feedback, variations and performance pages
of an agreement are in their own modules.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.accounts.permissions import commissioning_at
from commissioning.audit.transitions import TransitionError
from commissioning.core import clock
from commissioning.frontend.forms import posted, refused_into
from commissioning.opportunities.forms import ExplainForm
from commissioning.opportunities.selectors import opportunity_get_for_commissioner
from commissioning.practice.catalogue import STEP_AGREEMENT_ISSUE
from commissioning.practice.checks import evaluate
from commissioning.practice.permissions import confirmers_for
from commissioning.practice.selectors import explanations_latest_for, rule_outcomes_for
from commissioning.practice.services import ExplanationError, RuleGateClosed
from commissioning.records.models import ServiceArea
from commissioning.records.selectors import records_for

from .. import documents, payments, selectors, services, sharing
from ..forms import MeasureForm, NewAgreementForm, OwnDocumentForm, ReasonForm, TermsForm
from ..models import AgreementStatus
from ..permissions import commissioner_body_for

TERMS = [name for name in TermsForm.base_fields]


def _agreement(request, reference, *, acting=True):
    return selectors.agreement_get_for_commissioner(user=request.user, reference=reference, acting=acting)


# The agreement's other pages, in the order its page lists them: (URL name, link text).
PARTS = [
    ("contracts:agreement-returns", "Monitoring returns"),
    ("contracts:agreement-payments", "Payments"),
    ("contracts:agreement-feedback", "Beneficiaries' feedback"),
    ("contracts:agreement-performance", "KPIs and performance"),
    ("contracts:agreement-variations", "Variations and inflation"),
    ("contracts:poster", "Feedback poster"),
]


def part_links(agreement, parts=PARTS) -> list[dict]:
    """Links to the agreement's other pages (each page of the stage that is installed)."""
    links = []
    for name, text in parts:
        try:
            links.append({"href": reverse(name, args=[agreement.reference]), "text": text})
        except NoReverseMatch:
            continue
    return links


def _commissioning_user(request) -> None:
    if not commissioning_at(request.user) and not request.user.is_administrator:
        raise Http404


@login_required
@require_GET
def agreements(request: HttpRequest) -> HttpResponse:
    """Every agreement the commissioner's bodies let, to filter by status and search, a page at a time."""
    _commissioning_user(request)
    status = request.GET.get("status", "")
    query = request.GET.get("q", "")[:200]
    found = selectors.agreements_for_commissioner(user=request.user, status=status, query=query)
    period = payments.reporting_period(clock.today())
    page = Paginator(found, settings.DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "contracts/commissioner/list.html",
        {
            "page": page,
            "status": status if status in selectors.STATUS_FILTERS else "",
            "query": query,
            "query_string": params.urlencode(),
            "may_create": bool(commissioning_at(request.user)),
            "period": period,
            "timeliness": payments.body_timeliness(
                selectors.agreements_commissioned_at(commissioning_at(request.user)), *period
            ),
        },
    )


def _terms_data(form) -> dict:
    data = {name: form.cleaned_data[name] for name in TERMS if name in form.cleaned_data}
    if data.get("returns_per_year") is None:
        data.pop("returns_per_year", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def agreement_new(request: HttpRequest) -> HttpResponse:
    """Make an agreement by hand: a direct award or a grant made outside a round, with the reason."""
    bodies = commissioning_at(request.user)
    if not bodies:
        raise Http404
    form = NewAgreementForm(
        posted(request),
        records=records_for(user=request.user),
        service_areas=ServiceArea.objects.filter(active=True).order_by("name"),
        initial={
            "breakdowns": ["ward", "characteristic", "community"],
            "feedback_open": True,
            "risk": "medium",
            "payment_basis": "arrears",
            "payment_interval_months": 3,
            "value_includes_vat": True,
            "kind": "contract",
            "origin": "direct_award",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = data["record"]
        body = next((b for b in record.bodies if b.pk in bodies), None)
        try:
            made = services.agreement_create(
                actor=request.user,
                record=record,
                commissioner=body or record.lead_body,
                provider=data["provider"],
                kind=data["kind"],
                origin=data["origin"],
                origin_reason=data["origin_reason"],
                service_area=data["service_area"],
                **_terms_data(form),
            )
        except services.AgreementError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(
                request, f"{made.reference} is drafted. Add its KPIs, check it against the Code, then issue it."
            )
            return redirect("contracts:agreement", made.reference)
    return render(request, "contracts/commissioner/new.html", {"form": form})


@login_required
@require_GET
def agreement(request: HttpRequest, reference: str) -> HttpResponse:
    """An agreement's page: its terms, monitoring plan, KPIs, where it stands against the Code, its document."""
    found = _agreement(request, reference, acting=False)
    draft = found.status == AgreementStatus.DRAFT
    return render(
        request,
        "contracts/commissioner/agreement.html",
        {
            "agreement": found,
            "gate": evaluate(found, STEP_AGREEMENT_ISSUE) if draft else None,
            "outcomes": [] if draft else rule_outcomes_for(obj=found),
            "problems": services.issue_problems(found) if draft else [],
            "document": documents.document_content(found),
            "returns": list(found.returns.all()) if found.status == AgreementStatus.ACCEPTED else [],
            "parts": part_links(found),
            "kpis_required": services.kpis_required(found),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Change a draft agreement's terms; the monitoring tier follows the value, term and risk."""
    found = _agreement(request, reference)
    if found.status != AgreementStatus.DRAFT:
        messages.error(request, "Only a draft agreement can be changed: propose a variation instead")
        return redirect("contracts:agreement", reference)
    initial = {name: getattr(found, name) for name in TERMS}
    form = TermsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(actor=request.user, agreement=found, **_terms_data(form))
        except services.AgreementError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The agreement's terms are saved")
            return redirect("contracts:agreement", reference)
    return render(request, "contracts/commissioner/edit.html", {"agreement": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_kpis(request: HttpRequest, reference: str) -> HttpResponse:
    """The agreement's KPIs with their targets: add one, or take one off, while it is a draft."""
    found = _agreement(request, reference)
    adding = request.method == "POST" and request.POST.get("action") != "remove"
    form = MeasureForm(posted(request) if adding else None)
    if request.method == "POST":
        if found.status != AgreementStatus.DRAFT:
            messages.error(request, "KPIs are set while the agreement is a draft")
            return redirect("contracts:agreement-kpis", reference)
        if not adding:
            measure = found.measures.filter(number=request.POST.get("number") or 0).first()
            if measure is None:
                raise Http404
            services.measure_remove(actor=request.user, measure=measure)
            messages.success(request, f"KPI {measure.number} is taken off")
            return redirect("contracts:agreement-kpis", reference)
        if form.is_valid():
            try:
                services.measure_save(actor=request.user, agreement=found, **form.cleaned_data)
            except services.AgreementError as error:
                refused_into(form, error)
            else:
                messages.success(request, "The KPI is added")
                return redirect("contracts:agreement-kpis", reference)
    allowance = services.plan_allowance(found)
    return render(
        request,
        "contracts/commissioner/kpis.html",
        {"agreement": found, "form": form, "allowance": allowance, "kpis_required": services.kpis_required(found)},
    )


def _explain(request, found, explain_form) -> bool:
    """Record the posted explanation; False (with the errors on the form) when it is refused."""
    if not explain_form.is_valid():
        return False
    try:
        services.agreement_rule_explain(
            actor=request.user,
            agreement=found,
            rule_code=explain_form.cleaned_data["rule"],
            reason=explain_form.cleaned_data["reason"],
            confirmer=explain_form.cleaned_data["confirmer"],
        )
    except (ExplanationError, services.AgreementError) as error:
        refused_into(explain_form, error, names=lambda name: name if name in ("reason", "confirmer") else None)
        return False
    confirmer = explain_form.cleaned_data["confirmer"]
    messages.success(
        request,
        f"Your explanation for {explain_form.cleaned_data['rule']} has been sent to {confirmer.full_name} to "
        "confirm. Until they confirm it, the rule does not count as explained.",
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def agreement_check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check the draft against the Code's rules for issuing an agreement; explain a rule; issue it."""
    found = _agreement(request, reference)
    confirmers = confirmers_for(body=commissioner_body_for(request.user, found), author=request.user)
    explain_form = ExplainForm(
        posted(request) if request.POST.get("action") == "explain" else None, confirmers=confirmers
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "explain" and _explain(request, found, explain_form):
            return redirect("contracts:agreement-check", reference)
        if action == "issue":
            try:
                services.agreement_issue(actor=request.user, agreement=found)
            except (services.AgreementError, RuleGateClosed, TransitionError) as error:
                messages.error(request, str(error))
                return redirect("contracts:agreement-check", reference)
            messages.success(
                request, f"{found.reference} is issued. The provider's administrators are asked to accept it."
            )
            return redirect("contracts:agreement", reference)
    draft = found.status == AgreementStatus.DRAFT
    return render(
        request,
        "contracts/commissioner/check.html",
        {
            "agreement": found,
            "gate": evaluate(found, STEP_AGREEMENT_ISSUE),
            "explanations": explanations_latest_for(obj=found),
            "problems": services.issue_problems(found) if draft else [],
            "explain_form": explain_form,
            "explaining": request.POST.get("rule") if request.method == "POST" else request.GET.get("explain"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """Take an issued agreement back to draft to correct it, before the provider accepts it."""
    found = _agreement(request, reference)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_withdraw(actor=request.user, agreement=found, reason=form.cleaned_data["reason"])
        except services.AgreementError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"{found.reference} is back to draft. The provider is told why.")
            return redirect("contracts:agreement", reference)
    return render(request, "contracts/commissioner/withdraw.html", {"agreement": found, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_own_document(request: HttpRequest, reference: str) -> HttpResponse:
    """Attach the agreement's own document, written outside the hub, to a draft; or take it off."""
    found = _agreement(request, reference)
    uploading = request.method == "POST" and request.POST.get("action") != "remove"
    form = OwnDocumentForm(posted(request) if uploading else None, request.FILES if uploading else None)
    if request.method == "POST":
        try:
            if not uploading:
                services.own_document_remove(actor=request.user, agreement=found)
                messages.success(request, "The document is taken off")
                return redirect("contracts:agreement", reference)
            if form.is_valid():
                services.own_document_attach(actor=request.user, agreement=found, uploaded=form.cleaned_data["file"])
                messages.success(
                    request,
                    "The document is attached. Confirm on the terms page that it carries the Compact for Leeds "
                    "clause (PR-11) before the agreement is issued.",
                )
                return redirect("contracts:agreement", reference)
        except services.AgreementError as error:
            refused_into(form, error)
    return render(request, "contracts/commissioner/own_document.html", {"agreement": found, "form": form})


def own_document_response(found) -> HttpResponse:
    """The agreement's own document as it was attached, or 404 when it has none."""
    if not found.own_document:
        raise Http404
    response = FileResponse(found.own_document.open("rb"), as_attachment=True)
    return response


@login_required
@require_GET
def agreement_own_document_file(request: HttpRequest, reference: str) -> HttpResponse:
    """Download the agreement's own document."""
    return own_document_response(_agreement(request, reference, acting=False))


def docx_response(found) -> HttpResponse:
    """The agreement as a Word document, as issued (or the draft's terms as they stand)."""
    response = HttpResponse(documents.docx_bytes(found), content_type=documents.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{found.reference}.docx"'
    return response


@login_required
@require_GET
def agreement_docx(request: HttpRequest, reference: str) -> HttpResponse:
    """Download the agreement as a Word document."""
    return docx_response(_agreement(request, reference, acting=False))


@login_required
@require_http_methods(["GET", "POST"])
def award_agreements(request: HttpRequest, reference: str) -> HttpResponse:
    """An award's agreements: drafted when its standstill ends (or now, once it has), each to check and issue."""
    opportunity = opportunity_get_for_commissioner(user=request.user, reference=reference)
    if request.method == "POST":
        evaluation = getattr(opportunity, "evaluation", None)
        if evaluation is None:
            raise Http404
        try:
            made = services.agreements_draft_from_award(actor=request.user, evaluation=evaluation)
        except services.AgreementError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{len(made)} agreement{'s' if len(made) != 1 else ''} drafted")
        return redirect("contracts:award-agreements", reference)
    return render(
        request,
        "contracts/commissioner/award.html",
        {"opportunity": opportunity, "award": selectors.award_agreements_for(opportunity=opportunity)},
    )


@login_required
@require_GET
def provider_monitoring(request: HttpRequest, slug: str) -> HttpResponse:
    """A provider's monitoring under every funder's agreements, for the commissioners who fund it (CM-3)."""
    provider, views = selectors.provider_monitoring_for(user=request.user, slug=slug)
    return render(
        request,
        "contracts/commissioner/provider_monitoring.html",
        {
            "provider": provider,
            "views": views,
            "proposals": list(sharing.proposals_for(user=request.user, provider=provider)),
            "could_share": sharing.could_share(views),
        },
    )
