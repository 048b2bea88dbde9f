"""Providers' pages for sending a bid: check your answers and submit, withdraw, receipts.

The submission is loaded through ``submission_get_for_bidder`` (anyone else gets 404) and
submitting or withdrawing goes through a service, so a double click makes one submission.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.evidence.standard_items import StandardItem
from commissioning.frontend.forms import posted, refused_into

from .. import selectors, services
from ..forms import DeclarationForm
from ..progress import bid_progress_for
from ..services import SubmissionError
from .provider import _noun, _submission


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, public_id) -> HttpResponse:
    """Check your answers, make the declaration and submit."""
    submission = _submission(request, public_id)
    opportunity = submission.opportunity
    problems = bid_progress_for(submission).to_do
    form = DeclarationForm(
        posted(request),
        initial={"declaration_name": submission.declaration_name, "declaration_role": submission.declaration_role},
    )
    if request.method == "POST" and form.is_valid():
        try:
            kept = services.submission_submit(
                actor=request.user,
                submission=submission,
                received_at=getattr(request, "received_at", None),
                **form.cleaned_data,
            )
        except SubmissionError as error:
            # What is still to do is in the page's own summary, each item linking to its page: one
            # summary, so that it alone takes focus and no link leads to a field that cannot fix it.
            refused_into(form, error, leave_out=frozenset(p.message for p in services.problems_for(submission)))
        else:
            return redirect("submissions:receipt", submission.public_id, kept.number)
    return render(
        request,
        "submissions/check.html",
        {
            "submission": submission,
            "opportunity": opportunity,
            "problems": problems,
            "form": form,
            "noun": _noun(opportunity),
            **selectors.bid_contents_for_check(submission=submission),
            "is_open": opportunity.is_open,
            "item_labels": dict(StandardItem.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, public_id) -> HttpResponse:
    """Withdraw a submitted bid before the deadline (it can be submitted again)."""
    submission = _submission(request, public_id)
    if request.method == "POST":
        try:
            services.submission_withdraw(actor=request.user, submission=submission)
        except SubmissionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"Your {_noun(submission.opportunity)} is withdrawn. "
                "Your draft is kept: you can submit it again before the deadline.",
            )
        return redirect("submissions:tasks", submission.public_id)
    return render(
        request,
        "submissions/withdraw.html",
        {"submission": submission, "opportunity": submission.opportunity, "noun": _noun(submission.opportunity)},
    )


@login_required
@require_GET
def receipt(request: HttpRequest, public_id, number: int) -> HttpResponse:
    """The receipt of one submission: when the server received it and the SHA-256 of what it received."""
    kept = selectors.record_get_for_bidder(user=request.user, public_id=public_id, number=number)
    return render(
        request,
        "submissions/receipt.html",
        {
            "record": kept,
            "submission": kept.submission,
            "opportunity": kept.submission.opportunity,
            "document": kept.document,
            "noun": _noun(kept.submission.opportunity),
        },
    )
