"""Bids and applications through the services: drafts, the floor, deadlines, idempotency, receipts, sealing."""

import json
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import VerifiedProviderFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.evidence.tests.factories import record
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.submissions import canonical, selectors, services
from commissioning.submissions.models import SubmissionRecord, SubmissionStatus
from commissioning.submissions.services import SubmissionError

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity():
    return tender()


@pytest.fixture
def charity():
    return bidder()


def messages(exc) -> str:
    return " ".join(m for ms in exc.value.errors.values() for m in ms)


def test_starting_twice_gives_the_same_draft(opportunity, charity):
    person, organisation = charity
    first = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    again = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    assert first.pk == again.pk
    assert first.status == SubmissionStatus.DRAFT


def test_only_people_at_a_verified_provider_can_bid(opportunity):
    commissioner = commissioner_at()
    with pytest.raises(SubmissionError):
        services.submission_start(actor=commissioner, opportunity=opportunity, organisation=VerifiedProviderFactory())
    pending = person_with_role(Role.PROVIDER_ADMIN, VerifiedProviderFactory(status="pending"))
    with pytest.raises(SubmissionError, match="verified"):
        services.submission_start(
            actor=pending, opportunity=opportunity, organisation=pending.memberships.get().organisation
        )


def test_a_price_below_the_floor_is_refused_naming_the_floor(opportunity, charity):
    person, organisation = charity
    submission = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    lot = opportunity.lots.first()
    with pytest.raises(SubmissionError) as exc:
        services.lots_save(actor=person, submission=submission, prices={lot.pk: lot.floor_price - Decimal("0.01")})
    assert "minimum acceptable price of £28,000" in messages(exc)
    assert not submission.lot_bids.exists()
    services.lots_save(actor=person, submission=submission, prices={lot.pk: lot.floor_price})
    assert submission.lot_bids.get().price == lot.floor_price


def test_a_lot_of_another_opportunity_is_refused(opportunity, charity):
    person, organisation = charity
    submission = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    other = tender().lots.first()
    with pytest.raises(SubmissionError, match="not part of this opportunity"):
        services.lots_save(actor=person, submission=submission, prices={other.pk: Decimal(30_000)})


def test_an_answer_may_run_over_while_drafting_but_not_when_submitting(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    question = opportunity.questions.first()
    long = " ".join(["word"] * (question.word_limit + 1))
    services.answer_save(actor=person, submission=submission, question=question, text=long)
    with pytest.raises(SubmissionError) as exc:
        submit(person, submission)
    assert f"{question.word_limit + 1} words: the limit is {question.word_limit}" in messages(exc)
    assert submission.answers.get(question=question).text == long  # nothing typed is lost
    with pytest.raises(SubmissionError, match="far over"):
        services.answer_save(
            actor=person, submission=submission, question=question, text="word " * (question.word_limit * 3 + 1)
        )


def test_submitting_records_the_canonical_form_and_its_digest(opportunity, charity, django_capture_on_commit_callbacks):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        kept = submit(person, submission)
    assert kept.number == 1
    assert kept.sha256 == canonical.digest(kept.canonical)
    document = json.loads(kept.canonical)
    assert document["opportunity"]["reference"] == opportunity.reference
    assert [lot["price"] for lot in document["lots"]] == ["30000.00", "30000.00"]
    assert {e["item"] for e in document["evidence"]} == set(opportunity.standard_items)
    assert canonical.dumps(document) == kept.canonical  # the stored text is already canonical
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    receipt = next(m for m in mail.outbox if m.subject.startswith("Receipt"))
    assert kept.sha256 in receipt.body and person.email in receipt.to


def test_a_double_submit_makes_one_record(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    first = submit(person, submission)
    second = submit(person, submission)
    assert first.pk == second.pk
    assert SubmissionRecord.objects.filter(submission=submission).count() == 1


def test_changing_and_submitting_again_makes_the_latest_count(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    first = submit(person, submission)
    services.answer_save(
        actor=person, submission=submission, question=opportunity.questions.first(), text="A better answer."
    )
    second = submit(person, submission)
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 != second.sha256
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1)):
        assert [r.pk for r in selectors.counted_records(opportunity)] == [second.pk]


def test_withdrawing_and_resubmitting_keeps_the_history(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    first = submit(person, submission)
    withdrawn = services.submission_withdraw(actor=person, submission=submission)
    assert withdrawn.pk == first.pk and withdrawn.withdrawn_at is not None
    assert selectors.counted_records(opportunity) == []
    again = submit(person, submission)
    assert again.number == 2
    assert [r.number for r in submission.records.order_by("number")] == [1, 2]
    assert selectors.counted_records(opportunity) == [again]


def test_the_server_clock_decides_the_deadline(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    with time_machine.travel(opportunity.submission_deadline - timedelta(seconds=1), tick=False):
        services.answer_save(
            actor=person, submission=submission, question=opportunity.questions.first(), text="Last-minute change."
        )
        assert submit(person, submission).number == 1
    with time_machine.travel(opportunity.submission_deadline, tick=False):
        with pytest.raises(SubmissionError, match="The deadline was"):
            services.answer_save(
                actor=person, submission=submission, question=opportunity.questions.first(), text="Too late."
            )
        with pytest.raises(SubmissionError, match="The deadline was"):
            services.submission_withdraw(actor=person, submission=submission)
    assert submission.answers.get(question=opportunity.questions.first()).text == "Last-minute change."


def test_a_late_submit_is_refused_and_the_draft_kept(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(SubmissionError, match="Your draft is kept"):
            submit(person, submission)
    assert not submission.records.exists()
    assert submission.answers.count() == opportunity.questions.count()


def test_an_expired_insurance_certificate_stops_the_submit(opportunity, charity):
    person, organisation = charity
    expiry = opportunity.submission_deadline.date() - timedelta(days=5)
    record(person, organisation, "insurance_public", valid_until=expiry)
    submission = complete(opportunity, person, organisation)
    with time_machine.travel(opportunity.submission_deadline - timedelta(days=4)):
        with pytest.raises(SubmissionError, match="(?i)public liability insurance"):
            submit(person, submission)
        assert not submission.records.exists()


def test_an_item_changed_after_it_was_confirmed_must_be_confirmed_again(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    record(person, organisation, "safeguarding_adults", valid_until=clock.today() + timedelta(days=400))
    with pytest.raises(SubmissionError, match="changed since it was confirmed"):
        submit(person, submission)
    services.evidence_confirm(
        actor=person, submission=submission, organisation=organisation, items=["safeguarding_adults"]
    )
    assert submit(person, submission).number == 1


def test_missing_evidence_cannot_be_confirmed(opportunity):
    person, organisation = bidder(evidence=False)
    submission = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    with pytest.raises(SubmissionError) as exc:
        services.evidence_confirm(
            actor=person, submission=submission, organisation=organisation, items=opportunity.standard_items
        )
    assert set(exc.value.errors) == {f"item-{item}" for item in opportunity.standard_items}


def test_another_organisation_cannot_change_the_bid(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    stranger, _ = bidder()
    for attempt in (
        lambda: services.answer_save(
            actor=stranger, submission=submission, question=opportunity.questions.first(), text="x"
        ),
        lambda: submit(stranger, submission),
        lambda: services.submission_withdraw(actor=stranger, submission=submission),
    ):
        with pytest.raises(SubmissionError):
            attempt()


def test_a_consortium_bid_carries_each_members_evidence(opportunity, charity, django_capture_on_commit_callbacks):
    person, organisation = charity
    partner_person, partner = bidder()
    submission = complete(opportunity, person, organisation)
    with django_capture_on_commit_callbacks(execute=True):
        member = services.member_invite(
            actor=person, submission=submission, organisation=partner, role="Runs the groups in Seacroft"
        )
    assert any(partner_person.email in m.to for m in mail.outbox)
    with pytest.raises(SubmissionError, match="has not yet confirmed"):
        submit(person, submission)
    with pytest.raises(SubmissionError):  # the lead cannot answer for the member
        services.member_answer(actor=person, member=member, accept=True)
    services.member_answer(actor=partner_person, member=member, accept=True)
    with pytest.raises(SubmissionError, match="Confirm your"):
        submit(person, submission)
    services.evidence_confirm(
        actor=partner_person, submission=submission, organisation=partner, items=opportunity.standard_items
    )
    kept = submit(person, submission)
    document = kept.document
    assert document["consortium"][0]["organisation"]["name"] == partner.name
    assert {e["organisation"] for e in document["evidence"]} == {organisation.name, partner.name}


def test_submissions_are_sealed_until_the_deadline_and_opened_once(opportunity, charity):
    person, organisation = charity
    commissioner = opportunity.created_by
    empty = tender(commissioner)
    submit(person, complete(opportunity, person, organisation))

    with pytest.raises(selectors.Sealed) as sealed:
        selectors.opened_records_for(user=commissioner, opportunity=opportunity)
    with pytest.raises(selectors.Sealed) as sealed_empty:
        selectors.opened_records_for(user=commissioner, opportunity=empty)
    # The same sentence whether or not anything was submitted, apart from the date.
    assert sealed.value.message.startswith("Submissions are sealed until")
    assert sealed_empty.value.message.startswith("Submissions are sealed until")
    with pytest.raises(SubmissionError, match="sealed until"):
        services.submissions_open(actor=commissioner, opportunity=opportunity)

    with time_machine.travel(opportunity.submission_deadline + timedelta(seconds=1)):
        with pytest.raises(selectors.Sealed, match="ready to be opened"):
            selectors.opened_records_for(user=commissioner, opportunity=opportunity)
        with pytest.raises(SubmissionError):
            services.submissions_open(actor=commissioner_at(), opportunity=opportunity)
        opening = services.submissions_open(actor=commissioner, opportunity=opportunity)
        assert opening.submissions == 1
        assert opening.statistics["bids"] == 1
        assert opening.statistics["per_lot"] == {"1": 1, "2": 1}
        assert services.submissions_open(actor=commissioner, opportunity=opportunity).pk == opening.pk
        assert len(selectors.opened_records_for(user=commissioner, opportunity=opportunity)) == 1
    event = AuditEvent.objects.get(verb="submissions.open")
    assert event.actor == commissioner and event.after["submissions"] == 1


def test_a_submit_that_arrived_before_the_deadline_counts_though_its_turn_came_after(opportunity, charity):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    deadline = opportunity.submission_deadline
    with time_machine.travel(deadline + timedelta(seconds=2), tick=False):
        kept = services.submission_submit(
            actor=person,
            submission=submission,
            declaration_name="Sam Patel",
            declaration_role="Director",
            confirmed=True,
            received_at=deadline - timedelta(seconds=1),
        )
    assert kept.submitted_at == deadline - timedelta(seconds=1)
    assert kept.document["submitted_at"].startswith((deadline - timedelta(seconds=1)).astimezone(UTC).isoformat()[:19])


@pytest.mark.parametrize("offset", [timedelta(minutes=-10), timedelta(minutes=1)])
def test_an_arrival_time_that_cannot_be_true_is_ignored(opportunity, charity, offset):
    person, organisation = charity
    submission = complete(opportunity, person, organisation)
    deadline = opportunity.submission_deadline
    with time_machine.travel(deadline + timedelta(seconds=2), tick=False):
        with pytest.raises(SubmissionError, match="The deadline was"):
            services.submission_submit(
                actor=person,
                submission=submission,
                declaration_name="Sam Patel",
                declaration_role="Director",
                confirmed=True,
                received_at=clock.now() + offset if offset > timedelta(0) else deadline + offset,
            )
