"""Commissioners' pages: start, edit, check against the Code, publish, amend and answer.

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
from commissioning.evidence.standard_items import DEFAULT_ITEMS
from commissioning.frontend.forms import posted, refused_into
from commissioning.practice.checks import evaluate
from commissioning.practice.permissions import confirmers_for
from commissioning.practice.selectors import explanations_latest_for
from commissioning.practice.services import ExplanationError, RuleGateClosed
from commissioning.records.selectors import records_startable_by

from .. import selectors, services
from ..forms import (
    AmendForm,
    AnswerForm,
    DocumentForm,
    EventForm,
    ExplainForm,
    LotForm,
    OpportunityForm,
    QuestionForm,
    ReasonForm,
)
from ..models import Status
from ..permissions import commissioning_body_of
from ..rules import weights
from ..workflow import OPPORTUNITY_WORKFLOW, moves_offered, publication_problems, stage_of


def _opportunity(request, reference):
    return selectors.opportunity_get_for_commissioner(user=request.user, reference=reference)


def _draft_data(form: OpportunityForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("wards", None)
    data.pop("record", None)
    data["find_a_tender_reference"] = data.get("find_a_tender_reference") or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Start a draft tender or grant round."""
    bodies = selectors.commissioning_bodies_for(user=request.user)
    if not bodies:
        raise Http404
    records = records_startable_by(user=request.user, lead_body=bodies[0])
    form = OpportunityForm(
        posted(request),
        initial={
            "price_weight": 30,
            "value_includes_vat": True,
            "standard_items": [str(i) for i in DEFAULT_ITEMS],
            "record": request.GET.get("record", ""),
        },
        records=records,
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("record")
        try:
            opportunity = services.opportunity_create(
                actor=request.user,
                lead_commissioner=bodies[0],
                data=_draft_data(form),
                ward_codes=form.cleaned_data["wards"],
                record=next((r for r in records if r.reference == chosen), None),
            )
        except services.OpportunityError as error:
            refused_into(form, error)
        else:
            messages.success(
                request, f"Draft {opportunity.reference} saved. Add its lots, questions and an event next."
            )
            return redirect("opportunities:manage", opportunity.reference)
    return render(request, "opportunities/manage/details_form.html", {"form": form, "opportunity": None})


@login_required
def manage(request: HttpRequest, reference: str) -> HttpResponse:
    """The task list for one opportunity: what it is, and only the moves the workflow allows at its stage."""
    opportunity = _opportunity(request, reference)
    return render(
        request,
        "opportunities/manage/overview.html",
        {
            "opportunity": opportunity,
            "stage": stage_of(opportunity),
            "offered": moves_offered(opportunity, request.user),
            "weights": weights(opportunity),
            "problems": publication_problems(opportunity) if opportunity.status == Status.DRAFT else [],
            "waiting_questions": [c for c in opportunity.clarifications.all() if c.published_at is None],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Edit a draft's details."""
    opportunity = _opportunity(request, reference)
    if opportunity.status != Status.DRAFT:
        messages.error(request, "A published opportunity changes only through an amendment")
        return redirect("opportunities:manage", reference)
    initial = {name: getattr(opportunity, name) for name in services.DRAFT_FIELDS}
    initial["wards"] = [w.code for w in opportunity.wards.all()]
    form = OpportunityForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(
                actor=request.user,
                opportunity=opportunity,
                data=_draft_data(form),
                ward_codes=form.cleaned_data["wards"],
            )
        except services.OpportunityError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The details have been saved")
            return redirect("opportunities:manage", reference)
    return render(request, "opportunities/manage/details_form.html", {"form": form, "opportunity": opportunity})


def _part_initial(part, form_class) -> dict:
    """The form's starting values from a saved lot, question or event (wards by code)."""
    if part is None:
        return {}
    initial = {name: getattr(part, name) for name in form_class.base_fields if hasattr(part, name) and name != "wards"}
    if hasattr(part, "wards"):
        initial["wards"] = [w.code for w in part.wards.all()]
    return initial


def _part_delete(request, reference, *, delete, part_name, part):
    try:
        delete(actor=request.user, **{part_name: part})
    except services.OpportunityError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Removed")
    return redirect("opportunities:manage", reference)


def _part_form(request, reference, *, form_class, part_name, save, delete, items, number=None, template):
    opportunity = _opportunity(request, reference)
    part = None
    if number is not None:
        part = next((p for p in items(opportunity) if _key(p) == number), None)
        if part is None:
            raise Http404
    if request.method == "POST" and request.POST.get("action") == "delete" and part is not None:
        return _part_delete(request, reference, delete=delete, part_name=part_name, part=part)
    form = form_class(posted(request), initial=_part_initial(part, form_class))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        wards = data.pop("wards", None)
        kwargs = {"actor": request.user, "opportunity": opportunity, "data": data, part_name: part}
        if wards is not None:
            kwargs["ward_codes"] = wards
        try:
            save(**kwargs)
        except services.OpportunityError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, "Saved")
            return redirect("opportunities:manage", reference)
    return render(request, template, {"form": form, "opportunity": opportunity, "part": part})


def _key(part):
    return getattr(part, "number", None) or part.pk


@login_required
@require_http_methods(["GET", "POST"])
def lot(request: HttpRequest, reference: str, number: int | None = None) -> HttpResponse:
    """Add, change or remove a lot of a draft."""
    return _part_form(
        request,
        reference,
        form_class=LotForm,
        part_name="lot",
        save=services.lot_save,
        delete=services.lot_delete,
        items=lambda o: o.lots.all(),
        number=number,
        template="opportunities/manage/lot_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, reference: str, number: int | None = None) -> HttpResponse:
    """Add, change or remove a question of a draft."""
    return _part_form(
        request,
        reference,
        form_class=QuestionForm,
        part_name="question",
        save=services.question_save,
        delete=services.question_delete,
        items=lambda o: o.questions.all(),
        number=number,
        template="opportunities/manage/question_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def event(request: HttpRequest, reference: str, number: int | None = None) -> HttpResponse:
    """Add or change an engagement event; see who has booked."""
    return _part_form(
        request,
        reference,
        form_class=EventForm,
        part_name="event",
        save=services.event_save,
        delete=_event_delete,
        items=lambda o: o.events.all(),
        number=number,
        template="opportunities/manage/event_form.html",
    )


def _event_delete(*, actor, event):
    raise services.OpportunityError.on("", "An event cannot be removed once set; change it instead")


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


@login_required
@require_http_methods(["GET", "POST"])
def document(request: HttpRequest, reference: str) -> HttpResponse:
    """Attach a document (specification, terms, a form) to a draft."""
    opportunity = _opportunity(request, reference)
    form = DocumentForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(
                actor=request.user,
                opportunity=opportunity,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
            )
        except services.OpportunityError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The document has been attached")
            return redirect("opportunities:manage", reference)
    return render(request, "opportunities/manage/document_form.html", {"form": form, "opportunity": opportunity})
