"""Feedback pages. Letters after the award: the commissioner reviews, downloads and sends them; the bidder
reads its own. The lessons-learned survey and the commissioner's page of answers and lessons learned.

Commissioners' pages load the evaluation through
``awarded_evaluation_for_commissioner`` (anyone else, and everyone before the
award, gets 404); bidders' pages through ``results_get_for_bidder`` (their own
organisation's evaluated bid, after the award; letters once sent). Sending
goes through :mod:`.services`.

The lessons-learned survey opens from its e-mailed link, without signing in;
a link that is not recognised answers 404. The commissioner's page of answers
and lessons learned loads the evaluation as the letters pages do.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core import clock
from commissioning.evaluation.services import EvaluationError
from commissioning.frontend.forms import posted, refused_into
from commissioning.practice.checks import rule_status

from . import selectors, services, surveys
from .checks import feedback_standing, letter_overdue, letter_sent_late
from .docx import CONTENT_TYPE, letter_docx, letter_filename
from .forms import LessonsForm, SurveyForm
from .letters import standstill_content
from .models import SurveyRole
from .progress import letters_state
from .wording import letter_wording, standstill_sentence


def _docx_response(letter) -> HttpResponse:
    response = HttpResponse(letter_docx(letter), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(letter)}"'
    return response


def _state(letter, today) -> dict:
    """How a letter stands, for a tag: sent (on time or late), overdue, or to send."""
    if letter.sent_at is not None:
        if letter_sent_late(letter):
            return {"text": "Sent late", "classes": "govuk-tag--orange"}
        return {"text": "Sent", "classes": "govuk-tag--green"}
    if letter_overdue(letter, today):
        return {"text": "Overdue", "classes": "govuk-tag--red"}
    return {"text": "To send", "classes": "govuk-tag--grey"}


@login_required
@require_GET
def letters(request: HttpRequest, reference: str) -> HttpResponse:
    """Every letter written at the award, with its due day and whether it has been sent."""
    evaluation = selectors.awarded_evaluation_for_commissioner(user=request.user, reference=reference)
    written = selectors.letters_for_commissioner(evaluation=evaluation)
    today = clock.today()
    return render(
        request,
        "feedback/letters/list.html",
        {
            "evaluation": evaluation,
            "opportunity": evaluation.opportunity,
            "rows": [{"letter": letter, "state": _state(letter, today)} for letter in written],
            "unsent": [letter for letter in written if letter.sent_at is None],
            "progress": letters_state(evaluation, written, today),
            "standing": feedback_standing(written, today),
            "rules": [s for s in (rule_status(evaluation, code) for code in ("PR-10", "PR-11")) if s is not None],
        },
    )


@login_required
@require_POST
def letters_send_all(request: HttpRequest, reference: str) -> HttpResponse:
    """Send every letter not yet sent."""
    evaluation = selectors.awarded_evaluation_for_commissioner(user=request.user, reference=reference)
    try:
        sent = services.letters_send_all(actor=request.user, evaluation=evaluation)
    except EvaluationError as error:
        messages.error(request, str(error))
    else:
        if sent:
            messages.success(request, f"{len(sent)} letter{'s' if len(sent) != 1 else ''} sent.")
        else:
            messages.info(request, "Every letter had already been sent.")
    return redirect("feedback:letters", reference)


@login_required
@require_http_methods(["GET", "POST"])
def letter(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """One letter as the bidder will read it; POST sends it."""
    evaluation = selectors.awarded_evaluation_for_commissioner(user=request.user, reference=reference)
    found = selectors.letter_get_for_commissioner(evaluation=evaluation, letter_id=letter_id)
    if request.method == "POST":
        already = found.sent_at is not None
        try:
            services.letter_send(actor=request.user, letter=found)
        except EvaluationError as error:
            messages.error(request, str(error))
            return redirect("feedback:letter", reference, letter_id)
        if not already:
            messages.success(request, f"The letter to {found.submission.organisation.name} is sent.")
        else:
            messages.info(request, "This letter had already been sent.")
        return redirect("feedback:letters", reference)
    return render(
        request,
        "feedback/letters/letter.html",
        {
            "evaluation": evaluation,
            "opportunity": evaluation.opportunity,
            "letter": found,
            "wording": letter_wording(found),
            "state": _state(found, clock.today()),
            "recipients": services.letter_recipients(found) if found.sent_at is None else [],
        },
    )


@login_required
@require_GET
def letter_download(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """One letter as a Word document."""
    evaluation = selectors.awarded_evaluation_for_commissioner(user=request.user, reference=reference)
    return _docx_response(selectors.letter_get_for_commissioner(evaluation=evaluation, letter_id=letter_id))


@login_required
@require_GET
def bid_results(request: HttpRequest, public_id) -> HttpResponse:
    """A bidder's own results after the award: each lot's outcome, its scores against the winner's, its letters."""
    results = selectors.results_get_for_bidder(user=request.user, public_id=public_id)
    return render(
        request,
        "feedback/letters/bid_results.html",
        {
            "results": results,
            "submission": results.submission,
            "opportunity": results.evaluation.opportunity,
            "evaluation": results.evaluation,
            "wording": letter_wording(results.letter),
            # The standstill as it stands now (the notice may have been published since the letter was sent).
            "standstill": standstill_sentence({**results.letter.content, **standstill_content(results.evaluation)}),
        },
    )


@login_required
@require_GET
def bid_letter(request: HttpRequest, public_id, letter_id: int) -> HttpResponse:
    """A letter sent to the bidder."""
    found = selectors.letter_get_for_bidder(user=request.user, public_id=public_id, letter_id=letter_id)
    return render(
        request,
        "feedback/letters/bid_letter.html",
        {
            "letter": found,
            "submission": found.submission,
            "opportunity": found.evaluation.opportunity,
            "wording": letter_wording(found),
        },
    )


@login_required
@require_GET
def bid_letter_download(request: HttpRequest, public_id, letter_id: int) -> HttpResponse:
    """A letter sent to the bidder, as a Word document."""
    return _docx_response(selectors.letter_get_for_bidder(user=request.user, public_id=public_id, letter_id=letter_id))


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """A short survey about how the opportunity was run, answered once."""
    invitation = surveys.survey_get_by_token(token)
    if invitation is None:
        return render(request, "feedback/surveys/invalid.html", status=404)
    context = {"invitation": invitation, "opportunity": invitation.evaluation.opportunity}
    if invitation.answered_at is not None:
        return render(request, "feedback/surveys/answered.html", context)
    interested = invitation.role == SurveyRole.INTERESTED
    form = SurveyForm(posted(request), interested=interested)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_answer_save(
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
            return redirect("feedback:survey", token)
    return render(request, "feedback/surveys/survey.html", context | {"form": form, "interested": interested})


@login_required
@require_http_methods(["GET", "POST"])
def lessons(request: HttpRequest, reference: str) -> HttpResponse:
    """The survey answers gathered for the opportunity, and the lessons-learned summary."""
    evaluation = selectors.awarded_evaluation_for_commissioner(user=request.user, reference=reference)
    form = LessonsForm(posted(request), initial={"lessons_learned": evaluation.lessons_learned})
    if request.method == "POST" and form.is_valid():
        try:
            services.lessons_learned_save(
                actor=request.user, evaluation=evaluation, text=form.cleaned_data["lessons_learned"]
            )
        except surveys.SurveyError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The lessons learned are saved.")
            return redirect("feedback:lessons", reference)
    return render(
        request,
        "feedback/surveys/lessons.html",
        {
            "evaluation": evaluation,
            "opportunity": evaluation.opportunity,
            "results": surveys.survey_results(evaluation),
            "form": form,
            "pr9": rule_status(evaluation, "PR-9"),
            "why_not": dict(surveys.WhyNot.choices),
        },
    )
