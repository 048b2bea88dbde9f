"""Evaluation pages: the commissioner's (panel, moderation, prices, results, recommendation, approval,
award, standstill), the evaluator's (declare, score, check and submit) and the administrator's scale.

Commissioners' pages load the evaluation through
``evaluation_get_for_commissioner``; evaluators' pages load their own place
on the panel through ``panelist_get_for`` and a bid through
``bid_for_panelist``: anyone else, and any conflicted bid, gets 404. Every
change goes through a service; a refusal shows the GOV.UK error summary with
what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.frontend.access import administrator_required
from commissioning.frontend.forms import posted, refusal_form, refused_into
from commissioning.opportunities.selectors import opportunity_get_for_commissioner
from commissioning.submissions.models import Opening

from . import events, progress, scoring, selectors, services
from .forms import (
    AppointForm,
    AwardForm,
    AwardNoticeForm,
    ClarificationForm,
    DeclarationsForm,
    ModerationSheetForm,
    ReasonForm,
    RecommendForm,
    ScaleForm,
    ScoresForm,
    scale_items,
)
from .models import Evaluation, EvaluationStatus, ScaleLevel
from .permissions import PANEL_ROLES
from .progress import Step
from .services import EvaluationError
from .standstill import rule_in_words

SPREAD_TO_DISCUSS = 2  # individual scores this far apart are highlighted at moderation


def _evaluation(request: HttpRequest, reference: str) -> Evaluation:
    return selectors.evaluation_get_for_commissioner(user=request.user, reference=reference)


def _answers(bid) -> dict[int, str]:
    return {answer["question"]: answer["text"] for answer in bid.document.get("answers", [])}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in (text or "").split("\n\n") if p.strip()]


def _scale_label(evaluation: Evaluation, score: int | None) -> str:
    for level in evaluation.scale:
        if level["score"] == score:
            return f"{score}: {level['label']}"
    return "" if score is None else str(score)


# The commissioner's pages ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, reference: str) -> HttpResponse:
    """Start the evaluation of an opportunity whose submissions are opened; the scale is fixed then."""
    opportunity = opportunity_get_for_commissioner(user=request.user, reference=reference)
    if Evaluation.objects.filter(opportunity=opportunity).exists():
        return redirect("evaluation:overview", reference)
    opening = Opening.objects.filter(opportunity=opportunity).first()
    if request.method == "POST":
        try:
            services.evaluation_start(actor=request.user, opportunity=opportunity)
        except EvaluationError as error:
            messages.error(request, str(error))
            return redirect("evaluation:start", reference)
        messages.success(request, "The evaluation has started. Appoint the panel next.")
        return redirect("evaluation:panel", reference)
    return render(
        request,
        "evaluation/commissioning/start.html",
        {"opportunity": opportunity, "opening": opening, "scale": list(ScaleLevel.objects.all())},
    )


def _steps(evaluation: Evaluation, panel, moderated: int, answers: int) -> list[Step]:
    """The overview's tasks, each in the state its own page reads (see :mod:`.progress`), then those later
    stages add (:data:`.events.overview_tasks`)."""
    reference = evaluation.opportunity.reference

    def url(name):
        return reverse(f"evaluation:{name}", args=[reference])

    return [
        Step(
            "Appoint the panel",
            url("panel"),
            progress.panel_state(panel),
            "Evaluators declare any conflicts of interest, then score each answer",
        ),
        Step("Scoring", url("panel"), progress.scoring_state(evaluation, panel)),
        Step(
            "Moderate the scores",
            url("moderation"),
            progress.moderation_state(evaluation, moderated, answers),
            "Agree a consensus score for each answer, with the rationale",
        ),
        Step(
            "Check the prices",
            url("prices"),
            progress.prices_state(evaluation),
            "Abnormally low prices are clarified with the bidder",
        ),
        Step("Results for each lot", url("results"), progress.results_state(evaluation)),
        Step("Recommend the award", url("recommend"), progress.recommendation_state(evaluation)),
        Step("Approval by a second commissioner", url("approve"), progress.approval_state(evaluation)),
        Step("Make the award decision", url("award"), progress.award_state(evaluation)),
        Step(
            "Standstill",
            url("standstill"),
            progress.standstill_state(evaluation),
            "The contract cannot be concluded until it ends",
        ),
    ] + [step for steps in events.overview_tasks.call(evaluation) for step in steps]


@login_required
@require_GET
def overview(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the evaluation stands, and each step as a task."""
    try:
        evaluation = _evaluation(request, reference)
    except Http404:
        opportunity_get_for_commissioner(user=request.user, reference=reference)  # 404 for anyone else
        return redirect("evaluation:start", reference)
    panel = list(evaluation.panelists.select_related("user"))
    bids = selectors.bids_for(evaluation)
    answers = len(bids) * evaluation.opportunity.questions.count()
    moderated = evaluation.moderated.count()
    mine = next((p for p in panel if p.user_id == request.user.pk), None)
    return render(
        request,
        "evaluation/commissioning/overview.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "steps": _steps(evaluation, panel, moderated, answers),
            "bids": len(bids),
            "on_panel": mine,
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
            panelist = evaluation.panelists.select_related("user").filter(pk=request.POST.get("panelist") or 0).first()
            if panelist is None:
                raise Http404
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
    panelists = list(
        evaluation.panelists.select_related("user").prefetch_related("declarations__submission__organisation")
    )
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
    panel = list(evaluation.panelists.select_related("user"))
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
        submission_pk, _, lot_pk = (request.POST.get("row") or "").partition("-")
        found = next(
            (
                (lot_prices.lot, row)
                for lot_prices in lots
                for row in lot_prices.rows
                if row.abnormally_low
                and str(row.bid.submission.pk) == submission_pk
                and str(lot_prices.lot.pk) == lot_pk
            ),
            None,
        )
        if found is None:
            raise Http404
        lot, row = found
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
    clarifications = {(c.submission_id, c.lot_id): c for c in evaluation.clarifications.select_related("recorded_by")}
    forms_by_row = {}
    if editable:
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
    return render(
        request,
        "evaluation/commissioning/prices.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "lots": lots,
            "clarifications": clarifications,
            "forms_by_row": forms_by_row,
            "editable": editable,
            "form": bound,
            "share_percent": int(scoring.DEFAULT_ABNORMAL_SHARE * 100),
        },
    )


def _results_context(evaluation: Evaluation) -> dict:
    opportunity = evaluation.opportunity
    questions = list(opportunity.questions.all())
    clarifications = {(c.submission_id, c.lot_id): c for c in evaluation.clarifications.all()}
    lots = []
    for lot_results in selectors.results_for(evaluation):
        rows = []
        for result in lot_results.results:
            bid = lot_results.bids[result.key]
            rows.append(
                {
                    "result": result,
                    "bid": bid,
                    "price": bid.price_for(lot_results.lot.number),
                    "components": [result.components[str(q.pk)] for q in questions],
                    "clarification": clarifications.get((bid.submission.pk, lot_results.lot.pk)),
                }
            )
        lots.append({"lot": lot_results.lot, "rows": rows, "missing": lot_results.missing, "results": lot_results})
    return {
        "opportunity": opportunity,
        "evaluation": evaluation,
        "questions": questions,
        "lots": lots,
        "clarifications": clarifications,
        "priced": opportunity.price_weight > 0,
    }


@login_required
@require_GET
def results(request: HttpRequest, reference: str) -> HttpResponse:
    """Each lot's bids ranked, with every component of their scores shown."""
    evaluation = _evaluation(request, reference)
    return render(request, "evaluation/commissioning/results.html", _results_context(evaluation))


def _level_at_top(lot_results, clarifications) -> list:
    """The bids level on every tie-break at the top of a lot, among those that may win (as ``recommend``)."""
    eligible = [
        r
        for r in lot_results.results
        if not (
            r.abnormally_low and not getattr(clarifications.get((int(r.key), lot_results.lot.pk)), "accepted", False)
        )
    ]
    if not eligible:
        return []
    top = [r for r in eligible if r.rank == eligible[0].rank]
    return [lot_results.bids[r.key] for r in top] if len(top) > 1 else []


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request: HttpRequest, reference: str) -> HttpResponse:
    """Recommend the outcome: the ranking per lot, a choice where bids are level at the top, and for a
    grant round a decision on each application (approve with an amount, or decline, with the reason)."""
    evaluation = _evaluation(request, reference)
    context = _results_context(evaluation)
    grant = evaluation.opportunity.kind == "grant"
    clarifications = context["clarifications"]
    ties, applications = [], []
    for entry in context["lots"]:
        lot_results = entry["results"]
        if grant:
            applications.extend((lot_results.lot, lot_results.bids[r.key], r) for r in lot_results.results)
        elif lot_results.results:
            level = _level_at_top(lot_results, clarifications)
            if level:
                ties.append((lot_results.lot, level))
    editable = evaluation.status == EvaluationStatus.MODERATION
    form = RecommendForm(posted(request) if editable else None, ties=ties, applications=applications)
    if request.method == "POST":
        if not editable:
            messages.error(request, "A recommendation can be made only while the evaluation is at moderation")
            return redirect("evaluation:recommend", reference)
        if form.is_valid():
            try:
                services.evaluation_recommend(
                    actor=request.user,
                    evaluation=evaluation,
                    note=form.cleaned_data["note"],
                    tie_winners=form.tie_winners(),
                    grant_decisions=form.grant_decisions() if grant else None,
                )
            except EvaluationError as error:
                refused_into(form, error)
            else:
                messages.success(request, "Your recommendation is made. A different commissioner must now approve it.")
                return redirect("evaluation:approve", reference)
    missing = [m for entry in context["lots"] for m in entry["missing"]]
    return render(
        request,
        "evaluation/commissioning/recommend.html",
        context
        | {
            "form": form,
            "editable": editable,
            "grant": grant,
            "missing": missing,
            "decisions": list(evaluation.decisions.select_related("lot", "organisation")),
        },
    )


def _decisions_context(evaluation: Evaluation) -> dict:
    return {
        "opportunity": evaluation.opportunity,
        "evaluation": evaluation,
        "decisions": list(evaluation.decisions.select_related("lot", "organisation")),
        "grant": evaluation.opportunity.kind == "grant",
    }


@login_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, reference: str) -> HttpResponse:
    """A second commissioner approves the recommendation; the one who made it is told plainly they cannot."""
    evaluation = _evaluation(request, reference)
    refused = None
    if request.method == "POST":
        try:
            services.evaluation_approve(actor=request.user, evaluation=evaluation)
        except EvaluationError as error:
            refused = refusal_form(error)
        else:
            messages.success(request, "The recommendation is approved. The award decision can now be made.")
            return redirect("evaluation:award", reference)
    return render(
        request,
        "evaluation/commissioning/approve.html",
        _decisions_context(evaluation)
        | {
            "form": refused,
            "is_recommender": evaluation.recommended_by_id == request.user.pk,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def send_back(request: HttpRequest, reference: str) -> HttpResponse:
    """Send the recommendation back to moderation, with the reason; its decisions are withdrawn."""
    evaluation = _evaluation(request, reference)
    may_send_back = evaluation.status in (EvaluationStatus.RECOMMENDED, EvaluationStatus.APPROVED)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_send_back(actor=request.user, evaluation=evaluation, reason=form.cleaned_data["reason"])
        except EvaluationError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The recommendation has gone back to moderation")
            return redirect("evaluation:overview", reference)
    return render(
        request,
        "evaluation/commissioning/send_back.html",
        {"opportunity": evaluation.opportunity, "evaluation": evaluation, "form": form, "may_send_back": may_send_back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def award(request: HttpRequest, reference: str) -> HttpResponse:
    """Make the award decision. The regime's rule sets the standstill and how it is counted; where it is
    voluntary (below the threshold) the commissioner sets its length."""
    evaluation = _evaluation(request, reference)
    rule = services.standstill_rule_for(evaluation.opportunity.regime)
    voluntary = bool(rule and rule.voluntary)
    fixed_days = rule.working_days if rule else 0
    form = AwardForm(
        posted(request),
        voluntary=voluntary and evaluation.status == EvaluationStatus.APPROVED,
        max_days=rule.max_working_days if rule else 0,
        initial={"standstill_days": fixed_days},
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_award(
                actor=request.user, evaluation=evaluation, standstill_days=form.cleaned_data.get("standstill_days")
            )
        except EvaluationError as error:
            refused_into(form, error)
        else:
            if evaluation.awaiting_notice:
                messages.success(
                    request,
                    "The award decision is made. The standstill starts when the "
                    f"{evaluation.standstill_rule.get('notice') or 'award notice'} is published: record it here then.",
                )
            else:
                messages.success(request, "The award decision is made. No standstill applies.")
            return redirect("evaluation:standstill", reference)
    return render(
        request,
        "evaluation/commissioning/award.html",
        _decisions_context(evaluation)
        | {
            "form": form,
            "voluntary": voluntary,
            "fixed_days": fixed_days,
            "rule": rule,
            "rule_words": (
                rule_in_words(rule.snapshot(), None if voluntary else fixed_days)
                if rule and (voluntary or fixed_days)
                else ""
            ),
            "regime": evaluation.opportunity.get_regime_display(),
        },
    )


@login_required
@require_GET
def standstill(request: HttpRequest, reference: str) -> HttpResponse:
    """The standstill countdown: the rule it is counted by, whether it has started (the award notice's
    publication is recorded), working days left, the moment it ends, and whether the contract may be
    concluded."""
    evaluation = _evaluation(request, reference)
    return render(
        request,
        "evaluation/commissioning/standstill.html",
        _decisions_context(evaluation) | selectors.standstill_countdown_for(evaluation=evaluation),
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_notice(request: HttpRequest, reference: str) -> HttpResponse:
    """Record when the award notice (or notice of intention to award) was published: the standstill
    is counted from then."""
    evaluation = _evaluation(request, reference)
    form = AwardNoticeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.award_notice_record(
                actor=request.user,
                evaluation=evaluation,
                published_at=form.cleaned_data["published_at"],
                reference=form.cleaned_data["reference"],
            )
        except EvaluationError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The notice's publication is recorded. The standstill has started.")
            return redirect("evaluation:standstill", reference)
    notice = (evaluation.standstill_rule or {}).get("notice") or "award notice"
    return render(
        request,
        "evaluation/commissioning/award_notice.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "form": form,
            "notice": notice,
            "may_record": evaluation.awaiting_notice,
            "rule_words": (
                rule_in_words(evaluation.standstill_rule, evaluation.standstill_days)
                if evaluation.standstill_days
                else ""
            ),
        },
    )


# The evaluator's pages ------------------------------------------------------------


@login_required
@require_GET
def panels(request: HttpRequest) -> HttpResponse:
    """The panels you sit on, and what you have left to do on each."""
    places = selectors.panel_places_for(user=request.user)
    if not places and not request.user.has_role(*PANEL_ROLES):
        raise Http404
    return render(request, "evaluation/panelist/panels.html", {"places": places})


def _place(request: HttpRequest, reference: str):
    return selectors.panelist_get_for(user=request.user, reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, reference: str) -> HttpResponse:
    """Declare any conflict of interest with each bidder, before seeing any bid; then the bids to score."""
    panelist = _place(request, reference)
    evaluation = panelist.evaluation
    opportunity = evaluation.opportunity
    if panelist.declared_at is None:
        bids = selectors.bids_for(evaluation)
        open_to_declare = evaluation.status == EvaluationStatus.SCORING
        form = DeclarationsForm(posted(request) if open_to_declare else None, bids=bids)
        if request.method == "POST" and open_to_declare and form.is_valid():
            try:
                services.conflicts_declare(actor=request.user, panelist=panelist, declarations=form.declarations())
            except EvaluationError as error:
                refused_into(form, error)
            else:
                messages.success(request, "Your declarations are recorded. You can now read and score the bids.")
                return redirect("evaluation:place", reference)
        return render(
            request,
            "evaluation/panelist/declare.html",
            {"opportunity": opportunity, "evaluation": evaluation, "form": form, "open_to_declare": open_to_declare},
        )
    if request.method == "POST":
        return redirect("evaluation:place", reference)
    visible = selectors.bids_visible_to_panelist(panelist)
    conflicted = list(panelist.declarations.filter(conflicted=True).select_related("submission__organisation"))
    questions = opportunity.questions.count()
    scored: dict[int, int] = {}
    for submission_id in panelist.scores.values_list("submission_id", flat=True):
        scored[submission_id] = scored.get(submission_id, 0) + 1
    return render(
        request,
        "evaluation/panelist/place.html",
        {
            "opportunity": opportunity,
            "evaluation": evaluation,
            "panelist": panelist,
            "bids": [(bid, scored.get(bid.submission.pk, 0)) for bid in visible],
            "conflicted": conflicted,
            "questions": questions,
            "all_scored": all(scored.get(bid.submission.pk, 0) >= questions for bid in visible),
            "may_score": evaluation.status == EvaluationStatus.SCORING and panelist.scores_submitted_at is None,
        },
    )


def _declared_or_back(request: HttpRequest, panelist):
    if panelist.declared_at is None:
        messages.error(request, "Declare any conflicts of interest with the bidders before you see the bids")
        return redirect("evaluation:place", panelist.evaluation.opportunity.reference)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def bid(request: HttpRequest, reference: str, public_id) -> HttpResponse:
    """One bid's answers, each with the published scale and your score and justification; after you have
    submitted, the other evaluators' scores beside yours."""
    panelist = _place(request, reference)
    if back := _declared_or_back(request, panelist):
        return back
    shown = selectors.bid_for_panelist(panelist, public_id)
    evaluation = panelist.evaluation
    opportunity = evaluation.opportunity
    questions = list(opportunity.questions.all())
    mine = {s.question_id: s for s in panelist.scores.filter(submission=shown.submission)}
    editable = evaluation.status == EvaluationStatus.SCORING and panelist.scores_submitted_at is None
    initial = {}
    for question in questions:
        if question.pk in mine:
            initial[f"score-{question.number}"] = mine[question.pk].score
            initial[f"justification-{question.number}"] = mine[question.pk].justification
    form = ScoresForm(
        posted(request) if editable else None, questions=questions, scale=evaluation.scale, initial=initial
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, "Your scores are submitted and can no longer change")
            return redirect("evaluation:bid", reference, public_id)
        # Field by field: each answer whose score and justification are well formed is saved, so
        # nothing typed is lost; the others come back with their messages.
        form.is_valid()
        for question, score, justification in form.given():
            try:
                services.score_save(
                    actor=request.user,
                    panelist=panelist,
                    submission=shown.submission,
                    question=question,
                    score=score,
                    justification=justification,
                )
            except EvaluationError as error:
                fields = {"score": f"score-{question.number}", "justification": f"justification-{question.number}"}
                for name, problems in error.errors.items():
                    for problem in problems:
                        form.add_error(
                            fields.get(name), f"Question {question.number}: {problem[:1].lower()}{problem[1:]}"
                        )
        if not form.errors:
            messages.success(request, f"Your scores for {shown.organisation.name} are saved")
            if request.POST.get("action") == "next":
                return redirect(_next_after(request, panelist, shown))
            return redirect("evaluation:place", reference)
    others: dict[int, list] = {}
    for score in selectors.others_scores_for_panelist(panelist):
        if score.submission_id == shown.submission.pk:
            others.setdefault(score.question_id, []).append(score)
    texts = _answers(shown)
    rows = [
        {
            "question": question,
            "paragraphs": _paragraphs(texts.get(question.number, "")),
            "score": form[f"score-{question.number}"],
            "justification": form[f"justification-{question.number}"],
            "items": scale_items(form[f"score-{question.number}"], evaluation.scale),
            "mine": mine.get(question.pk),
            "mine_label": _scale_label(evaluation, mine[question.pk].score) if question.pk in mine else "",
            "others": [
                {
                    "name": s.panelist.user.full_name,
                    "label": _scale_label(evaluation, s.score),
                    "score": s,
                    "justification": s.justification,
                }
                for s in others.get(question.pk, [])
            ],
        }
        for question in questions
    ]
    lot_titles = {lot.number: lot.title for lot in opportunity.lots.all()}
    return render(
        request,
        "evaluation/panelist/bid.html",
        {
            "opportunity": opportunity,
            "evaluation": evaluation,
            "panelist": panelist,
            "shown": shown,
            "lots": [(lot["number"], lot_titles.get(lot["number"], lot["title"])) for lot in shown.document["lots"]],
            "rows": rows,
            "form": form,
            "editable": editable,
            "submitted": panelist.scores_submitted_at is not None,
        },
    )


def _next_after(request: HttpRequest, panelist, shown) -> str:
    """The next bid with an answer still to score, or the check page when none is left."""
    reference = panelist.evaluation.opportunity.reference
    visible = selectors.bids_visible_to_panelist(panelist)
    questions = panelist.evaluation.opportunity.questions.count()
    counts: dict[int, int] = {}
    for submission_id in panelist.scores.values_list("submission_id", flat=True):
        counts[submission_id] = counts.get(submission_id, 0) + 1
    keys = [b.submission.pk for b in visible]
    start_at = keys.index(shown.submission.pk) + 1 if shown.submission.pk in keys else 0
    for candidate in visible[start_at:] + visible[:start_at]:
        if counts.get(candidate.submission.pk, 0) < questions:
            return reverse("evaluation:bid", args=[reference, candidate.submission.public_id])
    return reverse("evaluation:check", args=[reference])


@login_required
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, reference: str) -> HttpResponse:
    """Check your scores, then submit them: after that they cannot change, and you see the others'."""
    panelist = _place(request, reference)
    if back := _declared_or_back(request, panelist):
        return back
    evaluation = panelist.evaluation
    refused = None
    if request.method == "POST":
        try:
            services.scores_submit(actor=request.user, panelist=panelist)
        except EvaluationError as error:
            refused = refusal_form(error)
        else:
            messages.success(
                request, "Your scores are submitted. You can now see the other evaluators' scores beside yours."
            )
            return redirect("evaluation:place", reference)
    questions = list(evaluation.opportunity.questions.all())
    mine = {(s.submission_id, s.question_id): s for s in panelist.scores.all()}
    sections = []
    for shown in selectors.bids_visible_to_panelist(panelist):
        rows = []
        for question in questions:
            score = mine.get((shown.submission.pk, question.pk))
            rows.append(
                {
                    "question": question,
                    "score": score,
                    "label": _scale_label(evaluation, score.score) if score else "",
                }
            )
        sections.append({"bid": shown, "rows": rows, "missing": sum(1 for r in rows if r["score"] is None)})
    return render(
        request,
        "evaluation/panelist/check.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "panelist": panelist,
            "sections": sections,
            "form": refused,
            "missing": sum(s["missing"] for s in sections),
            "may_submit": evaluation.status == EvaluationStatus.SCORING and panelist.scores_submitted_at is None,
        },
    )


# The administrator's page ---------------------------------------------------------


@administrator_required
@require_http_methods(["GET", "POST"])
def scale(request: HttpRequest) -> HttpResponse:
    """The published scoring scale: the label and the descriptor of each score."""
    levels = list(ScaleLevel.objects.all())
    form = ScaleForm(
        posted(request),
        levels=levels,
        initial={
            **{f"label-{level.score}": level.label for level in levels},
            **{f"descriptor-{level.score}": level.descriptor for level in levels},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.scale_update(actor=request.user, levels=form.levels_given())
        except EvaluationError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The scoring scale is saved. Evaluations started from now on use it.")
            return redirect("evaluation:scale")
    return render(request, "evaluation/administration/scale.html", {"form": form})
