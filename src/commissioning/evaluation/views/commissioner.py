"""The commissioner's evaluation pages: the overview, start, panel, moderation, prices, results,
recommendation, approval, send-back, award, standstill and award notice.

Each page loads the evaluation through ``evaluation_get_for_commissioner`` (404 for anyone but the
opportunity's commissioners), reads what it shows from :mod:`..page_selectors` and changes nothing
except through a service; a refusal shows the GOV.UK error summary with what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.frontend.forms import posted, refused_into
from commissioning.opportunities.selectors import opportunity_get_for_commissioner

from .. import page_selectors, scoring, selectors, services
from ..forms import (
    AppointForm,
    ClarificationForm,
    ModerationSheetForm,
)
from ..models import Evaluation, EvaluationStatus
from ..services import EvaluationError

SPREAD_TO_DISCUSS = 2  # individual scores this far apart are highlighted at moderation


def _evaluation(request: HttpRequest, reference: str) -> Evaluation:
    return selectors.evaluation_get_for_commissioner(user=request.user, reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, reference: str) -> HttpResponse:
    """Start the evaluation of an opportunity whose submissions are opened; the scale is fixed then."""
    page = page_selectors.start_page_for(user=request.user, reference=reference)
    if page.started:
        return redirect("evaluation:overview", reference)
    if request.method == "POST":
        try:
            services.evaluation_start(actor=request.user, opportunity=page.opportunity)
        except EvaluationError as error:
            messages.error(request, str(error))
            return redirect("evaluation:start", reference)
        messages.success(request, "The evaluation has started. Appoint the panel next.")
        return redirect("evaluation:panel", reference)
    return render(
        request,
        "evaluation/commissioning/start.html",
        {"opportunity": page.opportunity, "opening": page.opening, "scale": page.scale},
    )


@login_required
@require_GET
def overview(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the evaluation stands, and each step as a task."""
    try:
        evaluation = _evaluation(request, reference)
    except Http404:
        opportunity_get_for_commissioner(user=request.user, reference=reference)  # 404 for anyone else
        return redirect("evaluation:start", reference)
    tasks = page_selectors.task_list_for(evaluation=evaluation, user=request.user)
    return render(
        request,
        "evaluation/commissioning/overview.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "steps": tasks.steps,
            "bids": tasks.bids,
            "on_panel": tasks.on_panel,
            "may_conclude": services.may_conclude_contract(evaluation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel(request: HttpRequest, reference: str) -> HttpResponse:
    """Appoint and remove evaluators; see who has declared and who has submitted their scores."""
    evaluation = _evaluation(request, reference)
    scoring_open = evaluation.status == EvaluationStatus.SCORING
    candidates = selectors.panel_candidates_for(evaluation) if scoring_open else []
    form = AppointForm(posted(request) if request.POST.get("action") == "appoint" else None, candidates=candidates)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            panelist = page_selectors.panelist_on_panel(evaluation, request.POST.get("panelist"))
            try:
                services.panelist_remove(actor=request.user, panelist=panelist)
            except EvaluationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"{panelist.user.full_name} is no longer on the panel")
            return redirect("evaluation:panel", reference)
        if form.is_valid():
            chosen = next(m for m in candidates if str(m.user_id) == form.cleaned_data["user"])
            try:
                services.panelist_appoint(actor=request.user, evaluation=evaluation, user=chosen.user)
            except EvaluationError as error:
                refused_into(form, error)
            else:
                messages.success(
                    request,
                    f"{chosen.user.full_name} is on the panel. They declare any conflicts of interest "
                    "before they see a bid.",
                )
                return redirect("evaluation:panel", reference)
    panelists = page_selectors.panel_for(evaluation, with_declarations=True)
    return render(
        request,
        "evaluation/commissioning/panel.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "panelists": panelists,
            "form": form,
            "scoring_open": scoring_open,
            "has_candidates": bool(candidates),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderation(request: HttpRequest, reference: str) -> HttpResponse:
    """Every bid's sheet: each answer with every evaluator's score and justification side by side, the
    spread highlighted, and one form per bid that saves the consensus scores of all its answers at once."""
    evaluation = _evaluation(request, reference)
    editable = evaluation.status == EvaluationStatus.MODERATION
    sheets = selectors.moderation_sheet_for(evaluation)
    bound, bound_pk = None, None
    if request.method == "POST":
        if not editable:
            messages.error(request, "Scores can be moderated only while the evaluation is at moderation")
            return redirect("evaluation:moderation", reference)
        sheet = next((s for s in sheets if str(s.bid.submission.pk) == request.POST.get("sheet")), None)
        if sheet is None:
            raise Http404
        bound_pk = sheet.bid.submission.pk
        bound = _sheet_form(evaluation, sheet, request.POST)
        if bound.is_valid():
            try:
                saved = services.moderation_sheet_save(
                    actor=request.user, evaluation=evaluation, submission=sheet.bid.submission, answers=bound.answers()
                )
            except EvaluationError as error:
                numbers = {str(a.question.pk): a.question.number for a in sheet.answers}

                def by_number(name: str, numbers=numbers) -> str | None:
                    pk, _, part = name.rpartition("-")
                    return f"{part}-{numbers[pk]}" if pk in numbers else None

                refused_into(bound, error, names=by_number)
            else:
                name = sheet.bid.organisation.name
                messages.success(
                    request,
                    f"The consensus scores for {name} are saved ({len(saved)} changed)"
                    if saved
                    else f"Nothing was changed for {name}",
                )
                return redirect(reverse("evaluation:moderation", args=[reference]) + f"#bid-{bound_pk}")
    panel = page_selectors.panel_for(evaluation)
    forms_by_bid = {
        s.bid.submission.pk: (bound if s.bid.submission.pk == bound_pk else _sheet_form(evaluation, s))
        for s in sheets
        if editable
    }
    answers = sum(len(s.answers) for s in sheets)
    return render(
        request,
        "evaluation/commissioning/moderation.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "sheets": [(s, forms_by_bid.get(s.bid.submission.pk)) for s in sheets],
            "panel": panel,
            "editable": editable,
            "form": bound,
            "spread_to_discuss": SPREAD_TO_DISCUSS,
            "scale_max": evaluation.scale_max,
            "agreed": sum(s.agreed for s in sheets),
            "answers": answers,
            "waiting_for": [p for p in panel if p.scores_submitted_at is None],
        },
    )


def _sheet_form(evaluation: Evaluation, sheet, data=None) -> ModerationSheetForm:
    return ModerationSheetForm(
        data,
        prefix=f"m-{sheet.bid.submission.pk}",
        questions=[answer.question for answer in sheet.answers],
        scale=evaluation.scale,
        organisation=sheet.bid.organisation.name,
        initial=sheet.initial,
    )


def _clarification_forms(lots, clarifications, bound, bound_key) -> dict:
    """A clarification form for each abnormally low price, the one just posted kept as it was typed."""
    forms_by_row = {}
    for lot_prices in lots:
        for row in lot_prices.rows:
            if not row.abnormally_low:
                continue
            key = (row.bid.submission.pk, lot_prices.lot.pk)
            existing = clarifications.get(key)
            forms_by_row[key] = (
                bound
                if key == bound_key
                else ClarificationForm(
                    prefix=f"c-{key[0]}-{key[1]}",
                    initial={"note": existing.note, "accepted": "yes" if existing.accepted else "no"}
                    if existing
                    else None,
                )
            )
    return forms_by_row


@login_required
@require_http_methods(["GET", "POST"])
def prices(request: HttpRequest, reference: str) -> HttpResponse:
    """Each lot's prices, the abnormally low ones flagged, and what the bidder said when asked."""
    evaluation = _evaluation(request, reference)
    lots = selectors.prices_for(evaluation)
    editable = evaluation.status == EvaluationStatus.MODERATION
    bound, bound_key = None, None
    if request.method == "POST":
        if not editable:
            messages.error(request, "Prices can be clarified only while the evaluation is at moderation")
            return redirect("evaluation:prices", reference)
        lot, row = page_selectors.abnormally_low_row(lots, request.POST.get("row"))
        bound_key = (row.bid.submission.pk, lot.pk)
        bound = ClarificationForm(request.POST, prefix=f"c-{row.bid.submission.pk}-{lot.pk}")
        if bound.is_valid():
            try:
                services.price_clarify(
                    actor=request.user,
                    evaluation=evaluation,
                    submission=row.bid.submission,
                    lot=lot,
                    note=bound.cleaned_data["note"],
                    accepted=bound.cleaned_data["accepted"] == "yes",
                )
            except EvaluationError as error:
                refused_into(bound, error)
            else:
                messages.success(request, f"The clarification of {row.bid.organisation.name}'s price is recorded")
                return redirect("evaluation:prices", reference)
    clarifications = page_selectors.clarifications_for(evaluation)
    return render(
        request,
        "evaluation/commissioning/prices.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "lots": lots,
            "clarifications": clarifications,
            "forms_by_row": _clarification_forms(lots, clarifications, bound, bound_key) if editable else {},
            "editable": editable,
            "form": bound,
            "share_percent": int(scoring.DEFAULT_ABNORMAL_SHARE * 100),
        },
    )


@login_required
@require_GET
def results(request: HttpRequest, reference: str) -> HttpResponse:
    """Each lot's bids ranked, with every component of their scores shown."""
    evaluation = _evaluation(request, reference)
    return render(request, "evaluation/commissioning/results.html", page_selectors.results_sheet_for(evaluation))
