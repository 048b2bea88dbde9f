"""Providers' pages for bids and applications: a task list, one page per section, check and submit, receipts.

Every page loads the submission through a selector scoped to the person's
organisations (anything else answers 404) and every change goes through a
service. A refused change shows the GOV.UK error summary with what was typed
kept in the form.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.core import clock
from commissioning.core.formats import format_time
from commissioning.evidence.selectors import evidence_readiness
from commissioning.frontend.forms import posted, refused_into
from commissioning.opportunities.selectors import opportunity_get_for
from commissioning.opportunities.workflow import stage_of

from .. import selectors, services
from ..forms import (
    AnswerForm,
    CommitmentForm,
    EvidenceConfirmForm,
    LotsForm,
    StartForm,
    lot_hint,
)
from ..permissions import organisations_bidding_as
from ..progress import bid_progress_for
from ..rules import count_words
from ..services import SubmissionError


def _submission(request, public_id):
    return selectors.submission_get_for_bidder(user=request.user, public_id=public_id)


def _noun(opportunity) -> str:
    return "application" if opportunity.kind == "grant" else "bid"


@dataclass(frozen=True)
class Task:
    title: str
    href: str | None
    status: str  # "Completed", "In progress", "Not started", "Optional"
    hint: str = ""


def _tasks(submission, problems, *, editable: bool = True) -> list[tuple[str, list[Task]]]:
    """The task list: each section with its state, from the same problems the submit checks.

    When the bid can no longer change (after the deadline) no task links to its editing page.
    """
    public_id = submission.public_id
    opportunity = submission.opportunity
    sections_with_problems = {p.section for p in problems}

    def link(name: str, *args) -> str | None:
        return reverse(name, args=[public_id, *args]) if editable else None

    def state(section: str, started: bool) -> str:
        if section not in sections_with_problems:
            return "Completed"
        return "In progress" if started else "Not started"

    parts = selectors.bid_parts_for(submission=submission)
    answers = parts.answers
    about = [
        Task(
            "Lots and prices" if opportunity.kind == "tender" else "What you are applying for",
            link("submissions:lots"),
            state("lots", parts.lots_started),
        ),
    ]
    if opportunity.standard_items:
        about.append(
            Task(
                "Your evidence",
                link("submissions:evidence"),
                state("evidence", parts.evidence_confirmed),
                "From your evidence store: confirm it is current",
            )
        )
    questions = [
        Task(
            f"{q.number}. {q.text}",
            link("submissions:question", q.number),
            state(f"question-{q.number}", bool(answers.get(q.pk, "").strip())),
            f"Up to {q.word_limit} words",
        )
        for q in opportunity.questions.all()
    ]
    extras = []
    if opportunity.kind == "tender":
        extras.append(
            Task(
                "Social value commitments",
                link("submissions:commitments"),
                state("commitments", parts.commitments_made),
            )
        )
    extras.append(
        Task(
            "Supporting files",
            link("submissions:attachments"),
            "Completed" if parts.files_added else "Optional",
        )
    )
    extras.append(
        Task(
            "Partners (consortium)",
            link("submissions:consortium"),
            state("consortium", True) if parts.partners_invited else "Optional",
        )
    )
    return [
        ("About your " + _noun(opportunity), about),
        ("Questions", questions),
        ("Social value, files and partners" if opportunity.kind == "tender" else "Files and partners", extras),
    ]


@login_required
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, reference: str) -> HttpResponse:
    """Start (or go back to) a bid for an opportunity, for one of the person's verified providers."""
    opportunity = opportunity_get_for(user=request.user, reference=reference)
    organisations = organisations_bidding_as(request.user)
    if not organisations:
        raise Http404
    form = StartForm(posted(request), organisations=organisations)
    if len(organisations) == 1 and request.method == "POST" and "organisation" not in request.POST:
        form = StartForm({"organisation": str(organisations[0].pk)}, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if str(o.pk) == form.cleaned_data["organisation"])
        try:
            submission = services.submission_start(
                actor=request.user, opportunity=opportunity, organisation=organisation
            )
        except SubmissionError as error:
            refused_into(form, error)
        else:
            return redirect("submissions:tasks", submission.public_id)
    return render(request, "submissions/start.html", {"opportunity": opportunity, "form": form})


@login_required
@require_GET
def tasks(request: HttpRequest, public_id) -> HttpResponse:
    """The task list: each section's state, and the way to check and submit (before the deadline only)."""
    submission = _submission(request, public_id)
    standing = bid_progress_for(submission)
    return render(
        request,
        "submissions/tasks.html",
        {
            "submission": submission,
            "opportunity": submission.opportunity,
            "sections": _tasks(submission, standing.problems, editable=standing.is_open),
            "problems": standing.to_do,
            "latest": standing.latest,
            "changed_since": standing.changed_since,
            "is_record": standing.is_record,
            "noun": _noun(submission.opportunity),
            "is_open": standing.is_open,
            "decided": _award_decided(submission),
        },
    )


def _award_decided(submission) -> bool:
    # The later stages say how far the opportunity has gone (``stage_reader``): this page never imports them.
    return stage_of(submission.opportunity) == "awarded"


@login_required
@require_http_methods(["GET", "POST"])
def lots(request: HttpRequest, public_id) -> HttpResponse:
    """Choose the lots and give a price (or amount) for each."""
    submission = _submission(request, public_id)
    opportunity = submission.opportunity
    bids = selectors.lot_bids_by_lot(submission=submission)
    initial = {"lots": [str(pk) for pk in bids]} | {f"price-{pk}": b.price for pk, b in bids.items()}
    form = LotsForm(posted(request), opportunity=opportunity, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.lots_save(actor=request.user, submission=submission, prices=form.prices())
        except SubmissionError as error:
            refused_into(form, error)
        else:
            messages.success(request, "Your lots and prices are saved")
            return redirect("submissions:tasks", submission.public_id)
    return render(
        request,
        "submissions/lots.html",
        {
            "submission": submission,
            "opportunity": opportunity,
            "form": form,
            "lot_hints": {lot.pk: lot_hint(lot) for lot in form.lot_list},
        },
    )


def _confirmed_message(chosen: int, asked: int) -> str:
    if chosen == asked:
        return "Your evidence is confirmed for this bid"
    if chosen == 0:
        return "None of your evidence is confirmed for this bid now"
    return f"{chosen} of the {asked} items of evidence are confirmed for this bid"


def _evidence_page(request, submission, organisation, *, template, back, extra=None):
    opportunity = submission.opportunity
    items = list(opportunity.standard_items)
    readiness = evidence_readiness(organisation=organisation, items=items, on=clock.today())
    confirmed = selectors.confirmations_by_item(submission=submission, organisation=organisation)
    form = EvidenceConfirmForm(posted(request), items=items, confirmed=confirmed, initial={"items": list(confirmed)})
    if request.method == "POST" and not items:
        # Nothing is asked for, so there is nothing to confirm (and no box the error could point to).
        return redirect(back)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["items"]
        try:
            services.evidence_confirmations_set(
                actor=request.user, submission=submission, organisation=organisation, items=chosen
            )
        except SubmissionError as error:
            refused_into(form, error)
        else:
            messages.success(request, _confirmed_message(len(chosen), len(items)))
            return redirect(back)
    rows = [
        {
            "ready": r,
            "confirmation": confirmed.get(r.item),
            "stale": bool(confirmed.get(r.item) and r.version and confirmed[r.item].version_id != r.version.pk),
        }
        for r in readiness
    ]
    context = {
        "submission": submission,
        "opportunity": opportunity,
        "organisation": organisation,
        "form": form,
        "rows": rows,
        "back": back,
    }
    return render(request, template, context | (extra or {}))


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, public_id) -> HttpResponse:
    """The standard items the opportunity asks for, filled from the evidence store and confirmed as current."""
    submission = _submission(request, public_id)
    return _evidence_page(
        request,
        submission,
        submission.organisation,
        template="submissions/evidence.html",
        back=reverse("submissions:tasks", args=[submission.public_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, public_id, number: int) -> HttpResponse:
    """Answer one question; saved when the person selects Save, and as they type when JavaScript runs."""
    submission = _submission(request, public_id)
    opportunity = submission.opportunity
    found = next((q for q in opportunity.questions.all() if q.number == number), None)
    if found is None:
        raise Http404
    answer = selectors.answer_for(submission=submission, question=found)
    form = AnswerForm(posted(request), initial={"text": answer.text if answer else ""})
    autosave = request.headers.get("X-Autosave") == "1"
    if request.method == "POST":
        if form.is_valid():
            try:
                services.answer_save(
                    actor=request.user, submission=submission, question=found, text=form.cleaned_data["text"]
                )
            except SubmissionError as error:
                refused_into(form, error)
            else:
                if autosave:
                    at = clock.london(clock.now())
                    return JsonResponse({"saved": True, "message": f"Saved at {format_time(at, seconds=True)}"})
                messages.success(request, f"Your answer to question {found.number} is saved")
                if request.POST.get("action") == "next":
                    following = next((q for q in opportunity.questions.all() if q.number > found.number), None)
                    if following:
                        return redirect("submissions:question", submission.public_id, following.number)
                return redirect("submissions:tasks", submission.public_id)
        if autosave:
            message = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return JsonResponse({"saved": False, "message": f"Not saved: {message}"}, status=400)
    text = form["text"].value() or ""
    return render(
        request,
        "submissions/question.html",
        {
            "submission": submission,
            "opportunity": opportunity,
            "question": found,
            "form": form,
            "words": count_words(text),
            "answer": answer,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitments(request: HttpRequest, public_id) -> HttpResponse:
    """Social value commitments: add and remove."""
    submission = _submission(request, public_id)
    form = CommitmentForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_add(actor=request.user, submission=submission, **form.cleaned_data)
        except SubmissionError as error:
            refused_into(form, error)
        else:
            messages.success(request, "Your commitment is added")
            return redirect("submissions:commitments", submission.public_id)
    return render(
        request,
        "submissions/commitments.html",
        {
            "submission": submission,
            "opportunity": submission.opportunity,
            "form": form,
            "commitments": selectors.commitments_of(submission=submission),
        },
    )


def _act_and_return(request, submission, act, success: str, to: str):
    try:
        act()
    except SubmissionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(to, submission.public_id)


@login_required
@require_POST
def commitment_remove(request: HttpRequest, public_id, commitment_id: int) -> HttpResponse:
    submission = _submission(request, public_id)
    return _act_and_return(
        request,
        submission,
        lambda: services.commitment_remove(actor=request.user, submission=submission, commitment_id=commitment_id),
        "The commitment is removed",
        "submissions:commitments",
    )
