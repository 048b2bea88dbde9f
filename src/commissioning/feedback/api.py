"""API of a bidder's own results and letters after the award.

They need the bidder's token and go through the same selectors as the pages:
404 for anyone but the bid's own organisation, before the award, and for a
bid that was not evaluated. A letter is listed once it has been sent.
"""

from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Status

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core.schemas import ProblemOut, ValidationProblemOut
from commissioning.evaluation.schemas import standstill_out

from . import selectors
from .schemas import BidResultsOut, LetterOut
from .wording import TITLES, letter_wording

results_router = Router(tags=["Results and letters"], auth=ApiTokenAuth())

NOT_FOUND = {"detail": "No results for that submission"}


def _opportunity(opportunity) -> dict:
    return {
        "reference": opportunity.reference,
        "title": opportunity.title,
        "kind": opportunity.kind,
        "url": reverse("opportunities:detail", args=[opportunity.reference]),
    }


def _link(letter) -> dict:
    public_id = letter.submission.public_id
    return {
        "id": letter.pk,
        "kind": letter.kind,
        "sent_at": letter.sent_at,
        "url": reverse("feedback:bid-letter", args=[public_id, letter.pk]),
        "docx_url": reverse("feedback:bid-letter-docx", args=[public_id, letter.pk]),
    }


def _results(request: HttpRequest, public_id: UUID):
    try:
        return selectors.results_get_for_bidder(user=request.auth, public_id=public_id)
    except Http404:
        return None


@results_router.get(
    "/{public_id}/results",
    response={200: BidResultsOut, 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="Your results after the award",
)
def bid_results(request: HttpRequest, public_id: UUID):
    """Your bid's outcome on each lot, with your scores for each criterion against the successful bid's
    and the panel's reasons, the standstill and the letters sent to you. Never another bidder's scores
    but the winner's. 404 before the award, for a bid that was not evaluated, and for anyone else."""
    results = _results(request, public_id)
    if results is None:
        return Status(404, NOT_FOUND)
    evaluation = results.evaluation
    return Status(
        200,
        {
            "submission": str(results.submission.public_id),
            "opportunity": _opportunity(evaluation.opportunity),
            "organisation": results.submission.organisation.slug,
            "decided_at": evaluation.decided_at,
            "standstill": standstill_out(evaluation),
            "lots": results.lots,
            "letters": [_link(letter) for letter in results.sent],
        },
    )


@results_router.get(
    "/{public_id}/letters",
    response={200: list[LetterOut], 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="Your letters after the award",
)
def bid_letters(request: HttpRequest, public_id: UUID):
    """The letters sent to your bid (award, feedback, grant offer or decision), as written at the award
    decision. An empty list until the commissioner sends them; 404 before the award and for anyone else."""
    results = _results(request, public_id)
    if results is None:
        return Status(404, NOT_FOUND)
    letters = []
    for letter in results.sent:
        wording = letter_wording(letter)
        letters.append(
            {
                **_link(letter),
                "title": TITLES.get(letter.kind, "Letter"),
                "written_at": letter.written_at,
                "opening": wording.opening,
                "lots": letter.content.get("lots", []),
                "standstill": wording.standstill,
                "compact_clause": wording.compact_clause,
            }
        )
    return Status(200, letters)
