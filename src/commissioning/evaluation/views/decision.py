"""The commissioner's decision pages: the recommendation, its approval by a second commissioner or
its sending back, the award decision, the standstill countdown and the award notice.

Each page loads the evaluation through ``evaluation_get_for_commissioner`` (404 for anyone but the
opportunity's commissioners), reads what it shows from :mod:`..page_selectors` and changes nothing
except through a service; a refusal shows the GOV.UK error summary with what was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.frontend.forms import posted, refusal_form, refused_into

from .. import page_selectors, selectors, services
from ..forms import AwardForm, AwardNoticeForm, ReasonForm, RecommendForm
from ..models import Evaluation, EvaluationStatus
from ..services import EvaluationError
from ..standstill import rule_in_words


def _evaluation(request: HttpRequest, reference: str) -> Evaluation:
    return selectors.evaluation_get_for_commissioner(user=request.user, reference=reference)


@login_required
@require_http_methods(["GET", "POST"])
def recommend(request: HttpRequest, reference: str) -> HttpResponse:
    """Recommend the outcome: the ranking per lot, a choice where bids are level at the top, and for a
    grant round a decision on each application (approve with an amount, or decline, with the reason)."""
    evaluation = _evaluation(request, reference)
    context = page_selectors.results_sheet_for(evaluation)
    grant = evaluation.opportunity.kind == "grant"
    choices = page_selectors.recommendation_choices_for(context, grant=grant)
    editable = evaluation.status == EvaluationStatus.MODERATION
    form = RecommendForm(posted(request) if editable else None, ties=choices.ties, applications=choices.applications)
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
    return render(
        request,
        "evaluation/commissioning/recommend.html",
        context
        | {
            "form": form,
            "editable": editable,
            "grant": grant,
            "missing": choices.missing,
            "decisions": page_selectors.decisions_for(evaluation),
        },
    )


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
        page_selectors.decisions_page_for(evaluation)
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
    standstill = page_selectors.award_standstill_for(evaluation)
    form = AwardForm(
        posted(request),
        voluntary=standstill.voluntary and evaluation.status == EvaluationStatus.APPROVED,
        max_days=standstill.max_days,
        initial={"standstill_days": standstill.fixed_days},
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
        page_selectors.decisions_page_for(evaluation)
        | {
            "form": form,
            "voluntary": standstill.voluntary,
            "fixed_days": standstill.fixed_days,
            "rule": standstill.rule,
            "rule_words": standstill.rule_words,
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
        page_selectors.decisions_page_for(evaluation) | selectors.standstill_countdown_for(evaluation=evaluation),
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
