"""Commissioners' pages once an opportunity is drafted: check it against the Code, publish, amend, end, answer.

Every page loads the opportunity through ``opportunity_get_for_commissioner``,
so someone who does not commission it gets 404, and every change goes
through a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from commissioning.audit.transitions import TransitionError
from commissioning.frontend.forms import posted, refused_into
from commissioning.practice.checks import evaluate
from commissioning.practice.permissions import confirmers_for
from commissioning.practice.selectors import explanations_latest_for
from commissioning.practice.services import ExplanationError, RuleGateClosed

from .. import services
from ..forms import (
    AmendForm,
    AnswerForm,
    ExplainForm,
    ReasonForm,
)
from ..models import Status
from ..permissions import commissioning_body_of
from ..workflow import OPPORTUNITY_WORKFLOW, moves_offered, publication_problems
from .commissioner import _opportunity


def _explain(request, opportunity, explain_form) -> bool:
    """Record the posted explanation; False (with the errors on the form) when it is refused."""
    if not explain_form.is_valid():
        return False
    try:
        services.opportunity_rule_explain(
            actor=request.user,
            opportunity=opportunity,
            rule_code=explain_form.cleaned_data["rule"],
            reason=explain_form.cleaned_data["reason"],
            confirmer=explain_form.cleaned_data["confirmer"],
        )
    except (ExplanationError, services.OpportunityError) as error:
        problems = error.errors.items()
        for name, found in problems:
            for problem in [found] if isinstance(found, str) else found:
                explain_form.add_error(name if name in ("reason", "confirmer") else None, problem)
        return False
    except PermissionDenied as exc:
        raise Http404 from exc
    confirmer = explain_form.cleaned_data["confirmer"]
    messages.success(
        request,
        f"Your explanation for {explain_form.cleaned_data['rule']} has been sent to {confirmer.full_name} "
        "to confirm. Until they confirm it, the rule does not count as explained.",
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check against the Code: each rule met, not met, explained or waiting; explain; publish."""
    opportunity = _opportunity(request, reference)
    confirmers = confirmers_for(body=commissioning_body_of(request.user, opportunity), author=request.user)
    explain_form = ExplainForm(
        posted(request) if request.POST.get("action") == "explain" else None, confirmers=confirmers
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "explain" and _explain(request, opportunity, explain_form):
            return redirect("opportunities:check", reference)
        if action == "publish":
            try:
                services.opportunity_publish(actor=request.user, opportunity=opportunity)
            except (TransitionError, RuleGateClosed) as error:
                messages.error(request, str(error))
                return redirect("opportunities:check", reference)
            messages.success(request, f"{opportunity.reference} is published and open for bids")
            return redirect("opportunities:manage", reference)
    return render(
        request,
        "opportunities/manage/check.html",
        {
            "opportunity": opportunity,
            "gate": evaluate(opportunity, "opportunity_publish"),
            "explanations": explanations_latest_for(obj=opportunity),
            "problems": publication_problems(opportunity) if opportunity.status == Status.DRAFT else [],
            "explain_form": explain_form,
            "explaining": request.POST.get("rule") if request.method == "POST" else request.GET.get("explain"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def amend(request: HttpRequest, reference: str) -> HttpResponse:
    """Amend a published opportunity: everyone following is told."""
    opportunity = _opportunity(request, reference)
    form = AmendForm(
        posted(request),
        initial={
            "description": opportunity.description,
            "question_deadline": opportunity.question_deadline,
            "submission_deadline": opportunity.submission_deadline,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            k: data[k]
            for k in ("description", "question_deadline", "submission_deadline")
            if data[k] != getattr(opportunity, k)
        }
        try:
            amendment = services.opportunity_amend(
                actor=request.user,
                opportunity=opportunity,
                changes=changes,
                summary=data["summary"],
                material=data["material"],
                lead_time_explanation=data["lead_time_explanation"],
            )
        except services.OpportunityError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"Amendment {amendment.number} is published")
            return redirect("opportunities:manage", reference)
    return render(request, "opportunities/manage/amend.html", {"form": form, "opportunity": opportunity})


@login_required
@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, reference: str) -> HttpResponse:
    """Cancel a draft, or withdraw a published opportunity, with a reason; only while the workflow allows it."""
    opportunity = _opportunity(request, reference)
    move = "cancel" if opportunity.status == Status.DRAFT else "withdraw"
    if move not in moves_offered(opportunity, request.user):
        problems = OPPORTUNITY_WORKFLOW.check(opportunity, move, request.user)
        messages.error(request, next((p for p in problems if p != "Give a reason"), "This cannot be done now"))
        return redirect("opportunities:manage", reference)
    done = {"cancel": "cancelled", "withdraw": "withdrawn"}[move]
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        service = services.opportunity_cancel if move == "cancel" else services.opportunity_withdraw
        try:
            service(actor=request.user, opportunity=opportunity, reason=form.cleaned_data["reason"])
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{opportunity.reference} is {done}")
            return redirect("opportunities:manage", reference)
    return render(request, "opportunities/manage/end.html", {"form": form, "opportunity": opportunity, "move": move})


@login_required
@require_http_methods(["GET", "POST"])
def clarifications(request: HttpRequest, reference: str) -> HttpResponse:
    """Answer providers' questions, publishing each in the wording the commissioner chooses."""
    opportunity = _opportunity(request, reference)
    questions = list(opportunity.clarifications.all())
    posted_id = request.POST.get("clarification") if request.method == "POST" else None
    forms = {
        c.pk: AnswerForm(posted(request) if str(c.pk) == posted_id else None, clarification=c)
        for c in questions
        if c.published_at is None
    }
    bound = None
    if request.method == "POST":
        clarification = next((c for c in questions if str(c.pk) == posted_id), None)
        if clarification is None:
            raise Http404
        bound = forms.get(clarification.pk) or AnswerForm(posted(request), clarification=clarification)
        if clarification.published_at is not None:
            # A second press of the button: say so, and publish nothing again.
            bound.is_valid()
            bound.add_error(None, "This question has already been answered; the answer is published")
        elif bound.is_valid():
            try:
                services.clarification_answer(
                    actor=request.user,
                    clarification=clarification,
                    answer=bound.cleaned_data["answer"],
                    published_question=bound.cleaned_data["published_question"],
                )
            except services.OpportunityError as error:
                refused_into(bound, error)
            else:
                messages.success(request, "The answer is published")
                return redirect("opportunities:clarifications", reference)
    return render(
        request,
        "opportunities/manage/clarifications.html",
        {"opportunity": opportunity, "form": bound, "forms": forms, "clarifications": questions},
    )
