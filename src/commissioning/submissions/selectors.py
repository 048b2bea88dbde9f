"""Reads of bids and applications. Sealed means sealed: the rules live here.

Before an opportunity's deadline nobody outside the submitting organisations
can read any part of a submission, or learn whether there are any: the
commissioner's reads raise :class:`Sealed` with the same sentence whether or
not anything was submitted. After the deadline, the contents are read only
once a commissioner has opened them (which is recorded). Providers read their
own organisation's submissions and the bids they are invited to join; any
other submission answers 404, as if it did not exist.
"""

from dataclasses import dataclass

from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from commissioning.accounts.models import Organisation, OrganisationStatus, Side
from commissioning.core.formats import format_datetime
from commissioning.evidence.models import EvidenceItem
from commissioning.opportunities.models import Opportunity
from commissioning.opportunities.permissions import is_commissioner_for

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
)
from .permissions import BIDDER_ROLES


class Sealed(Exception):
    """Submissions that may not be read yet, with the sentence to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def deadline_text(opportunity: Opportunity) -> str:
    """The deadline as people read it, in Leeds's time ("3 March 2027, 12:00pm")."""
    return format_datetime(opportunity.submission_deadline)


def _bidding_organisation_ids(user) -> list[int]:
    if not (user and user.is_authenticated):
        return []
    return [m.organisation_id for m in user.active_memberships if m.role in BIDDER_ROLES and m.organisation.is_verified]


def submissions_for_provider(*, user) -> QuerySet[Submission]:
    """The bids of the organisations the user bids for, latest change first."""
    return (
        Submission.objects.filter(organisation_id__in=_bidding_organisation_ids(user))
        .select_related("opportunity", "organisation")
        .order_by("-updated_at")
    )


def opened_among(opportunities: list[Opportunity]) -> set[int]:
    """The ids of those opportunities whose submissions have been opened (one query). No access check."""
    return set(
        Opening.objects.filter(opportunity_id__in=[o.pk for o in opportunities]).values_list(
            "opportunity_id", flat=True
        )
    )


def bid_counts_for(opportunities: list[Opportunity]) -> dict[int, int]:
    """For each of those opportunities (by id), how many bids are submitted and not withdrawn (one query).

    Only counts: nothing of a bid's contents, so nothing sealed. No access check.
    """
    return dict(
        SubmissionRecord.objects.filter(
            submission__opportunity_id__in=[o.pk for o in opportunities], withdrawn_at__isnull=True
        )
        .values("submission__opportunity_id")
        .annotate(n=Count("submission_id", distinct=True))
        .values_list("submission__opportunity_id", "n")
    )


def invitations_for_provider(*, user) -> QuerySet[ConsortiumMember]:
    """Consortium bids the user's organisations are invited to or part of."""
    return (
        ConsortiumMember.objects.filter(organisation_id__in=_bidding_organisation_ids(user))
        .exclude(status=MemberStatus.DECLINED)
        .select_related("submission__opportunity", "submission__organisation", "organisation")
        .order_by("-invited_at")
    )


def submission_get_for_bidder(*, user, public_id) -> Submission:
    """A submission the user's organisation leads, for reading and changing it, or 404."""
    submission = (
        Submission.objects.select_related("opportunity", "organisation")
        .filter(public_id=public_id, organisation_id__in=_bidding_organisation_ids(user))
        .first()
    )
    if submission is None:
        raise Http404
    return submission


def membership_get_for_member(*, user, public_id, member_id: int) -> ConsortiumMember:
    """A consortium invitation to one of the user's organisations, or 404."""
    member = (
        ConsortiumMember.objects.select_related("submission__opportunity", "submission__organisation", "organisation")
        .filter(
            pk=member_id,
            submission__public_id=public_id,
            organisation_id__in=_bidding_organisation_ids(user),
        )
        .first()
    )
    if member is None:
        raise Http404
    return member


def record_get_for_bidder(*, user, public_id, number: int) -> SubmissionRecord:
    """One of the records (receipts) of the user's organisation's submission, or 404."""
    record = (
        SubmissionRecord.objects.select_related("submission__opportunity", "submission__organisation", "submitted_by")
        .filter(
            submission__public_id=public_id,
            number=number,
            submission__organisation_id__in=_bidding_organisation_ids(user),
        )
        .first()
    )
    if record is None:
        raise Http404
    return record


def counted_records(opportunity: Opportunity) -> list[SubmissionRecord]:
    """The record that counts for each submission: its latest one that is not withdrawn.

    No access check and no seal: only for services that have checked both.
    """
    latest: dict[int, SubmissionRecord] = {}
    records = (
        SubmissionRecord.objects.filter(submission__opportunity=opportunity, withdrawn_at__isnull=True)
        .select_related("submission__organisation")
        .order_by("submission_id", "number")
    )
    for record in records:
        latest[record.submission_id] = record
    return sorted(latest.values(), key=lambda r: (r.submitted_at, r.pk))


def _require_unsealed(*, user, opportunity: Opportunity) -> Opening:
    if not is_commissioner_for(user, opportunity):
        raise Http404
    if opportunity.sealed:
        raise Sealed(f"Submissions are sealed until {deadline_text(opportunity)}")
    opening = Opening.objects.filter(opportunity=opportunity).first()
    if opening is None:
        raise Sealed("The deadline has passed: the submissions are ready to be opened")
    return opening


def opening_state(*, user, opportunity: Opportunity) -> dict:
    """What the commissioner's submissions page may say: sealed, ready to open (with how many), or opened.

    Before the deadline the answer is the same whether or not there are any submissions.
    """
    if not is_commissioner_for(user, opportunity):
        raise Http404
    if opportunity.sealed:
        return {"state": "sealed", "message": f"Submissions are sealed until {deadline_text(opportunity)}"}
    opening = Opening.objects.filter(opportunity=opportunity).select_related("opened_by").first()
    if opening is None:
        return {"state": "ready", "count": len(counted_records(opportunity))}
    return {"state": "opened", "opening": opening}


def opened_records_for(*, user, opportunity: Opportunity) -> list[SubmissionRecord]:
    """The submissions that count, for the opportunity's commissioners once opened; otherwise Sealed or 404."""
    _require_unsealed(user=user, opportunity=opportunity)
    return counted_records(opportunity)


def opened_record_get_for(*, user, opportunity: Opportunity, public_id) -> SubmissionRecord:
    """One opened submission's counted record, or Sealed, or 404."""
    _require_unsealed(user=user, opportunity=opportunity)
    for record in counted_records(opportunity):
        if str(record.submission.public_id) == str(public_id):
            return record
    raise Http404


def attachment_get_for(*, user, attachment_id: int) -> Attachment:
    """A file from a submission: for its bidders at any time; for the commissioners once opened,
    and then only a file the counted record names. Anything else answers 404."""
    attachment = Attachment.objects.select_related("submission__opportunity").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    submission = attachment.submission
    if submission.organisation_id in _bidding_organisation_ids(user):
        return attachment
    try:
        record = opened_record_get_for(user=user, opportunity=submission.opportunity, public_id=submission.public_id)
    except Sealed as exc:
        raise Http404 from exc
    if any(a["id"] == attachment.pk for a in record.document["attachments"]):
        return attachment
    raise Http404


def evidence_versions_named(record: SubmissionRecord) -> list[EvidenceItem | None]:
    """For each evidence entry of ``record``'s document, in order, the stored version it names (None if gone).

    An entry names its organisation (as it was called when submitted), the
    item, the version and the file's SHA-256. Versions are never changed, so
    the one found is exactly what was sent. Only the bidding organisations'
    versions are looked at: the lead, its consortium members, and any
    organisation the record itself names. No access check: callers have made one.
    """
    entries = record.document.get("evidence", [])
    if not entries:
        return []
    submission = record.submission
    names = {entry["organisation"] for entry in entries}
    connected = {submission.organisation_id, *submission.members.values_list("organisation_id", flat=True)}
    organisations = Organisation.objects.filter(Q(pk__in=connected) | Q(name__in=names)).values_list("pk", flat=True)
    versions = list(
        EvidenceItem.objects.select_related("organisation").filter(
            organisation_id__in=list(organisations),
            item__in={entry["item"] for entry in entries},
            version__in={entry["version"] for entry in entries},
        )
    )

    def same(version: EvidenceItem, entry: dict) -> bool:
        file = entry.get("file") or {}
        return (
            version.item == entry["item"]
            and version.version == entry["version"]
            and (version.sha256 or "") == (file.get("sha256") or "")
        )

    found: list[EvidenceItem | None] = []
    for entry in entries:
        matches = [v for v in versions if same(v, entry)]
        # The organisation as it was named; failing that (it has been renamed since), a bidding organisation.
        named = [v for v in matches if v.organisation.name == entry["organisation"]]
        found.append((named or [v for v in matches if v.organisation_id in connected] or [None])[0])
    return found


def opened_evidence_get_for(*, user, opportunity: Opportunity, public_id, evidence_id: int) -> EvidenceItem:
    """A version from a provider's evidence store that an opened submission's counted record names.

    Only for the opportunity's commissioners, once its submissions are opened;
    anything else (sealed, not opened, another version, another bid) answers 404.
    """
    try:
        record = opened_record_get_for(user=user, opportunity=opportunity, public_id=public_id)
    except Sealed as exc:
        raise Http404 from exc
    for version in evidence_versions_named(record):
        if version is not None and version.pk == evidence_id:
            return version
    raise Http404


def unopened_submission_ids() -> QuerySet:
    """The ids, as text, of submissions whose opportunity's submissions have not been opened.

    For the audit log, which files events under an object's id as text: it
    keeps these submissions' events (who bid, for which lots, with which
    files) from every reader until the commissioner's opening is recorded,
    which can only happen after the deadline. Between the deadline and the
    opening nobody learns more from the log than the commissioner's page
    says: how many.
    """
    return (
        Submission.objects.filter(opportunity__opening__isnull=True)
        .annotate(id_text=Cast("pk", output_field=CharField()))
        .values("id_text")
    )


def provider_may_bid(*, user) -> bool:
    """Whether the user can start a bid for some verified provider."""
    return bool(_bidding_organisation_ids(user))


__all__ = ["Q", "Sealed"]


# The bidder's own pages. Each takes a submission already loaded through ``submission_get_for_bidder``
# or ``membership_get_for_member`` (which answer 404 to anyone else) and adds no access check of its own.


@dataclass(frozen=True)
class BidParts:
    """Which parts of a draft bid have been started: what the task list shows as each section's state."""

    answers: dict[int, str]
    lots_started: bool
    evidence_confirmed: bool
    commitments_made: bool
    files_added: bool
    partners_invited: bool


def bid_parts_for(*, submission: Submission) -> BidParts:
    """What the bid's task list needs to know about each section (answers by question id, the rest yes/no).

    Evidence counts only what the submitting organisation itself confirmed; removed files do not count.
    """
    return BidParts(
        answers={a.question_id: a.text for a in submission.answers.all()},
        lots_started=submission.lot_bids.exists(),
        evidence_confirmed=submission.confirmations.filter(organisation=submission.organisation).exists(),
        commitments_made=submission.commitments.exists(),
        files_added=submission.attachments.filter(removed_at__isnull=True).exists(),
        partners_invited=submission.members.exists(),
    )


def lot_bids_by_lot(*, submission: Submission) -> dict[int, LotBid]:
    """The bid's lots and prices, by lot id."""
    return {b.lot_id: b for b in submission.lot_bids.all()}


def confirmations_by_item(*, submission: Submission, organisation: Organisation) -> dict[str, EvidenceConfirmation]:
    """The evidence one organisation of the bid has confirmed for it, by standard item, with the version confirmed.

    Only that organisation's confirmations: a partner's are its own to give.
    """
    return {c.item: c for c in submission.confirmations.filter(organisation=organisation).select_related("version")}


def answer_for(*, submission: Submission, question) -> Answer | None:
    """The bid's answer to one question, or None if it has not been answered."""
    return submission.answers.filter(question=question).first()


def commitments_of(*, submission: Submission) -> list[Commitment]:
    """The bid's social value commitments, in the order they were made."""
    return list(submission.commitments.all())


def files_of(*, submission: Submission) -> list[Attachment]:
    """The bid's supporting files that have not been removed."""
    return list(submission.attachments.filter(removed_at__isnull=True))


def members_of(*, submission: Submission) -> list[ConsortiumMember]:
    """The organisations invited to bid with the bid's organisation, whatever their answer, with the organisation."""
    return list(submission.members.select_related("organisation"))


def consortium_candidates_for(*, submission: Submission, members: list[ConsortiumMember]) -> list[Organisation]:
    """The verified providers that may still be invited to the bid, by name.

    Neither the bid's own organisation nor one already invited (``members``) is offered again.
    """
    taken = {m.organisation_id for m in members} | {submission.organisation_id}
    verified = Organisation.objects.filter(side=Side.PROVIDER, status=OrganisationStatus.VERIFIED).order_by("name")
    return [o for o in verified if o.pk not in taken]


def bid_contents_for_check(*, submission: Submission) -> dict:
    """Everything the bid holds, as the check-your-answers page shows it.

    Lots with their prices, answers by question id, every organisation's evidence confirmations (by
    organisation name, then item), commitments, files not removed and partners.
    """
    return {
        "lot_bids": list(submission.lot_bids.select_related("lot")),
        "answers": {a.question_id: a for a in submission.answers.all()},
        "confirmations": list(
            submission.confirmations.select_related("organisation", "version").order_by("organisation__name", "item")
        ),
        "commitments": commitments_of(submission=submission),
        "files": files_of(submission=submission),
        "members": members_of(submission=submission),
    }
