"""API of a provider's own monitoring returns (CM-4): read them, and submit one with its breakdowns as JSON.

They need the provider's token (an administrator or member of the agreement's
provider) and go through the same selectors and services as the pages: 404 for
anyone else's agreement, and for an agreement not yet accepted.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Router, Status

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core.schemas import ProblemOut, ValidationProblemOut

from . import returns, selectors
from .models import AgreementStatus, Breakdown, MonitoringReturn
from .schemas import AGREEMENT_REFERENCE
from .schemas_returns import ReturnOut, ReturnSubmitIn

returns_router = Router(tags=["Monitoring returns"], auth=ApiTokenAuth())

NOT_FOUND = {"detail": "No such return among your agreements"}
ReferencePath = Path(..., pattern=AGREEMENT_REFERENCE, description="The agreement's reference, like AG-2026-0001")
NumberPath = Path(..., ge=1, le=999, description="The return's number in the agreement's plan")


def _out(found: MonitoringReturn) -> dict:
    agreement = found.agreement
    return {
        "agreement": agreement.reference,
        "number": found.number,
        "period_start": found.period_start,
        "period_end": found.period_end,
        "due_on": found.due_on,
        "status": found.status,
        "submitted_at": found.submitted_at,
        "digest": found.digest,
        "measures": found.measures or [],
        "narrative": found.narrative,
        "case_studies": found.case_studies,
        "spend": found.spend or {},
        "people_reached": found.people_reached,
        "breakdowns": found.breakdowns or {},
        "mismatch_explanation": found.mismatch_explanation,
        "reviews": [
            {"outcome": r.outcome, "note": r.note, "reviewed_at": r.reviewed_at}
            for r in sorted(found.reviews.all(), key=lambda r: r.reviewed_at)
        ],
        "url": reverse("contracts:provider-return", args=[agreement.reference, found.number]),
    }


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(
        422,
        {
            "detail": "The return has invalid fields",
            "errors": [{"field": name, "message": m} for name, messages in errors.items() for m in messages],
        },
    )


def _measures_and_spend(agreement, body: ReturnSubmitIn, data: dict, errors: dict) -> None:
    numbers = {m.number for m in agreement.measures.all()}
    for index, measure in enumerate(body.measures):
        if measure.number not in numbers:
            errors[f"measures.{index}.number"] = [f"The agreement has no KPI {measure.number}"]
            continue
        data[f"measure_{measure.number}_actual"] = str(measure.actual)
        data[f"measure_{measure.number}_note"] = measure.note
    if body.spend is None:
        return
    if not agreement.spend_reported:
        errors["spend"] = ["This agreement does not ask for spend: leave it out"]
        return
    data |= {"spend_budget": str(body.spend.budget), "spend_actual": str(body.spend.actual)}
    data["spend_note"] = body.spend.note


def _counts(body: ReturnSubmitIn) -> dict[str, tuple[str, dict[str, int]]]:
    """Each breakdown sent, as JSON path prefix -> (field name prefix, counts by key)."""
    given = body.breakdowns
    found = {}
    if given.ward is not None:
        found["breakdowns.ward"] = ("ward_", given.ward)
    if given.community is not None:
        found["breakdowns.community"] = ("community__", given.community)
    for characteristic, counts in (given.characteristic or {}).items():
        found[f"breakdowns.characteristic.{characteristic}"] = (f"{characteristic}__", counts)
    return found


def flat(agreement, body: ReturnSubmitIn) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The JSON return as the page's fields (see :mod:`.returns`), or errors naming what the agreement does
    not ask for (an unknown KPI, ward, characteristic or category, spend or a breakdown not asked)."""
    errors: dict[str, list[str]] = {}
    data = {
        "narrative": body.narrative,
        "case_studies": body.case_studies,
        "people_reached": str(body.people_reached),
        "mismatch_explanation": body.mismatch_explanation,
    }
    _measures_and_spend(agreement, body, data, errors)
    fields = set(returns.all_fields(agreement))
    for kind in Breakdown.values:
        if getattr(body.breakdowns, kind) is not None and kind not in agreement.breakdowns:
            errors[f"breakdowns.{kind}"] = [f"This agreement does not ask for people by {kind}: leave it out"]
    for prefix, (field_prefix, counts) in _counts(body).items():
        if ".".join(prefix.split(".")[:2]) in errors:  # a breakdown not asked for is refused whole
            continue
        for key, count in counts.items():
            if f"{field_prefix}{key}" in fields:
                data[f"{field_prefix}{key}"] = str(count)
            else:
                errors[f"{prefix}.{key}"] = [f"There is nothing called {key!r} in {prefix[11:].replace('.', ' ')}"]
    return data, errors


def json_field(name: str) -> str:
    """A page field's name as the JSON body's path, so a refusal names what the caller sent."""
    if name.startswith("measure_"):
        number, part = name[8:].split("_", 1)
        return f"measures.{number}.{part}"
    if name.startswith("spend_"):
        return f"spend.{name[6:]}"
    if name.startswith("ward_"):
        return f"breakdowns.ward.{name[5:]}"
    if name.startswith("community__"):
        return f"breakdowns.community.{name[11:]}"
    if "__" in name:
        characteristic, key = name.split("__", 1)
        return f"breakdowns.characteristic.{characteristic}.{key}"
    return name


def _mine(request: HttpRequest, reference: str, number: int) -> MonitoringReturn | None:
    try:
        return selectors.return_get_for_provider(user=request.auth, reference=reference, number=number)
    except Http404:
        return None


@returns_router.get(
    "/{reference}/returns",
    response={200: list[ReturnOut], 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="Your monitoring returns for an agreement",
)
def provider_returns(request: HttpRequest, reference: str = ReferencePath):
    """Every return in your accepted agreement's monitoring plan, in order, with its status, what was
    submitted and its reviews. 404 for an agreement that is not your organisation's or not yet accepted."""
    try:
        agreement = selectors.agreement_get_for_provider(user=request.auth, reference=reference)
    except Http404:
        return Status(404, NOT_FOUND)
    if agreement.status != AgreementStatus.ACCEPTED:
        return Status(404, NOT_FOUND)
    found = list(agreement.returns.prefetch_related("reviews").order_by("number"))
    for each in found:
        each.agreement = agreement
    return Status(200, [_out(each) for each in found])


@returns_router.get(
    "/{reference}/returns/{number}",
    response={200: ReturnOut, 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One of your monitoring returns",
)
def provider_return(request: HttpRequest, reference: str = ReferencePath, number: int = NumberPath):
    """One return of your accepted agreement; 404 for anyone else's."""
    found = _mine(request, reference, number)
    if found is None:
        return Status(404, NOT_FOUND)
    return Status(200, _out(found))


@returns_router.post(
    "/{reference}/returns/{number}/submit",
    response={200: ReturnOut, 401: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ValidationProblemOut},
    summary="Submit one of your monitoring returns",
)
def provider_return_submit(
    request: HttpRequest, body: ReturnSubmitIn, reference: str = ReferencePath, number: int = NumberPath
):
    """Submit a whole return: each KPI's result, what happened, spend where the agreement asks for it,
    the people reached and their breakdowns. Counts are whole numbers, 0 or more; a breakdown by ward or
    characteristic that does not add up to the people reached is refused (422) unless the difference is
    explained. A refused request changes nothing. A return already submitted
    or accepted answers 409, so sending it twice makes one submission; another provider's agreement 404."""
    found = _mine(request, reference, number)
    if found is None:
        return Status(404, NOT_FOUND)
    data, errors = flat(found.agreement, body)
    if errors:
        return _invalid(errors)
    try:
        returns.return_submit(actor=request.auth, monitoring_return=found, data=data, keep_refused=False)
    except PermissionDenied:
        return Status(404, NOT_FOUND)
    except returns.ReturnError as exc:
        named = {json_field(name): messages for name, messages in exc.errors.items() if name}
        if named:
            return _invalid(named)
        return Status(409, {"detail": str(exc)})
    return Status(200, _out(selectors.return_get_for_provider(user=request.auth, reference=reference, number=number)))
