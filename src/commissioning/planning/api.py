"""API: the shared pipeline (PL-1), public; commissioners make and change plans through the same services.

Reads are public and go through the same selectors as the pages, so a draft
is never listed and its reference answers 404 (except to its own
commissioners and partners, calling with their token). Writes need a
personal API token. A plan the caller does not commission answers 404, never
403, so the API does not reveal that a draft exists.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from commissioning.accounts.auth import ApiTokenAuth, api_user_or_none
from commissioning.accounts.models import Organisation, Role, Side
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import NO_NUL, ProblemOut, ValidationProblemOut
from commissioning.records.models import ServiceArea

from . import selectors, services
from .schemas import REFERENCE, SLUG, WARD_CODE, FundingTypeIn, PlanCreateIn, PlanOut, PlanUpdateIn, StatusIn

router = Router(tags=["Pipeline"])

NOT_FOUND = {"detail": "No such plan on the pipeline"}
NOT_YOURS = {"detail": "There is no plan with that reference that you commission"}
ReferencePath = Path(..., pattern=REFERENCE, description="The plan's record reference, like CR-2026-0001")
# The API's names for the services' fields, where they differ.
FIELD_NAMES = {"estimated_value": "expected_value", "service_area": "outcome_area"}


class PipelineQuery(Schema):
    q: str = Field("", max_length=200, pattern=NO_NUL, description="Words in the title or summary, or a reference")
    outcome_area: str = Field("", max_length=120, pattern=rf"^({SLUG[1:-1]})?$", description="An outcome area's slug")
    ward: str = Field(
        "", max_length=9, pattern=rf"^({WARD_CODE[1:-1]})?$", description="A ward's ONS code; city-wide plans included"
    )
    body: str = Field("", max_length=220, pattern=rf"^({SLUG[1:-1]})?$", description="A commissioning body's slug")
    status: StatusIn = Field("", description="One status; by default every status but withdrawn")  # type: ignore[valid-type]
    funding_type: FundingTypeIn | None = Field(None, description="Grants, contracts or either")  # type: ignore[valid-type]


def _invalid(errors: dict[str, list[str]]) -> Status:
    return Status(
        422,
        {
            "detail": "The request has invalid fields",
            "errors": [
                {"field": FIELD_NAMES.get(name, name), "message": message}
                for name, messages in errors.items()
                for message in messages
            ],
        },
    )


def _refused(error: services.PlanError) -> Status:
    """A field the rules refuse is a 422; a refusal of the whole change (its state) is a 409."""
    if any(error.errors):
        return _invalid(error.errors)
    return Status(409, {"detail": str(error)})


def _area(slug: str) -> ServiceArea | None:
    return ServiceArea.objects.filter(slug=slug, active=True).first()


def _joint(slugs: list[str], errors: dict[str, list[str]]) -> list[Organisation]:
    joint = list(Organisation.objects.filter(slug__in=slugs))
    unknown = set(slugs) - {o.slug for o in joint}
    if unknown:
        errors["joint_bodies"] = [f"Unknown commissioning body: {', '.join(sorted(unknown))}"]
    return joint


def _detail(user, reference: str):
    return selectors.plan_get_for(user=user, reference=reference)


@router.get("", response={200: list[PlanOut], 422: ValidationProblemOut}, summary="The pipeline")
@paginate(BoundedPagination)
def pipeline_list(request: HttpRequest, filters: Query[PipelineQuery]):
    """Every plan on the pipeline, by every body, soonest to be advertised first, filtered like the page."""
    return selectors.pipeline(
        filters=selectors.PipelineFilter(
            query=filters.q,
            service_area=filters.outcome_area,
            ward=filters.ward,
            body=filters.body,
            status=filters.status,
            funding_type=filters.funding_type or "",
        )
    )


@router.get("/{reference}", response={200: PlanOut, 404: ProblemOut, 422: ValidationProblemOut}, summary="One plan")
def pipeline_detail(request: HttpRequest, reference: str = ReferencePath):
    """A plan on the pipeline. A draft answers 404, except to its commissioners and partners with their token."""
    try:
        return Status(200, _detail(api_user_or_none(request), reference))
    except Http404:
        return Status(404, NOT_FOUND)


@router.post(
    "",
    auth=ApiTokenAuth(),
    response={201: PlanOut, 400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 422: ValidationProblemOut},
    summary="Make a plan",
)
def pipeline_create(request: HttpRequest, body: PlanCreateIn):
    """Make a plan for a commissioning body you commission for (403 otherwise); it starts off the pipeline.

    Refused facts (an end before the start, an unknown ward, outcome area or
    joint body) answer 422 naming the field; nothing is saved.
    """
    user = request.auth
    lead = Organisation.objects.filter(slug=body.lead_body).first()
    if lead is None or lead.side != Side.COMMISSIONER or Role.COMMISSIONER not in user.roles_for(lead):
        return Status(403, {"detail": "You can only plan commissioning for a body you commission for"})
    errors: dict[str, list[str]] = {}
    area = _area(body.outcome_area)
    if area is None:
        errors["outcome_area"] = [f"There is no outcome area {body.outcome_area!r}"]
    joint = _joint(body.joint_bodies, errors)
    if errors:
        return _invalid(errors)
    data = body.model_dump(exclude={"lead_body", "joint_bodies", "wards", "outcome_area", "expected_value"})
    data |= {"service_area": area, "estimated_value": body.expected_value}
    try:
        plan = services.plan_create(actor=user, lead_body=lead, data=data, ward_codes=body.wards, joint_bodies=joint)
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except services.PlanError as exc:
        return _refused(exc)
    return Status(201, _detail(user, plan.record.reference))


@router.patch(
    "/{reference}",
    auth=ApiTokenAuth(),
    response={
        200: PlanOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Change a plan",
)
def pipeline_update(request: HttpRequest, body: PlanUpdateIn, reference: str = ReferencePath):
    """Change the fields sent; the others keep their values. 409 once it is advertised, awarded or withdrawn."""
    try:
        plan = selectors.plan_get_for_commissioner(user=request.auth, reference=reference)
    except Http404:
        return Status(404, NOT_YOURS)
    changes = body.model_dump(exclude_unset=True)
    errors: dict[str, list[str]] = {}
    if "outcome_area" in changes:
        area = _area(changes.pop("outcome_area") or "")
        if area is None:
            errors["outcome_area"] = ["There is no such outcome area"]
        changes["service_area"] = area
    if "expected_value" in changes:
        changes["estimated_value"] = changes.pop("expected_value")
    joint = _joint(changes.pop("joint_bodies"), errors) if changes.get("joint_bodies") is not None else None
    changes.pop("joint_bodies", None)
    ward_codes = changes.pop("wards", None)
    if errors:
        return _invalid(errors)
    try:
        services.plan_update(actor=request.auth, plan=plan, data=changes, ward_codes=ward_codes, joint_bodies=joint)
    except PermissionDenied:
        return Status(404, NOT_YOURS)
    except services.PlanError as exc:
        return _refused(exc)
    return Status(200, _detail(request.auth, reference))
