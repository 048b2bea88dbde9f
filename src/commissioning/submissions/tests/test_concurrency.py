"""Submissions under concurrency: two requests at the same moment, on real connections.

The services are raced from threads, and the pages through a live server, the
way a double click or two people in one organisation reach them. Each test
commits for real (a transactional database, restored to its migrated state
afterwards) and runs the racing calls in threads that wait at a barrier, so
they reach the database together. Every thread opens its own connection and
closes it at the end. On PostgreSQL the submission's row lock serialises the
writers; on SQLite every transaction begins IMMEDIATE, so the second writer
waits for the first. Either way the outcome must be one that a serial order
could have given: one record per draft revision, receipts that name it, and a
status that agrees with the records.
"""

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from django.core import mail
from django.db import close_old_connections, connection
from django.urls import reverse

from commissioning.accounts.models import User
from commissioning.accounts.tests.factories import PASSWORD
from commissioning.audit.models import AuditEvent
from commissioning.submissions import services
from commissioning.submissions.models import Submission, SubmissionRecord, SubmissionStatus
from commissioning.submissions.services import SubmissionError

from .factories import bidder, complete, tender

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Long enough for a writer waiting on SQLite's lock (busy_timeout is 10 s); a hang fails the test instead.
JOIN_SECONDS = 60


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def race(*calls: Callable[[], Any]) -> list[Outcome]:
    """Run ``calls`` in threads released together by a barrier; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=JOIN_SECONDS)
            outcomes[index].value = call()
        except BaseException as exc:  # reported to the test below, with its thread
            outcomes[index].error = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_SECONDS)
    assert not any(t.is_alive() for t in threads), "a racing call did not finish"
    close_old_connections()
    return outcomes


def _submit(person_pk: int, submission_pk: int) -> Callable[[], SubmissionRecord]:
    # Each thread loads its own instances: nothing cached on a model object is shared between threads.
    def call() -> SubmissionRecord:
        person = User.objects.get(pk=person_pk)
        return services.submission_submit(
            actor=person,
            submission=Submission.objects.get(pk=submission_pk),
            declaration_name=person.full_name,
            declaration_role="Director",
            confirmed=True,
        )

    return call


def _withdraw(person_pk: int, submission_pk: int) -> Callable[[], SubmissionRecord]:
    def call() -> SubmissionRecord:
        return services.submission_withdraw(
            actor=User.objects.get(pk=person_pk), submission=Submission.objects.get(pk=submission_pk)
        )

    return call


def _raised(outcomes: list[Outcome]) -> list[BaseException]:
    return [o.error for o in outcomes if o.error is not None]


def assert_consistent(submission: Submission, *, changed_since: bool = False) -> None:
    """What any serial order of submits and withdrawals leaves behind.

    ``changed_since`` allows a draft changed after its standing record was made.
    """
    submission.refresh_from_db()
    records = list(submission.records.order_by("number"))
    assert [r.number for r in records] == list(range(1, len(records) + 1))
    assert len({r.revision for r in records}) == len(records), "two records for one revision"
    standing = [r for r in records if r.withdrawn_at is None]
    # Only the latest record can be standing; every earlier one was withdrawn before the next was made.
    assert len(standing) <= 1
    if standing:
        assert standing[0] == records[-1]
        assert submission.status == SubmissionStatus.SUBMITTED
        if changed_since:
            assert standing[0].revision <= submission.revision
        else:
            assert standing[0].revision == submission.revision, "the standing record is not the current draft"
    elif records:
        assert submission.status == SubmissionStatus.WITHDRAWN
        assert submission.revision > records[-1].revision
    events = AuditEvent.objects.filter(object_type="submissions.submission", object_id=str(submission.pk))
    assert events.filter(verb="submission.submit").count() == len(records)
    assert events.filter(verb="submission.withdraw").count() == len(records) - len(standing)


@pytest.fixture
def opportunity():
    return tender()


def test_two_submits_of_one_draft_at_once_make_one_record(opportunity):
    person, organisation = bidder()
    submission = complete(opportunity, person, organisation)
    mail.outbox.clear()
    outcomes = race(_submit(person.pk, submission.pk), _submit(person.pk, submission.pk))
    assert _raised(outcomes) == []
    first, second = (o.value for o in outcomes)
    assert first.pk == second.pk
    assert (first.number, first.sha256) == (second.number, second.sha256)
    assert SubmissionRecord.objects.filter(submission=submission).count() == 1
    assert_consistent(submission)
    # One receipt, not one per click.
    receipts = [m for m in mail.outbox if m.subject.startswith("Receipt")]
    assert len(receipts) == 1 and first.sha256 in receipts[0].body


def test_two_people_at_one_provider_submitting_at_once_make_one_record(opportunity):
    person, organisation = bidder()
    colleague, _ = bidder(organisation, evidence=False)
    submission = complete(opportunity, person, organisation)
    outcomes = race(_submit(person.pk, submission.pk), _submit(colleague.pk, submission.pk))
    assert _raised(outcomes) == []
    assert outcomes[0].value.pk == outcomes[1].value.pk
    assert SubmissionRecord.objects.filter(submission=submission).count() == 1
    assert_consistent(submission)


def test_two_organisations_submitting_at_once_both_succeed(opportunity):
    charity, charity_org = bidder()
    trust, trust_org = bidder()
    ours = complete(opportunity, charity, charity_org)
    theirs = complete(opportunity, trust, trust_org)
    outcomes = race(_submit(charity.pk, ours.pk), _submit(trust.pk, theirs.pk))
    assert _raised(outcomes) == []
    kept = [o.value for o in outcomes]
    assert [r.submission_id for r in kept] == [ours.pk, theirs.pk]
    assert [r.number for r in kept] == [1, 1]
    assert kept[0].sha256 != kept[1].sha256
    for submission in (ours, theirs):
        assert_consistent(submission)
        assert submission.status == SubmissionStatus.SUBMITTED


def test_a_submit_racing_a_withdrawal_leaves_a_consistent_state(opportunity):
    person, organisation = bidder()
    submission = complete(opportunity, person, organisation)
    services.submission_submit(
        actor=person, submission=submission, declaration_name="A Person", declaration_role="Director", confirmed=True
    )
    # Several rounds, so both orders are likely to be seen; each must leave a state a serial order gives.
    for _ in range(4):
        withdrawn, submitted = race(_withdraw(person.pk, submission.pk), _submit(person.pk, submission.pk))
        assert submitted.error is None
        assert SubmissionRecord.objects.filter(pk=submitted.value.pk).exists()
        if withdrawn.error is not None:
            # Only possible if the submit had nothing standing to withdraw when the withdrawal ran.
            assert isinstance(withdrawn.error, SubmissionError), withdrawn.error
        assert_consistent(submission)
        record = SubmissionRecord.objects.get(pk=submitted.value.pk)
        if record.withdrawn_at is not None:
            # The submit returned the standing record, then the withdrawal took it back: submit once more.
            assert submission.status == SubmissionStatus.WITHDRAWN
            services.submission_submit(
                actor=person,
                submission=submission,
                declaration_name="A Person",
                declaration_role="Director",
                confirmed=True,
            )
        else:
            # The withdrawal came first, and the submit made a new record of the changed revision.
            assert submission.status == SubmissionStatus.SUBMITTED
        assert_consistent(submission)


def test_an_answer_saved_while_submitting_is_in_the_record_or_after_it(opportunity):
    person, organisation = bidder()
    submission = complete(opportunity, person, organisation)
    question = opportunity.questions.first()
    text = "Changed at the last moment."

    def save():
        return services.answer_save(
            actor=User.objects.get(pk=person.pk),
            submission=Submission.objects.get(pk=submission.pk),
            question=question,
            text=text,
        )

    saved, submitted = race(save, _submit(person.pk, submission.pk))
    assert _raised([saved, submitted]) == []
    record = submitted.value
    submission.refresh_from_db()
    if text in record.canonical:
        # The save came first: the record is the draft as it stands.
        assert record.revision == submission.revision
    else:
        # The submit came first: the draft has moved on, and the record is the draft before the change.
        assert submission.revision == record.revision + 1
    assert submission.answers.get(question=question).text == text  # nothing typed is lost
    assert_consistent(submission, changed_since=True)


def test_two_tabs_starting_a_bid_at_once_get_one_draft(opportunity):
    person, organisation = bidder()

    def start():
        return services.submission_start(
            actor=User.objects.get(pk=person.pk), opportunity=opportunity, organisation=organisation
        )

    outcomes = race(start, start)
    assert _raised(outcomes) == []
    assert outcomes[0].value.pk == outcomes[1].value.pk
    assert Submission.objects.filter(opportunity=opportunity, organisation=organisation).count() == 1


# Through the pages: a live server, its requests served in threads of their own. -----------------------------

DIGEST = re.compile(r'class="app-digest">([0-9a-f]{64})<')
HTTP_SECONDS = 60


def signed_in(live_server, person) -> requests.Session:
    """A browser session signed in as ``person`` through the sign-in page."""
    session = requests.Session()
    url = live_server.url + reverse("accounts:sign-in")
    session.get(url, timeout=HTTP_SECONDS).raise_for_status()
    response = post(session, url, {"username": person.email, "password": PASSWORD})
    assert reverse("accounts:sign-in") not in response.url, "signing in failed"
    return session


def same_browser(session: requests.Session) -> requests.Session:
    """A second connection carrying the same cookies: a double click, or a retry from the same browser."""
    clone = requests.Session()
    clone.cookies.update(session.cookies)
    return clone


def post(session: requests.Session, url: str, data: dict) -> requests.Response:
    """POST a form with the CSRF token the session's cookie holds, following the redirect as a browser does."""
    response = session.post(
        url, data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}, timeout=HTTP_SECONDS
    )
    assert response.status_code == 200, (response.status_code, response.text[:500])
    return response


def _press_submit(live_server, session: requests.Session, submission: Submission) -> Callable[[], requests.Response]:
    url = live_server.url + reverse("submissions:check", args=[submission.public_id])
    data = {"declaration_name": "A Person", "declaration_role": "Director", "confirmed": "on"}
    return lambda: post(session, url, data)


def _press_withdraw(live_server, session: requests.Session, submission: Submission) -> Callable[[], requests.Response]:
    url = live_server.url + reverse("submissions:withdraw", args=[submission.public_id])
    return lambda: post(session, url, {})


def receipt_of(response: requests.Response, submission: Submission) -> tuple[int, str]:
    """The submission number and digest a receipt page shows (failing if the response is not a receipt)."""
    match = re.search(rf"/bids/{submission.public_id}/receipts/(\d+)/$", response.url)
    assert match, f"not a receipt: {response.url}\n{response.text[:800]}"
    digest = DIGEST.search(response.text)
    assert digest, "the receipt shows no digest"
    return int(match.group(1)), digest.group(1)


def test_a_double_click_on_submit_makes_one_record_and_one_receipt(live_server, opportunity):
    person, organisation = bidder()
    submission = complete(opportunity, person, organisation)
    browser = signed_in(live_server, person)
    first, second = race(
        _press_submit(live_server, browser, submission), _press_submit(live_server, same_browser(browser), submission)
    )
    assert _raised([first, second]) == []
    receipts = {receipt_of(o.value, submission) for o in (first, second)}
    assert len(receipts) == 1, receipts
    ((number, digest),) = receipts
    record = SubmissionRecord.objects.get(submission=submission)
    assert (record.number, record.sha256) == (number, digest)
    assert_consistent(submission)


def test_two_organisations_submitting_through_the_pages_at_once_both_get_receipts(live_server, opportunity):
    charity, charity_org = bidder()
    trust, trust_org = bidder()
    ours = complete(opportunity, charity, charity_org)
    theirs = complete(opportunity, trust, trust_org)
    outcomes = race(
        _press_submit(live_server, signed_in(live_server, charity), ours),
        _press_submit(live_server, signed_in(live_server, trust), theirs),
    )
    assert _raised(outcomes) == []
    for outcome, submission in zip(outcomes, (ours, theirs), strict=True):
        number, digest = receipt_of(outcome.value, submission)
        assert SubmissionRecord.objects.get(submission=submission, number=number).sha256 == digest
        assert_consistent(submission)
        assert submission.status == SubmissionStatus.SUBMITTED


def test_a_submit_racing_a_withdrawal_through_the_pages_leaves_a_consistent_state(live_server, opportunity):
    person, organisation = bidder()
    submission = complete(opportunity, person, organisation)
    browser = signed_in(live_server, person)
    receipt_of(_press_submit(live_server, browser, submission)(), submission)
    withdrawn, submitted = race(
        _press_withdraw(live_server, browser, submission), _press_submit(live_server, same_browser(browser), submission)
    )
    assert _raised([withdrawn, submitted]) == []
    number, digest = receipt_of(submitted.value, submission)
    record = SubmissionRecord.objects.get(submission=submission, number=number)
    assert record.sha256 == digest
    assert_consistent(submission)
    # Either the submit found the bid standing and the withdrawal then took it back (the receipt says
    # so), or the withdrawal came first and the submit made the next record, which stands.
    if record.withdrawn_at is not None:
        assert number == 1 and "It does not count" in browser.get(submitted.value.url, timeout=HTTP_SECONDS).text
    else:
        assert number == 2 and submission.status == SubmissionStatus.SUBMITTED
