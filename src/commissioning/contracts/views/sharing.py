"""Shared returns' pages (CM-3): propose that another funder's return covers one of yours, withdraw it; agree
(as the funder whose return is used) that yours covers another's.

Both pages load the return through ``return_get_for_commissioner``: only the agreement's commissioners
(an administrator reads, never acts). Anyone else gets 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commissioning.frontend.forms import GovukForm, posted, refused_into

from .. import selectors, sharing
from ..permissions import is_agreement_commissioner


class ShareForm(GovukForm):
    covering = forms.ChoiceField(
        label="The return that covers this one",
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the return that covers this one",
            "invalid_choice": "Choose one of the returns listed",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covering"].choices = [
            (
                str(c.pk),
                f"{c.agreement.commissioner.name}: {c.agreement.reference} {c.agreement.title}, return {c.number} "
                f"({c.period_start:%d/%m/%Y} to {c.period_end:%d/%m/%Y}, {c.get_status_display().lower()})",
            )
            for c in candidates
        ]


def _refused(request, error) -> None:
    messages.error(request, str(error))


@login_required
@require_http_methods(["GET", "POST"])
def return_share(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """One of your returns: propose that another funder's return covers it, withdraw the proposal, or read the
    covering return once it is agreed."""
    found = selectors.return_get_for_commissioner(user=request.user, reference=reference, number=number)
    acting = is_agreement_commissioner(request.user, found.agreement)
    proposed = sharing.is_proposed(found)
    open_to_share = acting and not found.share_proposed_at and found.status in sharing.COVERABLE
    candidates = list(sharing.share_candidates(found)) if open_to_share else []
    proposing = request.method == "POST" and request.POST.get("action") != "withdraw"
    form = ShareForm(posted(request) if proposing else None, candidates=candidates) if candidates else None
    if request.method == "POST":
        if not acting:
            raise Http404
        try:
            if not proposing:
                sharing.share_withdraw(actor=request.user, monitoring_return=found)
                messages.success(request, f"The proposal to share return {number} is withdrawn")
                return redirect("contracts:return-share", reference, number)
            if form is None:
                messages.error(request, "No return under another body's agreement can cover this one")
                return redirect("contracts:return-share", reference, number)
            if form.is_valid():
                covering = next(c for c in candidates if str(c.pk) == form.cleaned_data["covering"])
                sharing.share_propose(actor=request.user, monitoring_return=found, covering=covering)
                messages.success(
                    request,
                    f"Proposed. {covering.agreement.commissioner.name}'s commissioners are asked to agree that their "
                    f"return {covering.number} covers yours.",
                )
                return redirect("contracts:return-share", reference, number)
        except sharing.ShareError as error:
            if form is not None and proposing:
                refused_into(form, error)
            else:
                _refused(request, error)
                return redirect("contracts:return-share", reference, number)
        except PermissionDenied as exc:
            raise Http404 from exc
    return render(
        request,
        "contracts/sharing/share.html",
        {
            "agreement": found.agreement,
            "monitoring_return": found,
            "acting": acting,
            "proposed": proposed,
            "open_to_share": open_to_share,
            "form": form,
            "covering": found.covered_by,
            "covering_reading": sharing.covering_reading(request.user, found),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_shares(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """One of your returns that another funder proposes should cover theirs: agree, or withdraw the proposal."""
    found = selectors.return_get_for_commissioner(user=request.user, reference=reference, number=number)
    acting = is_agreement_commissioner(request.user, found.agreement)
    covered = list(found.covers.select_related("agreement__commissioner", "share_proposed_by", "share_agreed_by"))
    if request.method == "POST":
        if not acting:
            raise Http404
        proposal = next((r for r in covered if str(r.pk) == request.POST.get("proposal", "")), None)
        if proposal is None:
            messages.error(request, "Choose one of the proposals listed")
            return redirect("contracts:return-shares", reference, number)
        try:
            if request.POST.get("action") == "agree":
                sharing.share_agree(actor=request.user, monitoring_return=proposal)
                messages.success(
                    request,
                    f"Agreed: your return {number} covers {proposal.agreement.reference} return {proposal.number}. "
                    "The provider is told it need not submit that one.",
                )
            else:
                sharing.share_withdraw(actor=request.user, monitoring_return=proposal)
                messages.success(request, f"The proposal for {proposal.agreement.reference} is withdrawn")
        except sharing.ShareError as error:
            _refused(request, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        return redirect("contracts:return-shares", reference, number)
    return render(
        request,
        "contracts/sharing/shares.html",
        {
            "agreement": found.agreement,
            "monitoring_return": found,
            "acting": acting,
            "covered": covered,
            "user_pk": request.user.pk,
        },
    )
