"""The options appraisal through the API, for the record's commissioners, through the same services as the pages.

Anyone else, and a record that does not exist, gets 404. A refused change
answers 422 with field errors (409 once the opportunity is published) and
changes nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Path, Router, Status

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core.schemas import ProblemOut, ValidationProblemOut
from commissioning.practice.checks import rule_setting
from commissioning.records.permissions import is_record_commissioner
from commissioning.records.schemas import REFERENCE
from commissioning.records.selectors import record_get_for

from . import appraisals
from .appraisal_reading import appraisal_of, judge_appraisal
from .schemas_appraisal import AppraisalOut, ChoiceIn, OptionIn, OptionOut

appraisal_router = Router(tags=["Options appraisals"], auth=ApiTokenAuth())

NOT_FOUND = {"detail": "There is no commissioning record with that reference that you commission"}
NO_OPTION = {"detail": "The appraisal has no option with that id"}
ReferencePath = Path(..., pattern=REFERENCE, description="The record's reference, like CR-2026-0001")
WRITE = {401: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ValidationProblemOut}


def _record(request, reference: str):
    """The record for its commissioners, or None (administrators read records, but appraisals are the bodies')."""
    try:
        record = record_get_for(user=request.auth, reference=reference)
    except Http404:
        return None
    return record if is_record_commissioner(request.auth, record) else None


def _option_out(option, chosen_id) -> dict:
    return {
        "id": option.pk,
        "chosen": option.pk == chosen_id,
        **{name: getattr(option, name) for name in appraisals.OPTION_FIELDS},
    }


def _out(record) -> dict:
    found = appraisal_of(record.pk)
    judged = judge_appraisal(found, options_at_least=int(rule_setting("PL-2", "options_at_least")))
    chosen_id = found.chosen_id if found else None
    return {
        "record": record.reference,
        "options": [_option_out(o, chosen_id) for o in (found.options.all() if found else [])],
        "chosen": chosen_id,
        "rationale": found.rationale if found else "",
        "decided_at": found.decided_at if found else None,
        "decided": appraisals.decided_elsewhere(record),
        "pl2": {"met": judged.met, "detail": judged.detail},
    }


def _refused(error: appraisals.AppraisalError) -> Status:
    named = {name: messages for name, messages in error.errors.items() if name}
    if not named:
        return Status(409, {"detail": str(error)})
    return Status(
        422,
        {
            "detail": "The options appraisal has invalid fields",
            "errors": [{"field": name, "message": m} for name, messages in named.items() for m in messages],
        },
    )


@appraisal_router.get(
    "/{reference}/appraisal",
    response={200: AppraisalOut, 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="A record's options appraisal",
)
def appraisal_detail(request: HttpRequest, reference: str = ReferencePath):
    """The options considered, the choice and its rationale, and where PL-2 stands."""
    record = _record(request, reference)
    if record is None:
        return Status(404, NOT_FOUND)
    return Status(200, _out(record))


def _save(request, reference: str, body: OptionIn, option_id: int | None):
    record = _record(request, reference)
    if record is None:
        return Status(404, NOT_FOUND)
    option = None
    if option_id is not None:
        found = appraisal_of(record.pk)
        option = found and next((o for o in found.options.all() if o.pk == option_id), None)
        if option is None:
            return Status(404, NO_OPTION)
    try:
        saved = appraisals.option_save(actor=request.auth, record=record, data=body.dict(), option=option)
    except appraisals.AppraisalError as error:
        return _refused(error)
    except PermissionDenied:
        return Status(404, NOT_FOUND)
    return Status(200 if option else 201, _option_out(saved, saved.appraisal.chosen_id))


@appraisal_router.post(
    "/{reference}/appraisal/options",
    response={201: OptionOut, **WRITE},
    summary="Add an option to a record's appraisal",
)
def option_add(request: HttpRequest, body: OptionIn, reference: str = ReferencePath):
    """Add one option considered; the appraisal is started with the first."""
    return _save(request, reference, body, None)


@appraisal_router.put(
    "/{reference}/appraisal/options/{option_id}",
    response={200: OptionOut, **WRITE},
    summary="Change an option of a record's appraisal",
)
def option_change(
    request: HttpRequest, body: OptionIn, reference: str = ReferencePath, option_id: int = Path(..., ge=1)
):
    """Replace an option's fields."""
    return _save(request, reference, body, option_id)


@appraisal_router.delete(
    "/{reference}/appraisal/options/{option_id}",
    response={204: None, **WRITE},
    summary="Remove an option from a record's appraisal",
)
def option_delete(request: HttpRequest, reference: str = ReferencePath, option_id: int = Path(..., ge=1)):
    """Remove an option; the chosen one cannot be removed until another is chosen (409)."""
    record = _record(request, reference)
    if record is None:
        return Status(404, NOT_FOUND)
    found = appraisal_of(record.pk)
    option = found and next((o for o in found.options.all() if o.pk == option_id), None)
    if option is None:
        return Status(404, NO_OPTION)
    try:
        appraisals.option_remove(actor=request.auth, option=option)
    except appraisals.AppraisalError as error:
        return _refused(error)
    return Status(204, None)


@appraisal_router.post(
    "/{reference}/appraisal/choice",
    response={200: AppraisalOut, **WRITE},
    summary="Choose an option, with the rationale",
)
def appraisal_choice(request: HttpRequest, body: ChoiceIn, reference: str = ReferencePath):
    """Record which option is chosen and why; choosing again replaces the choice."""
    record = _record(request, reference)
    if record is None:
        return Status(404, NOT_FOUND)
    try:
        appraisals.appraisal_choose(actor=request.auth, record=record, option_id=body.option, rationale=body.rationale)
    except appraisals.AppraisalError as error:
        return _refused(error)
    return Status(200, _out(record))
