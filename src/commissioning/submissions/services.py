"""The only write path for bids and applications.

Every change to a draft locks the submission's row, checks that the person
acts for the lead organisation and that the deadline has not passed by the
server's clock, bumps the draft's revision and writes its audit event, all in
one transaction. :func:`submission_submit` freezes the draft into a record
with its canonical form and digest; a second submit of the same revision (a
double click, a retried request, two tabs) returns the same record.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max

from commissioning.accounts.models import Organisation, OrganisationStatus, Side
from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.sizebands import size_band
from commissioning.core.uploads import UploadError, check_upload
from commissioning.evidence.selectors import EXPIRED, MISSING, evidence_readiness
from commissioning.opportunities.models import Lot, Opportunity, Question, Status
from commissioning.opportunities.permissions import is_commissioner_for

from . import canonical, notifications
from .models import (
    Answer,
    Attachment,
    Commitment,
    ConsortiumMember,
    EvidenceConfirmation,
    LotBid,
    MemberStatus,
    Opening,
    Submission,
    SubmissionRecord,
    SubmissionStatus,
)
from .permissions import acts_for
from .rules import DRAFT_SLACK, Problem, answer_problem, count_words, price_problem
from .selectors import counted_records, deadline_text

ATTACHMENT_MAX_MB = 20
MAX_ATTACHMENTS = 10
MAX_COMMITMENTS = 20


class SubmissionError(RefusedError):
    """A change to a bid or application that is refused, with the reason per field."""


def _require_bidder(actor, organisation: Organisation) -> None:
    if not (actor and actor.is_authenticated and acts_for(actor, organisation)):
        raise SubmissionError.on("", "Only people at the bidding organisation can change its bid")
    if organisation.status != OrganisationStatus.VERIFIED:
        raise SubmissionError.on("", "Your organisation must be verified before it can bid")


def _require_open(opportunity: Opportunity, now: datetime) -> None:
    if opportunity.status != Status.PUBLISHED or opportunity.submission_deadline is None:
        raise SubmissionError.on("", "This opportunity is not open for bids")
    if opportunity.deadline_passed(now):
        raise SubmissionError.on(
            "",
            f"The deadline was {deadline_text(opportunity)}: nothing more can be submitted. "
            "Your draft is kept as it was.",
        )


@contextmanager
def _draft(actor, submission: Submission) -> Iterator[Submission]:
    """Lock a submission for a change by one of its bidders, before the deadline; bump its revision after."""
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self", "opportunity", "organisation"))
            .select_related("opportunity", "organisation")
            .get(pk=submission.pk)
        )
        _require_bidder(actor, locked.organisation)
        _require_open(locked.opportunity, clock.now())
        yield locked
        _touch(locked)


def _touch(locked: Submission) -> None:
    locked.revision += 1
    locked.updated_at = clock.now()
    locked.save(update_fields=["revision", "updated_at"])


def submission_start(*, actor, opportunity: Opportunity, organisation: Organisation) -> Submission:
    """Start the organisation's bid for an open opportunity, or return the one it already has."""
    _require_bidder(actor, organisation)
    if organisation.side != Side.PROVIDER:
        raise SubmissionError.on("", "Only providers can bid")
    now = clock.now()
    _require_open(opportunity, now)
    existing = Submission.objects.filter(opportunity=opportunity, organisation=organisation).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                opportunity=opportunity,
                organisation=organisation,
                created_by=actor,
                created_at=now,
                updated_at=now,
                declaration_name=actor.full_name,
                declaration_role=actor.job_title,
            )
            audit_record(
                actor=actor, verb="submission.start", obj=submission, after={"opportunity": opportunity.reference}
            )
    except IntegrityError:
        # Started at the same moment in another tab: there is one, and this is it.
        return Submission.objects.get(opportunity=opportunity, organisation=organisation)
    return submission


def lots_save(*, actor, submission: Submission, prices: dict[int, Decimal | None]) -> list[LotBid]:
    """Choose the lots to bid for, with a price (or, for a grant, the amount asked for) for each.

    ``prices`` maps a lot's id to its price; a fixed-price lot takes None. A
    price below a lot's minimum acceptable price, over a grant's maximum award,
    or for a lot that is not in this opportunity is refused and nothing changes.
    """
    if not prices:
        raise SubmissionError.on("lots", "Choose at least one lot")
    with _draft(actor, submission) as locked:
        lots = {lot.pk: lot for lot in locked.opportunity.lots.all()}
        errors: dict[str, list[str]] = {}
        for lot_id, price in prices.items():
            lot = lots.get(lot_id)
            if lot is None:
                raise SubmissionError.on("lots", "That lot is not part of this opportunity")
            problem = price_problem(
                pricing=lot.pricing,
                price=price,
                floor=lot.floor_price,
                max_award=lot.max_award,
                lot_label=f"lot {lot.number}",
            )
            if problem:
                errors.setdefault(f"price-{lot.pk}", []).append(problem)
        if errors:
            raise SubmissionError(errors)
        locked.lot_bids.exclude(lot_id__in=prices).delete()
        bids = []
        for lot_id, price in prices.items():
            bid, _ = LotBid.objects.update_or_create(
                submission=locked,
                lot_id=lot_id,
                defaults={"price": None if lots[lot_id].pricing == "fixed" else price},
            )
            bids.append(bid)
        audit_record(
            actor=actor,
            verb="submission.lots_save",
            obj=locked,
            after={"lots": [lots[i].number for i in prices]},  # prices stay out of the log while sealed
        )
    return bids


def answer_save(*, actor, submission: Submission, question: Question, text: str) -> Answer:
    """Save an answer as it is written; it may run over the word limit while drafting, not when submitting."""
    text = (text or "").replace("\r\n", "\n")
    if question.opportunity_id != submission.opportunity_id:
        raise SubmissionError.on("text", "That question is not part of this opportunity")
    if count_words(text) > question.word_limit * DRAFT_SLACK:
        raise SubmissionError.on(
            "text", f"Your answer is far over the {question.word_limit}-word limit: shorten it before saving"
        )
    with _draft(actor, submission) as locked:
        answer, _ = Answer.objects.update_or_create(
            submission=locked,
            question=question,
            defaults={"text": text, "updated_by": actor, "updated_at": clock.now()},
        )
        audit_record(actor=actor, verb="submission.answer_save", obj=locked, after={"question": question.number})
    return answer


def _bidding_organisations(submission: Submission) -> list[Organisation]:
    confirmed = [
        m.organisation for m in submission.members.select_related("organisation") if m.status == MemberStatus.CONFIRMED
    ]
    return [submission.organisation, *confirmed]


def evidence_confirm(
    *, actor, submission: Submission, organisation: Organisation, items: list[str]
) -> list[EvidenceConfirmation]:
    """Confirm the current version of each of ``items`` from ``organisation``'s evidence store for this bid.

    The lead's people confirm the lead's items; a consortium member's people
    confirm their own. Missing and expired items are refused with the reason,
    and nothing is confirmed. Items already confirmed and not named stay
    confirmed; :func:`evidence_confirmations_set` makes a list the whole answer.
    """
    return _evidence_confirm(actor=actor, submission=submission, organisation=organisation, items=items, only=False)


def evidence_confirmations_set(
    *, actor, submission: Submission, organisation: Organisation, items: list[str]
) -> list[EvidenceConfirmation]:
    """Make ``items`` exactly what ``organisation`` confirms for this bid, as the evidence page asks.

    Guarantees, on top of :func:`evidence_confirm`'s: every item the
    organisation had confirmed for the bid and is not in ``items`` is no
    longer confirmed, in the same transaction and audit event, so unticking
    an item takes its confirmation away. An empty list withdraws them all.
    Nothing changes when any named item is refused.
    """
    return _evidence_confirm(actor=actor, submission=submission, organisation=organisation, items=items, only=True)


def _evidence_confirm(
    *, actor, submission: Submission, organisation: Organisation, items: list[str], only: bool
) -> list[EvidenceConfirmation]:
    needed = set(submission.opportunity.standard_items)
    unknown = set(items) - needed
    if unknown:
        raise SubmissionError.on("items", "This opportunity does not ask for that item")
    if not (actor and actor.is_authenticated and acts_for(actor, organisation)):
        raise SubmissionError.on("", "Only people at that organisation can confirm its evidence")
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self", "opportunity", "organisation"))
            .select_related("opportunity", "organisation")
            .get(pk=submission.pk)
        )
        now = clock.now()
        _require_open(locked.opportunity, now)
        if organisation.pk not in {o.pk for o in _bidding_organisations(locked)}:
            raise SubmissionError.on("", "That organisation is not part of this bid")
        readiness = evidence_readiness(organisation=organisation, items=list(items), on=clock.today())
        problems = {f"item-{r.item}": [r.message] for r in readiness if r.state in (MISSING, EXPIRED)}
        if problems:
            raise SubmissionError(problems)
        withdrawn: list[str] = []
        if only:
            unticked = EvidenceConfirmation.objects.filter(submission=locked, organisation=organisation).exclude(
                item__in=list(items)
            )
            withdrawn = sorted(unticked.values_list("item", flat=True))
            unticked.delete()
        confirmations = []
        for ready in readiness:
            confirmation, _ = EvidenceConfirmation.objects.update_or_create(
                submission=locked,
                organisation=organisation,
                item=ready.item,
                defaults={"version": ready.version, "confirmed_by": actor, "confirmed_at": now},
            )
            confirmations.append(confirmation)
        _touch(locked)
        after = {"organisation": organisation.name, "items": sorted(items)}
        if withdrawn:
            after["withdrawn"] = withdrawn
        audit_record(actor=actor, verb="submission.evidence_confirm", obj=locked, after=after)
    return confirmations


def commitment_add(*, actor, submission: Submission, description: str, measure: str, target: str) -> Commitment:
    """Add a social value commitment: what will be done, how it is measured, and the target."""
    values = {"description": description.strip(), "measure": measure.strip(), "target": target.strip()}
    errors = {
        key: [message]
        for key, message in (
            ("description", "Say what you will do"),
            ("measure", "Say how it will be measured"),
            ("target", "Give a target"),
        )
        if not values[key]
    }
    if errors:
        raise SubmissionError(errors)
    with _draft(actor, submission) as locked:
        if locked.commitments.count() >= MAX_COMMITMENTS:
            raise SubmissionError.on("description", f"A bid can make up to {MAX_COMMITMENTS} commitments")
        commitment = Commitment.objects.create(submission=locked, created_at=clock.now(), **values)
        audit_record(actor=actor, verb="submission.commitment_add", obj=locked, after={"commitment": commitment.pk})
    return commitment


def commitment_remove(*, actor, submission: Submission, commitment_id: int) -> None:
    """Remove a social value commitment from the draft."""
    with _draft(actor, submission) as locked:
        deleted, _ = locked.commitments.filter(pk=commitment_id).delete()
        if not deleted:
            raise SubmissionError.on("", "That commitment is not part of this bid")
        audit_record(actor=actor, verb="submission.commitment_remove", obj=locked, before={"commitment": commitment_id})


def attachment_add(*, actor, submission: Submission, title: str, upload) -> Attachment:
    """Attach a file (PDF, Word, Excel or OpenDocument, checked by content, within the size limit)."""
    title = (title or "").strip()
    if not title:
        raise SubmissionError.on("title", "Give the file a title")
    if upload is None:
        raise SubmissionError.on("file", "Choose a file")
    try:
        checked = check_upload(upload, max_bytes=ATTACHMENT_MAX_MB * 1024 * 1024)
    except UploadError as exc:
        raise SubmissionError.on("file", str(exc)) from exc
    with _draft(actor, submission) as locked:
        if locked.attachments.filter(removed_at__isnull=True).count() >= MAX_ATTACHMENTS:
            raise SubmissionError.on("file", f"A bid can have up to {MAX_ATTACHMENTS} files")
        attachment = Attachment(
            submission=locked,
            title=title[:200],
            file_name=upload.name[:255],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        audit_record(
            actor=actor,
            verb="submission.attachment_add",
            obj=locked,
            after={"file": attachment.file_name, "sha256": attachment.sha256},
        )
    return attachment


def attachment_remove(*, actor, submission: Submission, attachment_id: int) -> None:
    """Take a file out of the draft; it is kept for any record that already names it."""
    with _draft(actor, submission) as locked:
        updated = locked.attachments.filter(pk=attachment_id, removed_at__isnull=True).update(removed_at=clock.now())
        if not updated:
            raise SubmissionError.on("", "That file is not part of this bid")
        audit_record(actor=actor, verb="submission.attachment_remove", obj=locked, before={"attachment": attachment_id})


def member_invite(*, actor, submission: Submission, organisation: Organisation, role: str) -> ConsortiumMember:
    """Invite a verified provider to join the bid as a consortium member; its administrators are told."""
    role = (role or "").strip()
    if not role:
        raise SubmissionError.on("role", "Say what this organisation will deliver")
    if organisation.side != Side.PROVIDER or organisation.status != OrganisationStatus.VERIFIED:
        raise SubmissionError.on("organisation", "Choose a verified provider")
    with _draft(actor, submission) as locked:
        if organisation.pk == locked.organisation_id:
            raise SubmissionError.on("organisation", "Your own organisation leads the bid: choose another")
        # Whether the invited organisation has a bid of its own is its business: the inviter is told
        # nothing of it. The invited organisation learns, when it answers, that its own bid stands in the way.
        if locked.members.filter(organisation=organisation).exists():
            raise SubmissionError.on("organisation", f"{organisation.name} is already invited")
        member = ConsortiumMember.objects.create(
            submission=locked, organisation=organisation, role=role[:300], invited_by=actor, invited_at=clock.now()
        )
        audit_record(
            actor=actor, verb="submission.member_invite", obj=locked, after={"organisation": organisation.name}
        )
        notifications.member_invited(member)
    return member


def member_remove(*, actor, submission: Submission, member_id: int) -> None:
    """Take an organisation out of the consortium, with the evidence it confirmed."""
    with _draft(actor, submission) as locked:
        member = locked.members.filter(pk=member_id).select_related("organisation").first()
        if member is None:
            raise SubmissionError.on("", "That organisation is not part of this bid")
        locked.confirmations.filter(organisation=member.organisation).delete()
        member.delete()
        audit_record(
            actor=actor, verb="submission.member_remove", obj=locked, before={"organisation": member.organisation.name}
        )


def _own_bid(organisation: Organisation, opportunity: Opportunity) -> bool:
    """Whether the organisation has submitted a bid of its own for the opportunity that still counts.

    A draft never submitted does not stand in the way: once the organisation
    has joined a consortium, :func:`problems_for` stops that draft being submitted.
    """
    latest = (
        SubmissionRecord.objects.filter(submission__opportunity=opportunity, submission__organisation=organisation)
        .order_by("-number")
        .first()
    )
    return latest is not None and latest.withdrawn_at is None


def member_answer(*, actor, member: ConsortiumMember, accept: bool) -> ConsortiumMember:
    """The invited organisation confirms it is part of the bid, or declines.

    An organisation with a bid of its own for the same opportunity cannot
    confirm: it is told so (it is its own bid); the inviter never is.
    """
    if not (actor and actor.is_authenticated and acts_for(actor, member.organisation)):
        raise SubmissionError.on("", "Only people at the invited organisation can answer")
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self", "opportunity"))
            .select_related("opportunity")
            .get(pk=member.submission_id)
        )
        _require_open(locked.opportunity, clock.now())
        member = ConsortiumMember.objects.select_for_update().get(pk=member.pk)
        if member.status != MemberStatus.INVITED:
            raise SubmissionError.on("", f"This invitation was already {member.get_status_display().lower()}")
        if accept and _own_bid(member.organisation, locked.opportunity):
            raise SubmissionError.on(
                "",
                f"{member.organisation.name} has its own bid for this opportunity, so it cannot also join this one. "
                "Withdraw your own bid first, or decline the invitation.",
            )
        member.status = MemberStatus.CONFIRMED if accept else MemberStatus.DECLINED
        member.answered_by = actor
        member.answered_at = clock.now()
        member.save(update_fields=["status", "answered_by", "answered_at"])
        _touch(locked)
        audit_record(
            actor=actor,
            verb=f"submission.member_{member.status}",
            obj=locked,
            after={"organisation": member.organisation.name},
        )
    return member


def _joined_elsewhere_problems(submission: Submission) -> list[Problem]:
    """The organisation is a confirmed member of another bid for this opportunity: it cannot bid alone too."""
    joined = (
        ConsortiumMember.objects.filter(
            organisation_id=submission.organisation_id,
            status=MemberStatus.CONFIRMED,
            submission__opportunity_id=submission.opportunity_id,
        )
        .select_related("submission__organisation")
        .first()
    )
    if joined is None:
        return []
    return [
        Problem(
            "consortium",
            "organisation",
            f"Your organisation is part of {joined.submission.organisation.name}'s consortium bid for this "
            "opportunity, so it cannot also bid on its own",
        )
    ]


def _lot_problems(submission: Submission) -> list[Problem]:
    """At least one lot, each with a price its lot accepts."""
    bids = list(submission.lot_bids.select_related("lot"))
    if not bids:
        return [Problem("lots", "lots", "Choose at least one lot")]
    problems = []
    for bid in bids:
        lot = bid.lot
        message = price_problem(
            pricing=lot.pricing,
            price=bid.price,
            floor=lot.floor_price,
            max_award=lot.max_award,
            lot_label=f"lot {lot.number}",
        )
        if message:
            problems.append(Problem("lots", f"price-{lot.pk}", message))
    return problems


def _evidence_problems(submission: Submission, members, *, on) -> list[Problem]:
    """Each bidder's confirmation of each standard item: present, not superseded, not expired on ``on``."""
    opportunity = submission.opportunity
    confirmed = {(c.organisation_id, c.item): c for c in submission.confirmations.select_related("version")}
    bidders = [submission.organisation, *(m.organisation for m in members if m.status == MemberStatus.CONFIRMED)]
    problems = []
    for organisation in bidders:
        readiness = {
            r.item: r
            for r in evidence_readiness(organisation=organisation, items=list(opportunity.standard_items), on=on)
        }
        section = "evidence" if organisation.pk == submission.organisation_id else "consortium"
        prefix = "" if section == "evidence" else f"{organisation.name}: "
        for item in opportunity.standard_items:
            message = _confirmation_problem(confirmed.get((organisation.pk, item)), readiness[item], on=on)
            if message:
                problems.append(Problem(section, f"item-{item}", prefix + message))
    return problems


def _confirmation_problem(confirmation, ready, *, on) -> str | None:
    if confirmation is None:
        return f"Confirm your {ready.label.lower()}"
    if confirmation.version.superseded_at is not None:
        return f"Your {ready.label.lower()} has changed since it was confirmed: confirm it again"
    if confirmation.version.valid_until is not None and confirmation.version.valid_until < on:
        return ready.message
    return None


def _answer_problems(submission: Submission) -> list[Problem]:
    """Every question answered within its word limit."""
    answers = {a.question_id: a.text for a in submission.answers.all()}
    problems = []
    for question in submission.opportunity.questions.all():
        message = answer_problem(
            text=answers.get(question.pk, ""), word_limit=question.word_limit, number=question.number
        )
        if message:
            problems.append(Problem(f"question-{question.number}", "text", message))
    return problems


def problems_for(submission: Submission, *, on=None) -> list[Problem]:
    """Everything to put right before ``submission`` can be submitted, in the order of the task list."""
    on = on or clock.today()
    members = list(submission.members.select_related("organisation"))
    unconfirmed = [
        Problem("consortium", f"member-{m.pk}", f"{m.organisation.name} has not yet confirmed it is part of this bid")
        for m in members
        if m.status == MemberStatus.INVITED
    ]
    problems = [
        *_joined_elsewhere_problems(submission),
        *_lot_problems(submission),
        *unconfirmed,
        *_evidence_problems(submission, members, on=on),
        *_answer_problems(submission),
    ]
    if submission.opportunity.kind == "tender" and not submission.commitments.exists():
        problems.append(Problem("commitments", "description", "Make at least one social value commitment"))
    return problems


def submission_submit(
    *,
    actor,
    submission: Submission,
    declaration_name: str,
    declaration_role: str,
    confirmed: bool,
    received_at: datetime | None = None,
) -> SubmissionRecord:
    """Submit the draft as it stands: a sealed record with its canonical form and SHA-256, and a receipt.

    The server's clock decides: at or after the deadline the submit is refused
    and the draft is kept. A draft that is incomplete, has a price below a
    floor or an expired item is refused with every reason. Submitting a
    revision already submitted returns that record, so a double click or a
    retry makes one submission; two at once are serialised by the row lock
    and, should both get through, by the unique constraint on the revision.

    ``received_at`` is when the request reached the application (pages and
    API pass it): the deadline is judged, and the record dated, by that
    moment rather than by when the request's turn for the lock came. Only a
    moment in the last few minutes is believed; otherwise the clock now.
    """
    declaration = {"name": (declaration_name or "").strip(), "role": (declaration_role or "").strip()}
    errors: dict[str, list[str]] = {}
    if not declaration["name"]:
        errors["declaration_name"] = ["Enter the name of the person making the declaration"]
    if not declaration["role"]:
        errors["declaration_role"] = ["Enter their role at your organisation"]
    if not confirmed:
        errors["confirmed"] = ["Confirm the declaration"]
    try:
        with transaction.atomic():
            locked = (
                Submission.objects.select_for_update(of=("self", "opportunity", "organisation"))
                .select_related("opportunity", "organisation")
                .get(pk=submission.pk)
            )
            _require_bidder(actor, locked.organisation)
            already = locked.records.filter(revision=locked.revision, withdrawn_at__isnull=True).first()
            if already is not None:
                return already
            now = _arrival(received_at)
            _require_open(locked.opportunity, now)
            if errors:
                raise SubmissionError(errors)
            problems = problems_for(locked)
            if problems:
                raise SubmissionError({"": [p.message for p in problems]})
            number = (locked.records.aggregate(n=Max("number"))["n"] or 0) + 1
            document = canonical.build(
                submission=locked, number=number, submitted_at=now, submitted_by=actor, declaration=declaration
            )
            text = canonical.dumps(document)
            record = SubmissionRecord.objects.create(
                submission=locked,
                number=number,
                revision=locked.revision,
                submitted_by=actor,
                submitted_at=now,
                canonical=text,
                sha256=canonical.digest(text),
            )
            locked.status = SubmissionStatus.SUBMITTED
            locked.declaration_name, locked.declaration_role = declaration["name"], declaration["role"]
            locked.save(update_fields=["status", "declaration_name", "declaration_role"])
            audit_record(
                actor=actor,
                verb="submission.submit",
                obj=locked,
                after={"record": number, "sha256": record.sha256, "submitted_at": now.isoformat()},
            )
            notifications.receipt(record)
    except IntegrityError:
        # The same revision was recorded by a request that got there first: that one is the submission.
        record = SubmissionRecord.objects.filter(
            submission=submission, revision=Submission.objects.get(pk=submission.pk).revision
        ).first()
        if record is None:
            raise
        return record
    return record


RECEIVED_AT_TRUSTED_FOR = timedelta(minutes=5)


def _arrival(received_at: datetime | None) -> datetime:
    now = clock.now()
    if received_at is None or not (now - RECEIVED_AT_TRUSTED_FOR <= received_at <= now):
        return now
    return received_at


def submission_withdraw(*, actor, submission: Submission) -> SubmissionRecord:
    """Withdraw the submitted bid before the deadline; the draft stays, and can be submitted again."""
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self", "opportunity", "organisation"))
            .select_related("opportunity", "organisation")
            .get(pk=submission.pk)
        )
        _require_bidder(actor, locked.organisation)
        _require_open(locked.opportunity, clock.now())
        record = locked.records.filter(withdrawn_at__isnull=True).order_by("-number").first()
        if record is None or locked.status != SubmissionStatus.SUBMITTED:
            raise SubmissionError.on("", "There is no submitted bid to withdraw")
        now = clock.now()
        SubmissionRecord.objects.filter(pk=record.pk).update(withdrawn_at=now, withdrawn_by=actor)
        locked.status = SubmissionStatus.WITHDRAWN
        locked.save(update_fields=["status"])
        _touch(locked)
        audit_record(actor=actor, verb="submission.withdraw", obj=locked, after={"record": record.number})
        record.refresh_from_db()
    return record


def submissions_open(*, actor, opportunity: Opportunity) -> Opening:
    """Open an opportunity's submissions after its deadline, recording who, when and how many.

    Only its commissioners may, and only once the server's clock has passed
    the deadline. Opening again returns the first opening. The statistics
    kept (bids in all, per lot, by organisation size band) are counts only.
    """
    if not is_commissioner_for(actor, opportunity):
        raise SubmissionError.on("", "Only the opportunity's commissioners can open its submissions")
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        existing = Opening.objects.filter(opportunity=locked).first()
        if existing:
            return existing
        now = clock.now()
        if not locked.deadline_passed(now):
            raise SubmissionError.on("", f"Submissions are sealed until {deadline_text(locked)}")
        records = counted_records(locked)
        statistics = _statistics(locked, records)
        opening = Opening.objects.create(
            opportunity=locked, opened_by=actor, opened_at=now, submissions=len(records), statistics=statistics
        )
        audit_record(
            actor=actor,
            verb="submissions.open",
            obj=locked,
            after={"submissions": len(records), "opened_at": now.isoformat()},
        )
    return opening


def _statistics(opportunity: Opportunity, records: list[SubmissionRecord]) -> dict:
    per_lot = {str(lot.number): 0 for lot in Lot.objects.filter(opportunity=opportunity)}
    by_band: dict[str, int] = {}
    consortia = 0
    for record in records:
        document = record.document
        for lot in document["lots"]:
            per_lot[str(lot["number"])] = per_lot.get(str(lot["number"]), 0) + 1
        band = size_band(record.submission.organisation.latest_income)
        key = band.value if band else "unknown"
        by_band[key] = by_band.get(key, 0) + 1
        consortia += bool(document["consortium"])
    return {"bids": len(records), "per_lot": per_lot, "by_size_band": by_band, "consortium_bids": consortia}
