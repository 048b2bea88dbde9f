"""Commissioners' pipeline pages: their bodies' plans, drafts included; make, change, publish, approve,
withdraw; partners; overlaps and how they are co-ordinated.

Every page loads the plan through ``plan_get_for_commissioner`` (an overlap
through ``overlap_get_for_commissioner``), so someone who does not commission
it gets 404, and every change goes through a service.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.accounts.models import THIRD_SECTOR_FORMS, Organisation, OrganisationStatus, Role, Side
from commissioning.accounts.permissions import commissioning_at
from commissioning.audit.transitions import TransitionError
from commissioning.frontend.forms import posted, refused_into
from commissioning.needs.models import Assessment, AssessmentStatus
from commissioning.practice.catalogue import STEP_PLAN_APPROVE
from commissioning.practice.checks import evaluate
from commissioning.practice.permissions import confirmers_for
from commissioning.practice.selectors import explanations_latest_for
from commissioning.practice.services import ExplanationError, RuleGateClosed

from . import selectors, services
from .forms import ExplainForm, PartnerForm, PlanForm, ReasonForm, ResolveForm
from .models import Partner
from .permissions import is_plan_commissioner
from .views import partners_by_stage
from .workflow import EDITABLE, PUBLISHABLE, moves_offered


def _bodies(request: HttpRequest) -> list[Organisation]:
    bodies = [m.organisation for m in request.user.active_memberships if m.role == Role.COMMISSIONER]
    if not bodies:
        raise Http404
    return bodies


def _plan(request: HttpRequest, reference: str):
    return selectors.plan_get_for_commissioner(user=request.user, reference=reference)


def _assessments(body_ids) -> list[Assessment]:
    return list(
        Assessment.objects.filter(body_id__in=list(body_ids), status=AssessmentStatus.COMPLETED).order_by(
            "-completed_at"
        )
    )


def _plan_data(form: PlanForm) -> tuple[dict, list[str], list, Assessment | None]:
    data = dict(form.cleaned_data)
    wards = data.pop("wards", [])
    joint = list(data.pop("joint_bodies", []))
    chosen = data.pop("assessment", "")
    assessment = Assessment.objects.filter(pk=chosen).first() if chosen else None
    return data, wards, joint, assessment


@login_required
@require_GET
def manage_list(request: HttpRequest) -> HttpResponse:
    """The plans of the bodies the commissioner commissions for, drafts included, with their open overlaps."""
    bodies = _bodies(request)
    page = Paginator(selectors.plans_commissioned_by(user=request.user), settings.DASHBOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(plan, selectors.current_overlaps(plan)) for plan in page.object_list]
    return render(
        request,
        "planning/manage/list.html",
        {"page": page, "rows": rows, "overlaps": selectors.open_overlaps_for(bodies={b.pk for b in bodies})},
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Plan a piece of commissioning for the commissioner's body: its record and plan together, off the pipeline."""
    lead = _bodies(request)[0]
    form = PlanForm(
        posted(request),
        lead_body=lead,
        assessments=_assessments([lead.pk]),
        initial={"contact_name": request.user.full_name, "contact_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        data, wards, joint, assessment = _plan_data(form)
        try:
            plan = services.plan_create(
                actor=request.user,
                lead_body=lead,
                data=data,
                ward_codes=wards,
                joint_bodies=joint,
                assessment=assessment,
            )
        except services.PlanError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"{plan.record.reference} is saved. Put it on the pipeline when it is ready.")
            return redirect("planning:manage", plan.record.reference)
    return render(request, "planning/manage/form.html", {"form": form, "plan": None, "lead": lead})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Change a plan's facts while it is an idea, planned or approved."""
    plan = _plan(request, reference)
    if plan.status not in EDITABLE:
        messages.error(request, f"A plan that is {plan.get_status_display().lower()} can no longer be changed")
        return redirect("planning:manage", reference)
    record = plan.record
    initial = {
        "title": record.title,
        "summary": record.summary,
        "client_groups": record.client_groups,
        "service_area": plan.service_area,
        "city_wide": record.city_wide,
        "wards": [w.code for w in record.wards.all()],
        "estimated_value": record.estimated_value,
        "funding_type": plan.funding_type,
        "expected_advert": plan.expected_advert,
        "expected_start": record.expected_start,
        "expected_end": record.expected_end,
        "contact_name": plan.contact_name,
        "contact_email": plan.contact_email,
        "joint_bodies": record.bodies[1:],
        "assessment": str(plan.assessment_id or ""),
    }
    form = PlanForm(
        posted(request),
        lead_body=record.lead_body,
        assessments=_assessments(b.pk for b in record.bodies),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data, wards, joint, assessment = _plan_data(form)
        try:
            services.plan_update(
                actor=request.user, plan=plan, data=data, ward_codes=wards, joint_bodies=joint, assessment=assessment
            )
        except services.PlanError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, "The plan is saved")
            return redirect("planning:manage", reference)
    return render(request, "planning/manage/form.html", {"form": form, "plan": plan, "lead": record.lead_body})


@login_required
@require_GET
def manage(request: HttpRequest, reference: str) -> HttpResponse:
    """A plan's own page for its commissioners: its facts, status and what can be done next."""
    plan = _plan(request, reference)
    return render(
        request,
        "planning/manage/overview.html",
        {
            "plan": plan,
            "overlaps": selectors.current_overlaps(plan),
            "partners": partners_by_stage(plan),
            "moves": moves_offered(plan, request.user),
            "publishable": plan.published_at is None and plan.status in PUBLISHABLE,
            "editable": plan.status in EDITABLE,
            "gate": evaluate(plan, STEP_PLAN_APPROVE),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, reference: str) -> HttpResponse:
    """Put the plan on the pipeline; overlaps with other bodies' plans are flagged to both."""
    plan = _plan(request, reference)
    try:
        published = services.plan_publish(actor=request.user, plan=plan)
    except services.PlanError as error:
        messages.error(request, str(error))
        return redirect("planning:manage", reference)
    found = len(selectors.current_overlaps(selectors.plan_get_for_commissioner(user=request.user, reference=reference)))
    text = f"{published.record.reference} is on the pipeline"
    if found:
        text += f". It overlaps {found} other plan{'s' if found != 1 else ''}: both bodies have been told"
    messages.success(request, text)
    return redirect("planning:manage", reference)


@login_required
@require_POST
def mark_planned(request: HttpRequest, reference: str) -> HttpResponse:
    """An idea becomes planned."""
    plan = _plan(request, reference)
    try:
        services.plan_mark_planned(actor=request.user, plan=plan)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The plan is now planned")
    return redirect("planning:manage", reference)


def _explain(request: HttpRequest, plan, form: ExplainForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.plan_rule_explain(
            actor=request.user,
            plan=plan,
            rule_code=form.cleaned_data["rule"],
            reason=form.cleaned_data["reason"],
            confirmer=form.cleaned_data["confirmer"],
        )
    except (ExplanationError, services.PlanError) as error:
        for name, found in error.errors.items():
            for problem in [found] if isinstance(found, str) else found:
                form.add_error(name if name in ("reason", "confirmer") else None, problem)
        return False
    confirmer = form.cleaned_data["confirmer"]
    messages.success(
        request,
        f"Your explanation for {form.cleaned_data['rule']} has been sent to {confirmer.full_name or confirmer.email} "
        "to confirm. Until they confirm it, the rule does not count as explained.",
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check against the Code before approving: PL-1 and PL-4 met, explained or not met; explain; approve."""
    plan = _plan(request, reference)
    body = next(b for b in plan.record.bodies if b.pk in commissioning_at(request.user))
    explain_form = ExplainForm(
        posted(request) if request.POST.get("action") == "explain" else None,
        confirmers=confirmers_for(body=body, author=request.user),
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "explain" and _explain(request, plan, explain_form):
            return redirect("planning:check", reference)
        if action == "approve":
            try:
                services.plan_approve(actor=request.user, plan=plan)
            except (TransitionError, RuleGateClosed) as error:
                messages.error(request, str(error))
                return redirect("planning:check", reference)
            messages.success(request, f"{plan.record.reference} is approved")
            return redirect("planning:manage", reference)
    return render(
        request,
        "planning/manage/check.html",
        {
            "plan": plan,
            "gate": evaluate(plan, STEP_PLAN_APPROVE),
            "explanations": explanations_latest_for(obj=plan),
            "may_approve": "approve" in moves_offered(plan, request.user),
            "explain_form": explain_form,
            "explaining": request.POST.get("rule") if request.method == "POST" else request.GET.get("explain"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """Withdraw a plan that has not been advertised, with a reason."""
    plan = _plan(request, reference)
    if "withdraw" not in moves_offered(plan, request.user):
        messages.error(request, "A plan that has been advertised cannot be withdrawn: withdraw its opportunity")
        return redirect("planning:manage", reference)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_withdraw(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
        except services.PlanError as error:
            refused_into(form, error)
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{plan.record.reference} is withdrawn")
            return redirect("planning:manage", reference)
    return render(request, "planning/manage/withdraw.html", {"form": form, "plan": plan})


def _third_sector():
    return Organisation.objects.filter(
        side=Side.PROVIDER, legal_form__in=THIRD_SECTOR_FORMS, status=OrganisationStatus.VERIFIED
    ).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def partners(request: HttpRequest, reference: str) -> HttpResponse:
    """The plan's third-sector partners by stage (PL-4); name another."""
    plan = _plan(request, reference)
    form = PartnerForm(posted(request), organisations=_third_sector())
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_add(actor=request.user, plan=plan, **form.cleaned_data)
        except services.PlanError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['organisation'].name} is named as a partner")
            return redirect("planning:partners", reference)
    return render(
        request, "planning/manage/partners.html", {"plan": plan, "form": form, "partners": partners_by_stage(plan)}
    )


@login_required
@require_POST
def partner_remove(request: HttpRequest, reference: str, partner_id: int) -> HttpResponse:
    """Take a partner off the plan."""
    plan = _plan(request, reference)
    partner = Partner.objects.filter(pk=partner_id, plan=plan).select_related("organisation").first()
    if partner is None:
        raise Http404
    services.partner_remove(actor=request.user, partner=partner)
    messages.success(
        request, f"{partner.organisation.name} is no longer a partner in {partner.get_stage_display().lower()}"
    )
    return redirect("planning:partners", reference)


@login_required
@require_http_methods(["GET", "POST"])
def overlap(request: HttpRequest, overlap_id: int) -> HttpResponse:
    """Two plans that overlap, and how their bodies co-ordinate: record it (joint, aligned, or apart and why)."""
    found = selectors.overlap_get_for_commissioner(user=request.user, overlap_id=overlap_id)
    form = ResolveForm(posted(request), initial={"coordination": found.coordination or None, "note": found.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.overlap_resolve(actor=request.user, overlap=found, **form.cleaned_data)
        except services.PlanError as error:
            refused_into(form, error)
        else:
            messages.success(request, "How the two plans are co-ordinated is recorded")
            return redirect("planning:overlap", overlap_id)
    mine = found.first if is_plan_commissioner(request.user, found.first) else found.second
    return render(request, "planning/manage/overlap.html", {"overlap": found, "form": form, "mine": mine})
