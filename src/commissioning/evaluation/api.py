"""API after the award: public award information, and a bidder's own results and letters.

``GET /awards`` is public open data: every lot awarded, with the supplier's
identifier, the value, the decision date and the standstill. A bidder's
results and letters need the bidder's token and go through the same
selectors as the pages: 404 for anyone but the bid's own organisation, before
the award, and for a bid that was not evaluated. A letter is listed once it
has been sent.
"""

from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, ValidationProblemOut
from commissioning.opportunities.models import Status as OpportunityStatus

from . import letters_selectors as selectors
from .models import Decision, EvaluationStatus, Outcome
from .schemas import AwardOut, BidResultsOut, LetterOut, standstill_out
from .wording import TITLES, letter_wording

awards_router = Router(tags=["Awards"])
results_router = Router(tags=["Results and letters"], auth=ApiTokenAuth())

NOT_FOUND = {"detail": "No results for that submission"}
LIST_PARAMETERS = {"limit", "offset"}


def awards_public():
    """Every lot awarded after a published opportunity's award decision, latest decision first."""
    return (
        Decision.objects.filter(
            outcome=Outcome.AWARDED,
            evaluation__status=EvaluationStatus.AWARDED,
            evaluation__opportunity__published_at__isnull=False,
        )
        .exclude(evaluation__opportunity__status=OpportunityStatus.DRAFT)
        .select_related("evaluation__opportunity", "lot", "organisation")
        .prefetch_related("organisation__identifiers")
        .order_by("-evaluation__decided_at", "evaluation__opportunity__reference", "lot__number", "pk")
    )


@awards_router.get("", response={200: list[AwardOut], 422: ValidationProblemOut}, summary="Awards")
@paginate(BoundedPagination)
def awards_list(request: HttpRequest):
    """Every lot awarded: the opportunity, the lot, the supplier with its org-id identifier, the value,
    the decision date and the standstill, latest decision first. Open data: no token needed.

    Unknown parameters are refused (422), so a mistyped one is never silently ignored.
    """
    unknown = sorted(set(request.GET) - LIST_PARAMETERS)
    if unknown:
        raise ValidationError([{"loc": ["query", name], "msg": "Unknown parameter"} for name in unknown])
    return awards_public()


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
        "url": reverse("evaluation:bid-letter", args=[public_id, letter.pk]),
        "docx_url": reverse("evaluation:bid-letter-docx", args=[public_id, letter.pk]),
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
