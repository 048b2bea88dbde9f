"""API: providers work on their own bids and applications; commissioners open them after the deadline.

Every request needs a personal API token. Reads go through the same
selectors as the pages and writes through the same services, so the rules
are the same: a submission of another organisation answers 404, as if it did
not exist; a price below a lot's floor is refused naming the floor; the
server's clock decides the deadline; submitting the same draft twice makes
one record.

A commissioner's read of an opportunity's submissions is refused with 403
until the deadline ("sealed until …", the same answer whether or not anything
was submitted) and until they are opened ("not opened yet"). Anyone who does
not commission the opportunity gets 404.
"""

from datetime import UTC
from decimal import Decimal
from types import SimpleNamespace
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Path, Router, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate

from commissioning.accounts.auth import ApiTokenAuth
from commissioning.core.pagination import BoundedPagination
from commissioning.core.schemas import ProblemOut, ValidationProblemOut
from commissioning.opportunities.models import Opportunity
from commissioning.opportunities.schemas import REFERENCE
from commissioning.opportunities.selectors import opportunity_get_for, opportunity_get_for_commissioner

from . import selectors, services
from .models import Submission
from .permissions import organisations_bidding_as
from .progress import bid_progress_for
from .rules import count_words
from .schemas import (
    MAX_LOT_NUMBER,
    AnswerIn,
    AnswerOut,
    LotsIn,
    OpenedSubmissionsOut,
    OpeningOut,
    ReceiptOut,
    SubmissionOut,
    SubmissionStartIn,
    SubmissionSummaryOut,
    SubmitIn,
)
from .services import SubmissionError

router = Router(tags=["Submissions"], auth=ApiTokenAuth())
opening_router = Router(tags=["Opening submissions"], auth=ApiTokenAuth())

NOT_FOUND = {"detail": "No such submission"}
NO_OPPORTUNITY = {"detail": "No such opportunity"}
NOT_YOURS = {"detail": "There is no opportunity with that reference that you commission"}
NOT_OPENED = "not opened yet"
LIST_PARAMETERS = {"limit", "offset"}

ReferencePath = Path(..., pattern=REFERENCE, description="The opportunity's reference, like LCH-2026-0001")
QuestionPath = Path(..., ge=1, le=MAX_LOT_NUMBER, description="The question's number")


def _invalid(errors: dict[str, list[str]], detail: str = "The request has invalid fields") -> Status:
    return Status(
        422,
        {
            "detail": detail,
            "errors": [
                {"field": name, "message": message} for name, messages in errors.items() for message in messages
            ],
        },
    )


def _refused(exc: SubmissionError, fields: dict[str, str] | None = None) -> Status:
    """A field the rules refuse is a 422 naming it; a refusal of the whole change (the deadline, say) is a 409."""
    named = {(fields or {}).get(name, name): messages for name, messages in exc.errors.items() if name}
    if named:
        return _invalid(named)
    return Status(409, {"detail": str(exc)})


def _mine(request: HttpRequest, public_id: UUID) -> Submission | None:
    try:
        return selectors.submission_get_for_bidder(user=request.auth, public_id=public_id)
    except Http404:
        return None


def _content(submission: Submission) -> SimpleNamespace:
    """Everything in a draft, read once, in the shape of ``SubmissionOut``."""
    submission = Submission.objects.select_related("opportunity", "organisation").get(pk=submission.pk)
    opportunity = submission.opportunity
    answers = {a.question_id: a for a in submission.answers.all()}
    attachments = list(submission.attachments.filter(removed_at__isnull=True))
    for attachment in attachments:
        attachment.submission = submission
    return SimpleNamespace(
        public_id=submission.public_id,
        opportunity=opportunity,
        organisation=submission.organisation,
        status=submission.status,
        revision=submission.revision,
        updated_at=submission.updated_at,
        declaration_name=submission.declaration_name,
        declaration_role=submission.declaration_role,
        lots=list(submission.lot_bids.select_related("lot")),
        answers=[_answer(q, answers.get(q.pk)) for q in opportunity.questions.order_by("number")],
        confirmations=list(
            submission.confirmations.select_related("organisation", "version").order_by("organisation__name", "item")
        ),
        commitments=list(submission.commitments.all()),
        attachments=attachments,
        members=list(submission.members.select_related("organisation")),
        records=list(submission.records.order_by("number")),
        problems=[{"section": p.section, "message": p.message} for p in bid_progress_for(submission).to_do],
    )


def _answer(question, answer) -> dict:
    text = answer.text if answer else ""
    return {
        "number": question.number,
        "question": question.text,
        "word_limit": question.word_limit,
        "text": text,
        "words": count_words(text),
        "updated_at": answer.updated_at if answer else None,
    }


def _sealed_until(opportunity: Opportunity) -> str:
    """The refusal before the deadline: the deadline alone, in UTC, as ISO 8601."""
    deadline = opportunity.submission_deadline
    if deadline is None:
        return "sealed until a deadline is set"
    timespec = "seconds" if deadline.microsecond == 0 else "microseconds"
    return "sealed until " + deadline.astimezone(UTC).isoformat(timespec=timespec).replace("+00:00", "Z")


# ---------------------------------------------------------------------------
# A provider's own bids and applications


@router.get(
    "",
    response={200: list[SubmissionSummaryOut], 401: ProblemOut, 422: ValidationProblemOut},
    summary="Your organisations' bids and applications",
)
@paginate(BoundedPagination)
def submissions_list(request: HttpRequest):
    """The bids and applications your organisations lead, latest change first.

    Unknown parameters are refused (422), so a mistyped one is never silently ignored.
    """
    unknown = sorted(set(request.GET) - LIST_PARAMETERS)
    if unknown:
        raise ValidationError([{"loc": ["query", name], "msg": "Unknown parameter"} for name in unknown])
    return selectors.submissions_for_provider(user=request.auth)


@router.post(
    "",
    response={
        200: SubmissionOut,
        201: SubmissionOut,
        400: ProblemOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Start a bid or application",
)
def submission_start(request: HttpRequest, body: SubmissionStartIn):
    """Start your organisation's bid for an open opportunity (201), or get the one it already has (200).

    403 if you do not bid for any verified provider; 404 for an opportunity
    that is not published or an organisation you do not bid for; 409 once the
    opportunity is closed.
    """
    user = request.auth
    try:
        opportunity = opportunity_get_for(user=user, reference=body.opportunity)
    except Http404:
        return Status(404, NO_OPPORTUNITY)
    organisations = organisations_bidding_as(user)
    if not organisations:
        return Status(403, {"detail": "Only people at a verified provider can bid"})
    if body.organisation:
        organisation = next((o for o in organisations if o.slug == body.organisation), None)
        if organisation is None:
            return Status(404, {"detail": "You do not bid for an organisation with that slug"})
    elif len(organisations) == 1:
        organisation = organisations[0]
    else:
        return _invalid({"organisation": ["You bid for more than one organisation: say which one bids"]})
    existed = Submission.objects.filter(opportunity=opportunity, organisation=organisation).exists()
    try:
        submission = services.submission_start(actor=user, opportunity=opportunity, organisation=organisation)
    except SubmissionError as exc:
        return _refused(exc)
    return Status(200 if existed else 201, _content(submission))


@router.get(
    "/{public_id}",
    response={200: SubmissionOut, 401: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="One of your bids or applications",
)
def submission_detail(request: HttpRequest, public_id: UUID):
    """The draft as it stands (lots and prices, answers, evidence confirmed, commitments, files, partners),
    what is left to do before submitting, and each submission made from it."""
    submission = _mine(request, public_id)
    if submission is None:
        return Status(404, NOT_FOUND)
    return Status(200, _content(submission))


@router.put(
    "/{public_id}/lots",
    response={
        200: SubmissionOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Choose the lots and prices",
)
def lots_save(request: HttpRequest, public_id: UUID, body: LotsIn):
    """Bid for these lots at these prices; lots left out are dropped.

    A price below a lot's minimum acceptable price (PR-6), over a grant's
    maximum award, or missing answers 422 naming the lot's price and the
    floor; nothing changes. 409 once the deadline has passed.
    """
    submission = _mine(request, public_id)
    if submission is None:
        return Status(404, NOT_FOUND)
    lots = {lot.number: lot for lot in submission.opportunity.lots.all()}
    errors: dict[str, list[str]] = {}
    prices: dict[int, Decimal | None] = {}
    fields: dict[str, str] = {}
    listed: set[int] = set()
    for index, chosen in enumerate(body.lots):
        lot = lots.get(chosen.number)
        if chosen.number in listed:
            errors[f"lots.{index}.number"] = [f"Lot {chosen.number} is listed more than once"]
            continue
        listed.add(chosen.number)
        if lot is None:
            errors[f"lots.{index}.number"] = [f"There is no lot {chosen.number} in this opportunity"]
            continue
        price = Decimal(chosen.price) if chosen.price is not None else None
        if lot.pricing == "fixed" and price is not None and price != lot.fixed_price:
            errors[f"lots.{index}.price"] = [f"Lot {lot.number} has a fixed price: leave its price out"]
            continue
        prices[lot.pk] = price
        fields[f"price-{lot.pk}"] = f"lots.{index}.price"
    if errors:
        return _invalid(errors)
    try:
        services.lots_save(actor=request.auth, submission=submission, prices=prices)
    except SubmissionError as exc:
        return _refused(exc, fields)
    return Status(200, _content(submission))


@router.put(
    "/{public_id}/answers/{number}",
    response={
        200: AnswerOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Save an answer",
)
def answer_save(request: HttpRequest, public_id: UUID, body: AnswerIn, number: int = QuestionPath):
    """Save the answer to question ``number`` as written. It may run over the word limit while drafting
    (not when submitting); far over it is refused (422). 409 once the deadline has passed."""
    submission = _mine(request, public_id)
    if submission is None:
        return Status(404, NOT_FOUND)
    question = submission.opportunity.questions.filter(number=number).first()
    if question is None:
        return Status(404, {"detail": "No such question"})
    try:
        answer = services.answer_save(actor=request.auth, submission=submission, question=question, text=body.text)
    except SubmissionError as exc:
        return _refused(exc)
    return Status(200, _answer(question, answer))


@router.post(
    "/{public_id}/submit",
    response={
        200: ReceiptOut,
        400: ProblemOut,
        401: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ValidationProblemOut,
    },
    summary="Submit",
)
def submission_submit(request: HttpRequest, public_id: UUID, body: SubmitIn):
    """Submit the draft as it stands and get the receipt: when the server received it and the SHA-256.

    Submitting a draft that has not changed since it was last submitted
    returns that same receipt, so a retry never makes a second submission.
    An incomplete draft answers 422 listing what to put right; after the
    deadline, 409, and the draft is kept.
    """
    submission = _mine(request, public_id)
    if submission is None:
        return Status(404, NOT_FOUND)
    try:
        record = services.submission_submit(
            actor=request.auth,
            submission=submission,
            declaration_name=body.declaration_name,
            declaration_role=body.declaration_role,
            confirmed=body.confirmed,
            received_at=getattr(request, "received_at", None),
        )
    except SubmissionError as exc:
        if any(exc.errors) or not submission.opportunity.is_open:
            return _refused(exc)
        # Refused for what the draft lacks: each problem, under the section of the draft it belongs to.
        listed: dict[str, list[str]] = {}
        for problem in services.problems_for(submission):
            listed.setdefault(problem.section, []).append(problem.message)
        return _invalid(
            listed or {"": exc.errors.get("", [])}, detail="The submission is not ready: put these right first"
        )
    return Status(200, record)


# ---------------------------------------------------------------------------
# A commissioner's opening, after the deadline


@opening_router.get(
    "/{reference}/submissions",
    response={200: OpenedSubmissionsOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ValidationProblemOut},
    summary="The opened submissions",
)
def opened_submissions(request: HttpRequest, reference: str = ReferencePath):
    """The submissions that count, with each one's canonical record and SHA-256, once opened.

    Before the deadline: 403 "sealed until <deadline>" (ISO 8601, UTC), the
    same answer whether or not anything was submitted. After it, until a
    commissioner opens them: 403 "not opened yet". 404 for anyone who does
    not commission the opportunity.
    """
    try:
        opportunity = opportunity_get_for_commissioner(user=request.auth, reference=reference)
    except Http404:
        return Status(404, NOT_YOURS)
    state = selectors.opening_state(user=request.auth, opportunity=opportunity)
    if state["state"] == "sealed":
        return Status(403, {"detail": _sealed_until(opportunity)})
    if state["state"] == "ready":
        return Status(403, {"detail": NOT_OPENED})
    records = selectors.opened_records_for(user=request.auth, opportunity=opportunity)
    return Status(200, {"opening": state["opening"], "submissions": records})


@opening_router.post(
    "/{reference}/submissions/open",
    response={200: OpeningOut, 401: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ValidationProblemOut},
    summary="Open the submissions",
)
def submissions_open(request: HttpRequest, reference: str = ReferencePath):
    """Open the submissions once the deadline has passed, recording who and when (409 before it).

    Opening again returns the first opening.
    """
    try:
        opportunity = opportunity_get_for_commissioner(user=request.auth, reference=reference)
    except Http404:
        return Status(404, NOT_YOURS)
    try:
        opening = services.submissions_open(actor=request.auth, opportunity=opportunity)
    except SubmissionError:
        if opportunity.published_at is None:
            return Status(409, {"detail": "This opportunity was never published: there is nothing to open"})
        return Status(409, {"detail": _sealed_until(opportunity)})
    return Status(200, opening)
