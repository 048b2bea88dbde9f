"""Providers' pages for what supports a bid: its files and its consortium partners.

Pages load the submission through ``submission_get_for_bidder`` (an invited
partner through ``membership_get_for_member``); anything else answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.frontend.forms import posted, refused_into

from .. import selectors, services
from ..forms import AttachmentForm, InvitationAnswerForm, InviteForm
from ..models import MemberStatus
from ..services import SubmissionError
from .provider import _act_and_return, _evidence_page, _submission


@login_required
@require_http_methods(["GET", "POST"])
def attachments(request: HttpRequest, public_id) -> HttpResponse:
    """Supporting files: upload and remove."""
    submission = _submission(request, public_id)
    form = AttachmentForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                submission=submission,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except SubmissionError as error:
            refused_into(form, error)
        else:
            messages.success(request, "Your file is added")
            return redirect("submissions:attachments", submission.public_id)
    return render(
        request,
        "submissions/attachments.html",
        {
            "submission": submission,
            "opportunity": submission.opportunity,
            "form": form,
            "files": selectors.files_of(submission=submission),
        },
    )


@login_required
@require_GET
def attachment(request: HttpRequest, public_id, attachment_id: int) -> HttpResponse:
    """Download a file of a bid: its bidders, or its commissioners once the submissions are opened."""
    found = selectors.attachment_get_for(user=request.user, attachment_id=attachment_id)
    if str(found.submission.public_id) != str(public_id):
        raise Http404
    response = FileResponse(
        found.file.open("rb"), content_type=found.content_type, as_attachment=True, filename=found.file_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, public_id, attachment_id: int) -> HttpResponse:
    submission = _submission(request, public_id)
    return _act_and_return(
        request,
        submission,
        lambda: services.attachment_remove(actor=request.user, submission=submission, attachment_id=attachment_id),
        "The file is removed from your bid",
        "submissions:attachments",
    )


@login_required
@require_http_methods(["GET", "POST"])
def consortium(request: HttpRequest, public_id) -> HttpResponse:
    """Partners: invite verified providers to bid together, and see who has confirmed."""
    submission = _submission(request, public_id)
    members = selectors.members_of(submission=submission)
    candidates = selectors.consortium_candidates_for(submission=submission, members=members)
    form = InviteForm(posted(request), organisations=candidates)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in candidates if str(o.pk) == form.cleaned_data["organisation"])
        try:
            services.member_invite(
                actor=request.user, submission=submission, organisation=organisation, role=form.cleaned_data["role"]
            )
        except SubmissionError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"{organisation.name} is invited. They confirm from their bids page.")
            return redirect("submissions:consortium", submission.public_id)
    return render(
        request,
        "submissions/consortium.html",
        {"submission": submission, "opportunity": submission.opportunity, "form": form, "members": members},
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, public_id, member_id: int) -> HttpResponse:
    submission = _submission(request, public_id)
    return _act_and_return(
        request,
        submission,
        lambda: services.member_remove(actor=request.user, submission=submission, member_id=member_id),
        "The organisation is no longer part of this bid",
        "submissions:consortium",
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, public_id, member_id: int) -> HttpResponse:
    """An invited consortium member confirms or declines, then confirms its own evidence for the bid."""
    member = selectors.membership_get_for_member(user=request.user, public_id=public_id, member_id=member_id)
    submission = member.submission
    here = reverse("submissions:invitation", args=[submission.public_id, member.pk])
    if member.status == MemberStatus.CONFIRMED:
        return _evidence_page(
            request,
            submission,
            member.organisation,
            template="submissions/invitation.html",
            back=here,
            extra={"member": member},
        )
    form = InvitationAnswerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.member_answer(actor=request.user, member=member, accept=accept)
        except SubmissionError as error:
            refused_into(form, error)
        else:
            if accept:
                messages.success(request, "You are part of this bid. Now confirm your evidence for it.")
                return redirect(here)
            messages.success(request, "You have declined the invitation")
            return redirect("review:bids")
    return render(
        request,
        "submissions/invitation.html",
        {"submission": submission, "opportunity": submission.opportunity, "member": member, "answer_form": form},
    )
