"""Commissioners' pages for needs assessments: the list, writing one, its evidence, ward figures,
co-production, and checking it against the Code to complete it.

Every page loads the assessment through ``assessment_get_for_commissioner``,
so someone who does not commission for its body gets 404; every change goes
through a service. A completed assessment's pages for change send its
commissioners back to it, since it is read-only.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.accounts.models import Organisation
from commissioning.accounts.permissions import commissioning_at
from commissioning.frontend.forms import posted, refused_into
from commissioning.practice.checks import evaluate
from commissioning.practice.permissions import confirmers_for
from commissioning.practice.selectors import explanations_latest_for
from commissioning.practice.services import ExplanationError, RuleGateClosed

from . import selectors, services
from .forms import AssessmentForm, CoProductionForm, EvidenceForm, ExplainForm, FigureForm, FiguresUploadForm
from .models import Assessment, AssessmentStatus


def _assessment(request: HttpRequest, reference: str) -> Assessment:
    return selectors.assessment_get_for_commissioner(user=request.user, reference=reference)


def _draft(request: HttpRequest, reference: str) -> Assessment | None:
    """The commissioner's draft, or None (with a message) when it is completed and so read-only."""
    assessment = _assessment(request, reference)
    if assessment.status != AssessmentStatus.DRAFT:
        messages.error(request, f"{assessment.reference} is completed: it can no longer be changed")
        return None
    return assessment


def _refused(form, error: services.NeedsError, names: dict | None = None) -> None:
    refused_into(form, error, names=names)


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The assessments of the user's commissioning bodies, drafts first, with their evidence and co-production."""
    if not commissioning_at(request.user):
        raise Http404
    status = request.GET.get("status", "")
    status = status if status in AssessmentStatus.values else ""
    page = Paginator(
        selectors.assessments_commissioned_by(user=request.user, status=status), settings.DASHBOARD_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "needs/list.html",
        {"page": page, "status": status, "query_string": params.urlencode(), "statuses": AssessmentStatus.choices},
    )


def _bodies(user) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=commissioning_at(user)).order_by("name"))


def _assessment_data(form) -> tuple[dict, list[str]]:
    data = {k: form.cleaned_data.get(k) for k in services.ASSESSMENT_FIELDS}
    return data, list(form.cleaned_data.get("wards") or [])


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request: HttpRequest) -> HttpResponse:
    """Start a draft assessment for the user's commissioning body (the one they choose, if several)."""
    bodies = _bodies(request.user)
    if not bodies:
        raise Http404
    form = AssessmentForm(posted(request))
    chosen = next((b for b in bodies if str(b.pk) == request.POST.get("body")), None) if len(bodies) > 1 else bodies[0]
    if request.method == "POST" and form.is_valid():
        if chosen is None:
            form.add_error(None, "Choose the commissioning body the assessment is for")
        else:
            data, wards = _assessment_data(form)
            try:
                assessment = services.assessment_create(actor=request.user, body=chosen, data=data, ward_codes=wards)
            except services.NeedsError as error:
                _refused(form, error)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                messages.success(request, f"{assessment.reference} is saved as a draft. Add its evidence next.")
                return redirect("needs:assessment", assessment.reference)
    return render(
        request,
        "needs/assessment_form.html",
        {"form": form, "assessment": None, "bodies": bodies if len(bodies) > 1 else [], "chosen": chosen},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Change a draft's question, outcome area, wards, findings and needs."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    initial = {k: getattr(assessment, k) for k in services.ASSESSMENT_FIELDS} | {
        "wards": [w.code for w in assessment.wards.all()]
    }
    form = AssessmentForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data, wards = _assessment_data(form)
        try:
            services.assessment_update(actor=request.user, assessment=assessment, data=data, ward_codes=wards)
        except services.NeedsError as error:
            _refused(form, error)
        else:
            messages.success(request, "Your changes are saved")
            return redirect("needs:assessment", reference)
    return render(request, "needs/assessment_form.html", {"form": form, "assessment": assessment, "bodies": []})


@login_required
@require_GET
def assessment_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """The commissioner's view of an assessment: everything on it, with links to change a draft."""
    assessment = _assessment(request, reference)
    return render(
        request,
        "needs/assessment.html",
        {
            "page": selectors.assessment_page(assessment),
            "manage": assessment.status == AssessmentStatus.DRAFT,
            "commissioner": True,
            "gate": evaluate(assessment, services.STEP) if assessment.status == AssessmentStatus.DRAFT else None,
        },
    )


# ---------------------------------------------------------------------------
# Evidence


def _evidence_data(form) -> dict:
    return {k: form.cleaned_data.get(k) or "" for k in services.EVIDENCE_FIELDS} | {
        "dated": form.cleaned_data.get("dated")
    }


@login_required
@require_http_methods(["GET", "POST"])
def evidence_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Add a piece of evidence to a draft."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    form = EvidenceForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_add(
                actor=request.user,
                assessment=assessment,
                data=_evidence_data(form),
                upload=form.cleaned_data.get("document"),
            )
        except services.NeedsError as error:
            _refused(form, error)
        else:
            messages.success(request, f"The evidence from {form.cleaned_data['source']} is added")
            return redirect("needs:assessment", reference)
    return render(request, "needs/evidence_form.html", {"form": form, "assessment": assessment, "evidence": None})


@login_required
@require_http_methods(["GET", "POST"])
def evidence_edit(request: HttpRequest, reference: str, evidence_id: int) -> HttpResponse:
    """Change a piece of a draft's evidence."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    evidence = selectors.evidence_of(assessment, evidence_id)
    initial = {k: getattr(evidence, k) for k in services.EVIDENCE_FIELDS}
    form = EvidenceForm(posted(request), request.FILES or None, initial=initial, has_document=bool(evidence.document))
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_update(
                actor=request.user,
                evidence=evidence,
                data=_evidence_data(form),
                upload=form.cleaned_data.get("document"),
                remove_document=bool(form.cleaned_data.get("remove_document")),
            )
        except services.NeedsError as error:
            _refused(form, error)
        else:
            messages.success(request, "Your changes to the evidence are saved")
            return redirect("needs:assessment", reference)
    return render(request, "needs/evidence_form.html", {"form": form, "assessment": assessment, "evidence": evidence})


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request: HttpRequest, reference: str, evidence_id: int) -> HttpResponse:
    """Ask, then take a piece of evidence out of a draft."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    evidence = selectors.evidence_of(assessment, evidence_id)
    if request.method == "POST":
        services.evidence_remove(actor=request.user, evidence=evidence)
        messages.success(request, f"The evidence from {evidence.source} is removed")
        return redirect("needs:assessment", reference)
    return render(
        request,
        "needs/remove.html",
        {
            "assessment": assessment,
            "heading": f"Remove the evidence from {evidence.source}?",
            "text": evidence.shows,
            "back": redirect("needs:assessment", reference).url,
        },
    )


# ---------------------------------------------------------------------------
# Ward figures


@login_required
@require_http_methods(["GET", "POST"])
def figures(request: HttpRequest, reference: str) -> HttpResponse:
    """A draft's ward figures: add one by hand, upload a CSV, and see or remove what is held."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    action = request.POST.get("action") if request.method == "POST" else None
    figure_form = FigureForm(posted(request) if action == "add" else None)
    upload_form = FiguresUploadForm(
        posted(request) if action == "upload" else None, request.FILES if action == "upload" else None
    )
    result = None
    if action == "add" and figure_form.is_valid():
        try:
            data = figure_form.cleaned_data
            saved = services.ward_figure_add(
                actor=request.user,
                assessment=assessment,
                ward_code=data["ward"],
                indicator=data["indicator"],
                year=data["year"],
                value=data["value"],
            )
        except services.NeedsError as error:
            _refused(figure_form, error)
        else:
            f = saved.figure
            what = f"{f.indicator} for {f.ward.name} in {f.year}"
            if saved.replaced is not None:
                messages.success(
                    request,
                    f"{what} is now {selectors.shown_value(f.value)}: it replaced "
                    f"{selectors.shown_value(saved.replaced)}",
                )
            else:
                messages.success(request, f"{what} is saved")
            return redirect("needs:figures", reference)
    if action == "upload" and upload_form.is_valid():
        try:
            result = services.ward_figures_import(
                actor=request.user,
                assessment=assessment,
                upload=upload_form.cleaned_data["file"],
                mode=upload_form.cleaned_data["mode"],
            )
        except services.NeedsError as error:
            _refused(upload_form, error)
        else:
            assessment = _assessment(request, reference)
    return render(
        request,
        "needs/figures.html",
        {
            "assessment": assessment,
            "page": selectors.assessment_page(assessment),
            "figure_form": figure_form,
            "upload_form": upload_form,
            "form": figure_form if action == "add" else upload_form if action == "upload" else None,
            "result": result,
        },
    )


@login_required
@require_POST
def figure_remove(request: HttpRequest, reference: str, figure_id: int) -> HttpResponse:
    """Take one ward figure out of a draft."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    figure = selectors.figure_of(assessment, figure_id)
    services.ward_figure_remove(actor=request.user, figure=figure)
    messages.success(request, f"{figure.indicator} for {figure.ward.name} in {figure.year} is removed")
    return redirect("needs:figures", reference)


# ---------------------------------------------------------------------------
# Co-production for an assessment


def coproduction_data(form) -> tuple[dict, list]:
    """The service's arguments from a filled-in :class:`CoProductionForm`."""
    data = {k: form.cleaned_data.get(k) for k in services.COPRODUCTION_FIELDS}
    return data, list(form.cleaned_data.get("organisations") or [])


def coproduction_initial(activity) -> dict:
    """A co-production form's values from the activity it changes."""
    return {k: getattr(activity, k) for k in services.COPRODUCTION_FIELDS} | {
        "organisations": [o.pk for o in activity.organisations.all()]
    }


def _coproduction_form(request: HttpRequest, reference: str, activity_id: int | None) -> HttpResponse:
    """Record a co-production activity for a draft (``activity_id`` None), or change one of its activities."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    activity = selectors.activity_of(assessment, activity_id) if activity_id is not None else None
    form = CoProductionForm(posted(request), initial=coproduction_initial(activity) if activity else None)
    if request.method == "POST" and form.is_valid():
        data, organisations = coproduction_data(form)
        try:
            if activity is None:
                services.coproduction_add(
                    actor=request.user, assessment=assessment, data=data, organisations=organisations
                )
                done = f"\u201c{data['title']}\u201d is recorded"
            else:
                services.coproduction_update(
                    actor=request.user, activity=activity, data=data, organisations=organisations
                )
                done = "Your changes to the activity are saved"
        except services.NeedsError as error:
            _refused(form, error)
        else:
            messages.success(request, done)
            return redirect("needs:assessment", reference)
    return render(
        request,
        "needs/coproduction_form.html",
        {
            "form": form,
            "caption": f"{assessment.reference}: {assessment.title}",
            "back": redirect("needs:assessment", reference).url,
            "activity": activity,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def coproduction_new(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a co-production activity for a draft."""
    return _coproduction_form(request, reference, None)


@login_required
@require_http_methods(["GET", "POST"])
def coproduction_edit(request: HttpRequest, reference: str, activity_id: int) -> HttpResponse:
    """Change a co-production activity of a draft."""
    return _coproduction_form(request, reference, activity_id)


@login_required
@require_http_methods(["GET", "POST"])
def coproduction_remove(request: HttpRequest, reference: str, activity_id: int) -> HttpResponse:
    """Ask, then take a co-production activity out of a draft."""
    assessment = _draft(request, reference)
    if assessment is None:
        return redirect("needs:assessment", reference)
    activity = selectors.activity_of(assessment, activity_id)
    if request.method == "POST":
        services.coproduction_remove(actor=request.user, activity=activity)
        messages.success(request, f"\u201c{activity.title}\u201d is removed")
        return redirect("needs:assessment", reference)
    return render(
        request,
        "needs/remove.html",
        {
            "heading": f"Remove \u201c{activity.title}\u201d?",
            "text": activity.what_changed,
            "back": redirect("needs:assessment", reference).url,
        },
    )


# ---------------------------------------------------------------------------
# Check against the Code, explain, complete


def _explain(request, assessment, explain_form) -> bool:
    """Record the posted explanation; False (with the errors on the form) when it is refused."""
    if not explain_form.is_valid():
        return False
    try:
        services.assessment_rule_explain(
            actor=request.user,
            assessment=assessment,
            rule_code=explain_form.cleaned_data["rule"],
            reason=explain_form.cleaned_data["reason"],
            confirmer=explain_form.cleaned_data["confirmer"],
        )
    except (ExplanationError, services.NeedsError) as error:
        for name, found in error.errors.items():
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
    """Check against the Code: each rule met, not met, explained or waiting; explain; complete."""
    assessment = _assessment(request, reference)
    confirmers = confirmers_for(body=assessment.body, author=request.user)
    action = request.POST.get("action") if request.method == "POST" else None
    explain_form = ExplainForm(posted(request) if action == "explain" else None, confirmers=confirmers)
    if action == "explain" and _explain(request, assessment, explain_form):
        return redirect("needs:check", reference)
    if action == "complete":
        try:
            services.assessment_complete(actor=request.user, assessment=assessment)
        except (services.NeedsError, RuleGateClosed) as error:
            messages.error(request, str(error))
            return redirect("needs:check", reference)
        messages.success(request, f"{assessment.reference} is completed and published")
        return redirect("needs:assessment", reference)
    draft = assessment.status == AssessmentStatus.DRAFT
    return render(
        request,
        "needs/check.html",
        {
            "assessment": assessment,
            "gate": evaluate(assessment, services.STEP),
            "explanations": explanations_latest_for(obj=assessment),
            "problems": services.completion_problems(assessment) if draft else [],
            "explain_form": explain_form,
            "explaining": request.POST.get("rule") if request.method == "POST" else request.GET.get("explain"),
            "draft": draft,
        },
    )
