"""API: find and read published opportunities; commissioners write drafts and publish them.

Reads are public and go through the same selectors as the pages, so a draft
is never listed and its reference answers 404. Writes need a personal API
token and go through the services, which apply the same rules as the pages.
A reference the caller does not commission answers 404, never 403, so the
API does not reveal that a draft exists.
"""

import copy
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from commissioning.accounts.auth import ApiTokenAuth, api_user_or_none
from commissioning.accounts.models import Organisation, Role, Side
from commissioning.audit.transitions import TransitionError
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import NO_NUL, ProblemOut, ValidationProblemOut
from commissioning.practice.checks import evaluate
from commissioning.practice.services import RuleGateClosed

from . import selectors, services, workflow
from .models import Kind, Lot, Opportunity, Question, ServiceArea
from .models import Status as OpportunityStatus
from .permissions import is_commissioner_for
from .schemas import (
    REFERENCE,
    SLUG,
    VALUE_BAND,
    AmendmentIn,
    AmendmentOut,
    EventIn,
    EventOut,
    LotIn,
    LotOut,
    OpportunityCreateIn,
    OpportunityOut,
    OpportunitySummaryOut,
    OpportunityUpdateIn,
    PublicationCheckOut,
    PublishRefusedOut,
    QueryBool,
    QueryDay,
    QuestionIn,
    QuestionOut,
)

router = Router(tags=["Opportunities"])

NOT_FOUND = {"detail": "No such opportunity"}
NOT_YOURS = {"detail": "There is no opportunity with that reference that you commission"}
PUBLISH_STEP = "opportunity_publish"

ReferencePath = Path(..., pattern=REFERENCE, description="The opportunity's reference, like LCH-2026-0001")


class FinderQuery(Schema):
    q: str = Field(
        "",
        max_length=200,
        pattern=NO_NUL,
        description="Words to find in the reference, title, summary and description",
    )
    kind: Literal["", *Kind.values] = Field("", description="Tenders or grant rounds only")  # type: ignore[valid-type]
    service_area: str = Field("", max_length=120, pattern=rf"^({SLUG[1:-1]})?$", description="A service area's slug")
    ward: str = Field(
        "",
        max_length=9,
        pattern=r"^(E05[0-9]{6})?$",
        description="A Leeds ward's ONS code; city-wide opportunities are included",
    )
    value_band: VALUE_BAND = Field(  # type: ignore[valid-type]
        "", description="By total value: up to £25,000, £25,000 to £100,000, £100,000 to £500,000, or over £500,000"
    )
    closing_before: QueryDay | None = Field(None, description="Closing on or before this day")
    small_organisations: QueryBool = Field(False, description="Only those with a lot of £100,000 or less")
    state: Literal["open", "closed", "all"] = Field("open", description="Open (the default), closed, or all")
    sort: Literal["closing", "newest", "value"] = Field(
        "closing", description="Closing soonest, newest or highest value"
    )


def _owned(request: HttpRequest, reference: str) -> Opportunity | None:
    """The opportunity if the caller is one of its commissioners; None otherwise (answered as 404)."""
    try:
        opportunity = selectors.opportunity_get_for(user=request.auth, reference=reference)
    except Http404:
        return None
    return opportunity if is_commissioner_for(request.auth, opportunity) else None


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(
        422,
        {
            "detail": "The request has invalid fields",
            "errors": [
                {"field": name, "message": message} for name, messages in errors.items() for message in messages
            ],
        },
    )


def _refused(exc: services.OpportunityError) -> Status:
    """A field the rules refuse is a 422; a refusal of the whole change (its state) is a 409."""
    if any(exc.errors):
        return _invalid(exc.errors)
    return Status(409, {"detail": str(exc)})


def _not_a_draft(opportunity: Opportunity) -> Status | None:
    if opportunity.status == OpportunityStatus.DRAFT:
        return None
    if opportunity.status == OpportunityStatus.CANCELLED:
        return Status(409, {"detail": "A cancelled opportunity cannot be changed"})
    return Status(409, {"detail": "A published opportunity changes only through an amendment"})


def _write_part(request: HttpRequest, reference: str, write, *, drafts_only: bool = True):
    """Run ``write(opportunity)`` for the caller's own opportunity: 404 when it is not theirs, 409 when
    only a draft may change, the service's refusal as a problem; otherwise what ``write`` returns."""
    opportunity = _owned(request, reference)
    if opportunity is None:
        return Status(404, NOT_YOURS)
    if drafts_only and (refusal := _not_a_draft(opportunity)):
        return refusal
    try:
        return write(opportunity)
    except PermissionDenied:
        return Status(404, NOT_YOURS)
    except services.OpportunityError as exc:
        return _refused(exc)


def _service_area(slug: str) -> ServiceArea | None:
    return ServiceArea.objects.filter(slug=slug, active=True).first()


def _detail(user, reference: str) -> Opportunity:
    return selectors.opportunity_get_for(user=user, reference=reference)


# ---------------------------------------------------------------------------
# Public reads


@router.get(
    "",
    response={200: list[OpportunitySummaryOut], 422: ValidationProblemOut},
    summary="Find opportunities",
)
@paginate(BoundedPagination)
def opportunities_list(request: HttpRequest, filters: Query[FinderQuery]):
    """Published tenders and grant rounds, filtered and sorted like the public finder (open ones by default)."""
    return selectors.finder(
        filters=selectors.FinderFilter(
            query=filters.q,
            kind=filters.kind,
            service_area=filters.service_area,
            ward=filters.ward,
            value_band=filters.value_band,
            closing_before=filters.closing_before,
            small_organisations=filters.small_organisations,
            state=filters.state,
            sort=filters.sort,
        )
    )


@router.get(
    "/{reference}",
    response={200: OpportunityOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One opportunity",
)
def opportunity_detail(request: HttpRequest, reference: str = ReferencePath):
    """A published opportunity in full: lots, criteria, questions, timeline, events, answers, amendments,
    documents and how each rule of the Code was applied. A draft answers 404, except to its own
    commissioners calling with their token."""
    try:
        return Status(200, _detail(api_user_or_none(request), reference))
    except Http404:
        return Status(404, NOT_FOUND)


# ---------------------------------------------------------------------------
# Commissioners' drafts. Request bodies are parameters named ``body``: the
# API's 422 handler leaves that part out of an error's location, so each field
# error names the field alone ("total_value", not "payload.total_value").


@router.post(
    "",
    auth=ApiTokenAuth(),
    response={201: OpportunityOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 422: ValidationProblemOut},
    summary="Start a draft",
)
def opportunity_create(request: HttpRequest, body: OpportunityCreateIn):
    """Start a draft for a commissioning body you commission for (403 otherwise).

    The reference is given by the hub. A blank regime is suggested from the
    value and the service. Unknown wards, service areas or joint commissioners
    answer 422 naming the field.
    """
    user = request.auth
    lead = Organisation.objects.filter(slug=body.lead_commissioner).first()
    if lead is None or lead.side != Side.COMMISSIONER or Role.COMMISSIONER not in user.roles_for(lead):
        return Status(403, {"detail": "You can only start opportunities for a body you commission for"})
    errors: dict[str, list[str]] = {}
    area = _service_area(body.service_area)
    if area is None:
        errors["service_area"] = [f"There is no service area {body.service_area!r}"]
    joint = list(Organisation.objects.filter(slug__in=body.joint_commissioners))
    unknown = set(body.joint_commissioners) - {org.slug for org in joint}
    if unknown:
        errors["joint_commissioners"] = [f"Unknown commissioning body: {', '.join(sorted(unknown))}"]
    if errors:
        return _invalid(errors)
    data = body.model_dump(exclude={"lead_commissioner", "joint_commissioners", "wards", "service_area"})
    data["service_area"] = area
    try:
        opportunity = services.opportunity_create(
            actor=user, lead_commissioner=lead, data=data, ward_codes=body.wards, joint_commissioners=joint
        )
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except services.OpportunityError as exc:
        return _refused(exc)
    return Status(201, _detail(user, opportunity.reference))


@router.patch(
    "/{reference}",
    auth=ApiTokenAuth(),
    response={
        200: OpportunityOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Change a draft",
)
def opportunity_update(request: HttpRequest, body: OpportunityUpdateIn, reference: str = ReferencePath):
    """Change the fields sent; the others keep their values. 409 once published (use an amendment)."""
    opportunity = _owned(request, reference)
    if opportunity is None:
        return Status(404, NOT_YOURS)
    if refusal := _not_a_draft(opportunity):
        return refusal
    changes = body.model_dump(exclude_unset=True)
    ward_codes = changes.pop("wards", None)
    if ward_codes is None:
        ward_codes = [ward.code for ward in opportunity.wards.all()]
    if "service_area" in changes:
        area = _service_area(changes["service_area"])
        if area is None:
            return _invalid({"service_area": [f"There is no service area {changes['service_area']!r}"]})
        changes["service_area"] = area
    if changes.get("regime") == "":
        # The suggestion reads the draft as it will be after these changes.
        probe = copy.copy(opportunity)
        for key, value in changes.items():
            setattr(probe, key, value)
        changes["regime"] = services.regime_suggestion(probe)
    try:
        services.opportunity_update(actor=request.auth, opportunity=opportunity, data=changes, ward_codes=ward_codes)
    except PermissionDenied:
        return Status(404, NOT_YOURS)
    except services.OpportunityError as exc:
        return _refused(exc)
    return Status(200, _detail(request.auth, reference))


@router.post(
    "/{reference}/lots",
    auth=ApiTokenAuth(),
    response={
        201: LotOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Add a lot to a draft",
)
def lot_add(request: HttpRequest, body: LotIn, reference: str = ReferencePath):
    """Add a lot, numbered after the last one. Its pricing is checked when the draft is published."""

    def write(opportunity):
        lot = services.lot_save(
            actor=request.auth, opportunity=opportunity, data=body.model_dump(exclude={"wards"}), ward_codes=body.wards
        )
        return Status(201, Lot.objects.prefetch_related("wards").get(pk=lot.pk))

    return _write_part(request, reference, write)


@router.post(
    "/{reference}/questions",
    auth=ApiTokenAuth(),
    response={
        201: QuestionOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Add a question to a draft",
)
def question_add(request: HttpRequest, body: QuestionIn, reference: str = ReferencePath):
    """Add a question, numbered after the last one. The weights must add up to 100% by publishing."""

    def write(opportunity):
        question = services.question_save(actor=request.auth, opportunity=opportunity, data=body.model_dump())
        return Status(201, Question.objects.get(pk=question.pk))

    return _write_part(request, reference, write)


@router.post(
    "/{reference}/events",
    auth=ApiTokenAuth(),
    response={
        201: EventOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Add an engagement event",
    openapi_extra={
        "responses": {
            422: {
                "description": (
                    "A field is invalid, or the event breaks a rule that compares fields (so the schema cannot "
                    "state it): ends_at must be after starts_at; an event in_person needs an address; an online "
                    "event needs a link. Each is answered as an error on that field."
                )
            }
        }
    },
)
def event_add(request: HttpRequest, body: EventIn, reference: str = ReferencePath):
    """Add a market engagement event (PR-2) to a draft or a published opportunity.

    An event in person needs an address and an online one a link; it must end after it starts.
    """
    return _write_part(
        request,
        reference,
        lambda opportunity: Status(
            201, services.event_save(actor=request.auth, opportunity=opportunity, data=body.model_dump())
        ),
        drafts_only=False,
    )


@router.get(
    "/{reference}/check",
    auth=ApiTokenAuth(),
    response={200: PublicationCheckOut, 401: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ValidationProblemOut},
    summary="Check a draft before publishing",
)
def publication_check(request: HttpRequest, reference: str = ReferencePath):
    """What stops a draft being published: facts to fix, and each rule of the Code met, explained or not met.

    Nothing is recorded; publishing records the outcomes.
    """
    opportunity = _owned(request, reference)
    if opportunity is None:
        return Status(404, NOT_YOURS)
    if opportunity.status != OpportunityStatus.DRAFT:
        return Status(409, {"detail": "Only a draft is checked before publishing"})
    problems = workflow.publication_problems(opportunity)
    gate = evaluate(opportunity, PUBLISH_STEP)
    return Status(
        200,
        {
            "ready": not problems and gate.allowed,
            "problems": problems,
            "rules": [
                {"code": item.rule.code, "title": item.rule.title, "outcome": item.outcome, "detail": item.detail}
                for item in gate.items
            ],
        },
    )


@router.post(
    "/{reference}/publish",
    auth=ApiTokenAuth(),
    response={
        200: OpportunityOut,
        401: ProblemOut,
        404: ProblemOut,
        409: PublishRefusedOut,
        422: ValidationProblemOut,
    },
    summary="Publish a draft",
)
def opportunity_publish(request: HttpRequest, reference: str = ReferencePath):
    """Publish a complete draft whose Code rules are all met or explained.

    409 lists what stops it: facts to fix, or rules neither met nor explained.
    Nothing changes when it is refused.
    """
    opportunity = _owned(request, reference)
    if opportunity is None:
        return Status(404, NOT_YOURS)
    try:
        services.opportunity_publish(actor=request.auth, opportunity=opportunity)
    except PermissionDenied:
        return Status(404, NOT_YOURS)
    except TransitionError as exc:
        problems = list(exc.messages)
        if opportunity.status == OpportunityStatus.DRAFT:
            # The completeness guard joins its sentences into one; list them one by one.
            listed = workflow.publication_problems(opportunity)
            joined = "; ".join(listed)
            problems = [message for message in problems if message != joined] + listed
        return Status(409, {"detail": "The opportunity cannot be published yet", "problems": problems})
    except RuleGateClosed as exc:
        return Status(
            409,
            {
                "detail": "Before publishing, meet or explain these rules of the Code",
                "problems": [item.sentence for item in exc.gate.blocking],
            },
        )
    return Status(200, _detail(request.auth, reference))


@router.post(
    "/{reference}/amendments",
    auth=ApiTokenAuth(),
    response={
        201: AmendmentOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Amend an open opportunity",
)
def opportunity_amend(request: HttpRequest, body: AmendmentIn, reference: str = ReferencePath):
    """Publish a numbered amendment to an open opportunity, under the same rules as the page.

    A closing time moved earlier, or a new deadline that leaves less than PL-3's lead time without an
    explanation, is a 422 naming the field. 409 when the opportunity is not open.
    """
    values = body.model_dump(exclude_unset=True)
    summary = values.pop("summary")
    material = values.pop("material", False)
    explanation = values.pop("lead_time_explanation", "")

    def write(opportunity):
        amendment = services.opportunity_amend(
            actor=request.auth,
            opportunity=opportunity,
            changes=values,
            summary=summary,
            material=material,
            lead_time_explanation=explanation,
        )
        return Status(201, amendment)

    return _write_part(request, reference, write, drafts_only=False)
