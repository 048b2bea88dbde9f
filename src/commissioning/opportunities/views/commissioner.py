"""Commissioners' pages for drafting an opportunity: start it, its details, lots, questions, events, documents.

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

from commissioning.evidence.standard_items import DEFAULT_ITEMS
from commissioning.frontend.forms import posted, refused_into
from commissioning.planning.handover import opportunity_prefill
from commissioning.records.selectors import records_startable_by

from .. import selectors, services
from ..forms import (
    DocumentForm,
    EventForm,
    LotForm,
    OpportunityForm,
    QuestionForm,
)
from ..models import Status
from ..rules import weights
from ..workflow import moves_offered, publication_problems, stage_of


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
    asked = next((r for r in records if r.reference == request.GET.get("record", "")), None)
    form = OpportunityForm(
        posted(request),
        initial={
            "price_weight": 30,
            "value_includes_vat": True,
            "standard_items": [str(i) for i in DEFAULT_ITEMS],
            "record": asked.reference if asked else "",
            # Started from an approved plan: what the plan already says, for the commissioner to check.
            **(opportunity_prefill(asked) if asked else {}),
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
