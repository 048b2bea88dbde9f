"""Commissioners' pages for an opportunity's submissions: sealed, ready to open, opened.

Each page loads the opportunity through ``opportunity_get_for_commissioner``
(anyone else gets 404) and asks ``selectors.opening_state`` what it may say.
Before the deadline the page says when the seal lifts and nothing else: not
how many submissions there are, nor whether there are any. After the
deadline it gives the number and a button to open them; opening is recorded
with who and when. Once opened it shows the bid statistics, the submissions
that count and each one's canonical record in full.
"""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.accounts.models import LegalForm
from commissioning.core.sizebands import SizeBand
from commissioning.evidence.standard_items import StandardItem
from commissioning.evidence.views import evidence_file_response
from commissioning.opportunities.selectors import opportunity_get_for_commissioner

from .. import selectors, services
from ..rules import count_words
from ..services import SubmissionError

UNKNOWN_BAND = "Not known (no income on record)"


def _opportunity(request: HttpRequest, reference: str):
    return opportunity_get_for_commissioner(user=request.user, reference=reference)


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _lot_titles(opportunity) -> dict[str, str]:
    return {str(lot.number): lot.title for lot in opportunity.lots.all()}


def _statistics(opportunity, statistics: dict) -> dict:
    """The opening's counts as table rows: per lot (with titles), per size band (in band order), consortia."""
    titles = _lot_titles(opportunity)
    per_lot = statistics.get("per_lot", {})
    lots = [
        (f"Lot {number}: {titles[number]}" if number in titles else f"Lot {number}", per_lot[number])
        for number in sorted(per_lot, key=lambda n: (len(n), n))
    ]
    by_band = statistics.get("by_size_band", {})
    bands = [(band.label, by_band.get(band.value, 0)) for band in SizeBand]
    if by_band.get("unknown"):
        bands.append((UNKNOWN_BAND, by_band["unknown"]))
    return {
        "bids": statistics.get("bids", 0),
        "consortium_bids": statistics.get("consortium_bids", 0),
        "lots": lots,
        "bands": bands,
    }


@login_required
@require_http_methods(["GET", "POST"])
def opening(request: HttpRequest, reference: str) -> HttpResponse:
    """An opportunity's submissions as its commissioners may see them now; POST opens them after the deadline."""
    opportunity = _opportunity(request, reference)
    if request.method == "POST":
        try:
            recorded = services.submissions_open(actor=request.user, opportunity=opportunity)
        except SubmissionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"The submissions are opened: {recorded.submissions} counted. "
                "Who opened them and when is recorded in the audit log.",
            )
        return redirect("submissions:opening", reference)
    state = selectors.opening_state(user=request.user, opportunity=opportunity)
    context = {"opportunity": opportunity, "state": state["state"]}
    if state["state"] == "sealed":
        # Nothing about the submissions themselves reaches this template.
        return render(request, "submissions/commissioning/sealed.html", context | {"message": state["message"]})
    if state["state"] == "ready":
        return render(request, "submissions/commissioning/ready.html", context | {"count": state["count"]})
    recorded = state["opening"]
    records = selectors.opened_records_for(user=request.user, opportunity=opportunity)
    titles = _lot_titles(opportunity)
    rows = [
        {
            "record": record,
            "organisation": record.submission.organisation,
            "lots": [
                {"label": f"Lot {lot['number']}", "title": titles.get(str(lot["number"]), lot["title"]), **lot}
                for lot in record.document["lots"]
            ],
        }
        for record in records
    ]
    return render(
        request,
        "submissions/commissioning/opened.html",
        context
        | {
            "opening": recorded,
            "statistics": _statistics(opportunity, recorded.statistics),
            "rows": rows,
        },
    )


@login_required
@require_GET
def opened(request: HttpRequest, reference: str, public_id) -> HttpResponse:
    """One opened submission: everything its counted record holds, with its files."""
    opportunity = _opportunity(request, reference)
    try:
        record = selectors.opened_record_get_for(user=request.user, opportunity=opportunity, public_id=public_id)
    except selectors.Sealed as exc:
        raise Http404 from exc
    document = record.document
    questions = {q.number: q for q in opportunity.questions.all()}
    labels = dict(StandardItem.choices)
    versions = selectors.evidence_versions_named(record)
    evidence = [
        {
            **entry,
            "label": entry.get("label") or labels.get(entry["item"], entry["item"]),
            "stored": version,
            "valid": date.fromisoformat(entry["valid_until"]) if entry.get("valid_until") else None,
        }
        for entry, version in zip(document.get("evidence", []), versions, strict=True)
    ]
    answers = [
        {
            **answer,
            "question_text": questions[answer["question"]].text if answer["question"] in questions else "",
            "word_limit": questions[answer["question"]].word_limit if answer["question"] in questions else None,
            "words": count_words(answer["text"]),
            "paragraphs": [p for p in answer["text"].split("\n\n") if p.strip()],
        }
        for answer in document.get("answers", [])
    ]
    consortium = [{**member, "confirmed": _moment(member.get("confirmed_at"))} for member in document["consortium"]]
    return render(
        request,
        "submissions/commissioning/submission.html",
        {
            "opportunity": opportunity,
            "record": record,
            "submission": record.submission,
            "document": document,
            "answers": answers,
            "evidence": evidence,
            "consortium": consortium,
            "legal_forms": dict(LegalForm.choices),
        },
    )


@login_required
@require_GET
def opened_evidence(request: HttpRequest, reference: str, public_id, evidence_id: int) -> HttpResponse:
    """Download a file from a provider's evidence store that an opened submission carries."""
    opportunity = _opportunity(request, reference)
    version = selectors.opened_evidence_get_for(
        user=request.user, opportunity=opportunity, public_id=public_id, evidence_id=evidence_id
    )
    return evidence_file_response(version)
