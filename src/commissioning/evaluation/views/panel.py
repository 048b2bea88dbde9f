"""The evaluator's pages: the panels they sit on, their place on one (declare, then the bids), one bid
to score, and the check before submitting.

Each page loads the evaluator's own place on the panel through ``panelist_get_for`` and a bid through
``bid_for_panelist``: anyone else, and any conflicted bid, gets 404. What an evaluator sees of the
others' scores is decided by the selectors alone. Every change goes through a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.frontend.forms import posted, refusal_form, refused_into

from .. import page_selectors, selectors, services
from ..forms import DeclarationsForm, ScoresForm, scale_items
from ..models import EvaluationStatus, Panelist
from ..permissions import PANEL_ROLES
from ..services import EvaluationError


@login_required
@require_GET
def panels(request: HttpRequest) -> HttpResponse:
    """The panels you sit on, and what you have left to do on each."""
    places = selectors.panel_places_for(user=request.user)
    if not places and not request.user.has_role(*PANEL_ROLES):
        raise Http404
    return render(request, "evaluation/panelist/panels.html", {"places": places})


def _place(request: HttpRequest, reference: str) -> Panelist:
    return selectors.panelist_get_for(user=request.user, reference=reference)


def _may_score(panelist: Panelist) -> bool:
    return panelist.evaluation.status == EvaluationStatus.SCORING and panelist.scores_submitted_at is None


def _declare(request: HttpRequest, panelist: Panelist) -> HttpResponse:
    """Declare any conflict of interest with each bidder, before seeing any bid."""
    evaluation = panelist.evaluation
    open_to_declare = evaluation.status == EvaluationStatus.SCORING
    form = DeclarationsForm(posted(request) if open_to_declare else None, bids=selectors.bids_for(evaluation))
    if request.method == "POST" and open_to_declare and form.is_valid():
        try:
            services.conflicts_declare(actor=request.user, panelist=panelist, declarations=form.declarations())
        except EvaluationError as error:
            refused_into(form, error)
        else:
            messages.success(request, "Your declarations are recorded. You can now read and score the bids.")
            return redirect("evaluation:place", evaluation.opportunity.reference)
    return render(
        request,
        "evaluation/panelist/declare.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "form": form,
            "open_to_declare": open_to_declare,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def place(request: HttpRequest, reference: str) -> HttpResponse:
    """Declare any conflict of interest with each bidder, before seeing any bid; then the bids to score."""
    panelist = _place(request, reference)
    if panelist.declared_at is None:
        return _declare(request, panelist)
    if request.method == "POST":
        return redirect("evaluation:place", reference)
    mine = page_selectors.panel_place_for(panelist)
    return render(
        request,
        "evaluation/panelist/place.html",
        {
            "opportunity": panelist.evaluation.opportunity,
            "evaluation": panelist.evaluation,
            "panelist": panelist,
            "bids": mine.bids,
            "conflicted": mine.conflicted,
            "questions": mine.questions,
            "all_scored": mine.all_scored,
            "may_score": _may_score(panelist),
        },
    )


def _declared_or_back(request: HttpRequest, panelist):
    if panelist.declared_at is None:
        messages.error(request, "Declare any conflicts of interest with the bidders before you see the bids")
        return redirect("evaluation:place", panelist.evaluation.opportunity.reference)
    return None


def _save_scores(request: HttpRequest, panelist: Panelist, shown, form: ScoresForm) -> None:
    """Field by field: each answer whose score and justification are well formed is saved, so nothing
    typed is lost; the others come back on ``form`` with their messages."""
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
                    form.add_error(fields.get(name), f"Question {question.number}: {problem[:1].lower()}{problem[1:]}")


def _rows(evaluation, sheet, form: ScoresForm) -> list[dict]:
    """Each question of the bid with its answer, the scores form's fields, your score and the others'."""
    label = selectors.scale_label
    return [
        {
            "question": question,
            "paragraphs": sheet.paragraphs[question.pk],
            "score": form[f"score-{question.number}"],
            "justification": form[f"justification-{question.number}"],
            "items": scale_items(form[f"score-{question.number}"], evaluation.scale),
            "mine": sheet.mine.get(question.pk),
            "mine_label": label(evaluation, sheet.mine[question.pk].score) if question.pk in sheet.mine else "",
            "others": [
                {
                    "name": s.panelist.user.full_name,
                    "label": label(evaluation, s.score),
                    "score": s,
                    "justification": s.justification,
                }
                for s in sheet.others.get(question.pk, [])
            ],
        }
        for question in sheet.questions
    ]


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
    sheet = page_selectors.bid_sheet_for(panelist, shown)
    editable = _may_score(panelist)
    form = ScoresForm(
        posted(request) if editable else None,
        questions=sheet.questions,
        scale=evaluation.scale,
        initial=sheet.initial(),
    )
    if request.method == "POST":
        if not editable:
            messages.error(request, "Your scores are submitted and can no longer change")
            return redirect("evaluation:bid", reference, public_id)
        _save_scores(request, panelist, shown, form)
        if not form.errors:
            messages.success(request, f"Your scores for {shown.organisation.name} are saved")
            if request.POST.get("action") == "next":
                return redirect(_next_after(panelist, shown))
            return redirect("evaluation:place", reference)
    return render(
        request,
        "evaluation/panelist/bid.html",
        {
            "opportunity": evaluation.opportunity,
            "evaluation": evaluation,
            "panelist": panelist,
            "shown": shown,
            "lots": sheet.lots,
            "rows": _rows(evaluation, sheet, form),
            "form": form,
            "editable": editable,
            "submitted": panelist.scores_submitted_at is not None,
        },
    )


def _next_after(panelist: Panelist, shown) -> str:
    """The next bid with an answer still to score, or the check page when none is left."""
    reference = panelist.evaluation.opportunity.reference
    following = page_selectors.next_bid_to_score(panelist, shown)
    if following is None:
        return reverse("evaluation:check", args=[reference])
    return reverse("evaluation:bid", args=[reference, following.submission.public_id])


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
    sections = page_selectors.check_sheet_for(panelist)
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
            "may_submit": _may_score(panelist),
        },
    )
