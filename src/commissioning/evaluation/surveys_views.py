"""The lessons-learned survey (opened from its e-mailed link, without signing in) and the commissioner's
page of answers and lessons learned.

A link that is not recognised answers 404. The commissioner's page loads the
evaluation through ``awarded_evaluation_for_commissioner``: anyone else, and
everyone before the award, gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from commissioning.frontend.forms import posted, refused_into
from commissioning.practice.checks import rule_status

from . import surveys
from .letters_selectors import awarded_evaluation_for_commissioner
from .models import SurveyRole
from .survey_forms import LessonsForm, SurveyForm


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """A short survey about how the opportunity was run, answered once."""
    invitation = surveys.survey_get_by_token(token)
    if invitation is None:
        return render(request, "evaluation/surveys/invalid.html", status=404)
    context = {"invitation": invitation, "opportunity": invitation.evaluation.opportunity}
    if invitation.answered_at is not None:
        return render(request, "evaluation/surveys/answered.html", context)
    interested = invitation.role == SurveyRole.INTERESTED
    form = SurveyForm(posted(request), interested=interested)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            surveys.survey_answer(
                token=token,
                rating=data.get("rating"),
                worked=data.get("worked", ""),
                improve=data.get("improve", ""),
                reasons=data.get("reasons", []),
                reason_other=data.get("reason_other", ""),
            )
        except surveys.SurveyError as error:
            refused_into(form, error)
        else:
            return redirect("evaluation:survey", token)
    return render(request, "evaluation/surveys/survey.html", context | {"form": form, "interested": interested})


@login_required
@require_http_methods(["GET", "POST"])
def lessons(request: HttpRequest, reference: str) -> HttpResponse:
    """The survey answers gathered for the opportunity, and the lessons-learned summary."""
    evaluation = awarded_evaluation_for_commissioner(user=request.user, reference=reference)
    form = LessonsForm(posted(request), initial={"lessons_learned": evaluation.lessons_learned})
    if request.method == "POST" and form.is_valid():
        try:
            surveys.lessons_learned_save(
                actor=request.user, evaluation=evaluation, text=form.cleaned_data["lessons_learned"]
            )
        except surveys.SurveyError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The lessons learned are saved.")
            return redirect("evaluation:lessons", reference)
    return render(
        request,
        "evaluation/surveys/lessons.html",
        {
            "evaluation": evaluation,
            "opportunity": evaluation.opportunity,
            "results": surveys.survey_results(evaluation),
            "form": form,
            "pr9": rule_status(evaluation, "PR-9"),
            "why_not": dict(surveys.WhyNot.choices),
        },
    )
