"""API after the award: public award information.

``GET /awards`` is public open data: every lot awarded, with the supplier's
identifier, the value, the decision date and the standstill. A bidder's own
results and letters are feedback's (:mod:`commissioning.feedback.api`).
"""

from django.http import HttpRequest
from ninja import Router
from ninja.errors import ValidationError
from ninja.pagination import paginate

from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ValidationProblemOut
from commissioning.opportunities.models import Status as OpportunityStatus

from .models import Decision, EvaluationStatus, Outcome
from .schemas import AwardOut

awards_router = Router(tags=["Awards"])

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
