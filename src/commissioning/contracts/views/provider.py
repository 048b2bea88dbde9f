"""The provider's agreement pages: its agreements, each one to read and accept, and its plan once accepted.

Every page loads the agreement through ``agreement_get_for_provider``: only
the provider's own administrators and members, and only once it is issued
(a draft is the commissioner's working copy); anyone else gets 404. Only a
provider administrator, the organisation's authorised person, may accept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.frontend.forms import posted, refused_into

from .. import documents, selectors, services
from ..forms import AcceptForm
from ..models import AgreementStatus
from ..permissions import is_authorised_for_provider
from .commissioner import docx_response, own_document_response, part_links

PARTS = [
    ("contracts:provider-returns", "Monitoring returns"),
    ("contracts:provider-payments", "Payments"),
    ("contracts:provider-feedback", "Beneficiaries' feedback"),
    ("contracts:provider-performance", "Performance assessments"),
    ("contracts:poster", "Feedback poster"),
]


@login_required
@require_GET
def agreements(request: HttpRequest) -> HttpResponse:
    """The agreements issued to the user's organisations: to accept, and running."""
    if not selectors.provider_organisations(request.user):
        raise Http404
    found = list(selectors.agreements_for_provider(user=request.user))
    return render(
        request,
        "contracts/provider/list.html",
        {
            "to_accept": [a for a in found if a.status == AgreementStatus.ISSUED],
            "accepted": [a for a in found if a.status == AgreementStatus.ACCEPTED],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement(request: HttpRequest, reference: str) -> HttpResponse:
    """An agreement as issued: read it, download it, and (an authorised person) accept it."""
    found = selectors.agreement_get_for_provider(user=request.user, reference=reference)
    authorised = is_authorised_for_provider(request.user, found)
    form = AcceptForm(
        posted(request),
        initial={"digest": found.document_digest, "name": request.user.full_name, "role": request.user.job_title},
    )
    if request.method == "POST":
        if not authorised:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.agreement_accept(
                    actor=request.user, agreement=found, name=data["name"], role=data["role"], digest=data["digest"]
                )
            except services.AgreementError as error:
                refused_into(form, error)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(
                    request, f"You have accepted {found.reference}. Its reporting and payment dates are below."
                )
                return redirect("contracts:provider-agreement", reference)
    accepted = found.status == AgreementStatus.ACCEPTED
    return render(
        request,
        "contracts/provider/agreement.html",
        {
            "agreement": found,
            "document": documents.document_content(found),
            "form": form,
            "authorised": authorised,
            "returns": list(found.returns.all()) if accepted else [],
            "payments": list(found.payments.all()) if accepted else [],
            "parts": part_links(found, PARTS) if accepted else [],
            "variations": selectors.variations_of(found, approved_only=True),
        },
    )


@login_required
@require_GET
def agreement_docx(request: HttpRequest, reference: str) -> HttpResponse:
    """Download the agreement as issued, as a Word document."""
    return docx_response(selectors.agreement_get_for_provider(user=request.user, reference=reference))


@login_required
@require_GET
def agreement_own_document(request: HttpRequest, reference: str) -> HttpResponse:
    """Download the agreement's own document, as attached when it was issued."""
    return own_document_response(selectors.agreement_get_for_provider(user=request.user, reference=reference))
