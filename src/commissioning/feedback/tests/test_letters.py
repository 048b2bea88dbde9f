"""Letters after the award: reviewed, downloaded and sent by the commissioner; read by the bidder alone.

What an unsuccessful bidder reads (page, DOCX, API) holds its own scores and
the winner's, never another unsuccessful bidder's.
"""

import html
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from docx import Document

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.evaluation.services import EvaluationError
from commissioning.evaluation.tests.awarded import awarded_grant, awarded_tender
from commissioning.evaluation.tests.factories import opened_tender
from commissioning.feedback import services as feedback_services
from commissioning.feedback.letters import COMPACT_CLAUSE
from commissioning.feedback.models import Letter, LetterKind
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.practice.checks import rule_status
from commissioning.practice.models import RuleOutcome
from commissioning.practice.services import explanation_confirm, rule_explain
from commissioning.submissions import services as submission_services
from commissioning.submissions.tests.factories import bidder, complete, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded():
    opened, evaluation = awarded_tender()
    yield opened, evaluation


@pytest.fixture
def grant():
    opened, evaluation = awarded_grant()
    yield opened, evaluation


def base(opened) -> str:
    return f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/"


def letters_by_bidder(opened) -> list[Letter]:
    """The letters in the order of ``opened.bidders`` (winner first)."""
    return [Letter.objects.get(submission=submission) for _, _, submission in opened.bidders]


def page(client, user, path: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode(errors="replace")


def plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# The commissioner's review


def test_the_commissioner_lists_every_letter_with_its_due_day(client, awarded):
    opened, evaluation = awarded
    body = plain(page(client, opened.commissioner, base(opened) + "letters/"))
    for _, organisation, _ in opened.bidders:
        assert organisation.name in body
    assert "Award letter" in body and "Feedback letter" in body
    assert "To send" in body and "Send all 3 unsent letters" in body
    assert "PR-10" in body and "PR-11" in body


def test_a_letter_reads_as_a_page_with_scores_against_the_winner_and_the_standstill(client, awarded):
    opened, evaluation = awarded
    winner, _, last = letters_by_bidder(opened)
    body = plain(page(client, opened.commissioner, base(opened) + f"letters/{last.pk}/"))
    lot = last.content["lots"][0]
    assert "Feedback letter to " + opened.bidders[2][1].name in body
    assert f"Ranked 3 of {lot['bids']}" in body
    assert lot["total"] in body and lot["winner_total"] in body
    assert "Successful bid's points" in body
    assert "Agreed at moderation" in body  # the panel's reason for its score
    assert "standstill period applies: 8 working days beginning with the day the award notice is published" in body
    assert "Send this letter" in body and "Download this letter as a Word document" in body
    award_body = plain(page(client, opened.commissioner, base(opened) + f"letters/{winner.pk}/"))
    assert "Your bid was successful" in award_body and "Successful bid's points" not in award_body


def test_a_letter_downloads_as_a_structured_docx(client, awarded):
    opened, evaluation = awarded
    _, _, last = letters_by_bidder(opened)
    client.force_login(opened.commissioner)
    response = client.get(base(opened) + f"letters/{last.pk}/letter.docx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment;" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Feedback letter"
    assert any(h.startswith("Lot 1:") for h in headings) and "Standstill" in headings
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Criterion",
        "Weight",
        "Your score",
        "Your points",
        "Successful bid's points",
    ]
    assert table.rows[-1].cells[0].text == "Total"
    assert table.rows[-1].cells[3].text == last.content["lots"][0]["total"]
    assert "8 working days beginning with the day the award notice is published" in docx_text(response.content)
    assert document.core_properties.title.startswith("Feedback letter: ")


def test_only_the_opportunitys_commissioners_reach_the_letters_and_only_after_the_award(client, awarded):
    opened, evaluation = awarded
    letter = letters_by_bidder(opened)[0]
    outsider = commissioner_at()
    bidder_person = opened.bidders[0][0]
    for path in ("letters/", f"letters/{letter.pk}/", f"letters/{letter.pk}/letter.docx", "lessons/"):
        page(client, outsider, base(opened) + path, 404)
        page(client, bidder_person, base(opened) + path, 404)
        page(client, opened.second_commissioner, base(opened) + path, 200)
    client.force_login(outsider)
    assert client.post(base(opened) + "letters/send/").status_code == 404
    assert client.post(base(opened) + f"letters/{letter.pk}/").status_code == 404
    assert not Letter.objects.filter(sent_at__isnull=False).exists()


def test_before_the_award_there_are_no_letter_pages(client):
    opened = opened_tender()
    from commissioning.evaluation import services

    services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    page(client, opened.commissioner, base(opened) + "letters/", 404)
    page(client, opened.commissioner, base(opened) + "lessons/", 404)


# ---------------------------------------------------------------------------
# Sending


def test_sending_a_letter_stamps_it_emails_the_bidder_and_is_audited(
    client, awarded, mailoutbox, django_capture_on_commit_callbacks
):
    opened, evaluation = awarded
    person, organisation, submission = opened.bidders[2]
    colleague = person_with_role(Role.PROVIDER_ADMIN, organisation)
    member = person_with_role(Role.PROVIDER_MEMBER, organisation)
    letter = Letter.objects.get(submission=submission)
    client.force_login(opened.commissioner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base(opened) + f"letters/{letter.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/letters/")
    letter.refresh_from_db()
    assert letter.sent_at is not None and letter.sent_by == opened.commissioner
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted({person.email, colleague.email})  # administrators and the submitter
    assert member.email not in recipients
    assert f"/bids/{submission.public_id}/letters/{letter.pk}/" in mailoutbox[0].body
    event = AuditEvent.objects.get(verb="evaluation.letter_send")
    assert event.actor == opened.commissioner and event.after["late"] is False

    # Sending again changes nothing and e-mails nobody.
    mailoutbox.clear()
    first_sent = letter.sent_at
    with django_capture_on_commit_callbacks(execute=True):
        client.post(base(opened) + f"letters/{letter.pk}/")
    letter.refresh_from_db()
    assert letter.sent_at == first_sent and mailoutbox == []
    assert AuditEvent.objects.filter(verb="evaluation.letter_send").count() == 1


def test_sending_all_sends_each_unsent_letter_once_and_records_pr10(
    client, awarded, mailoutbox, django_capture_on_commit_callbacks
):
    opened, evaluation = awarded
    first = letters_by_bidder(opened)[0]
    feedback_services.letter_send(actor=opened.commissioner, letter=first)
    client.force_login(opened.second_commissioner)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(base(opened) + "letters/send/")
    assert response.status_code == 302
    assert Letter.objects.filter(sent_at__isnull=True).count() == 0
    assert Letter.objects.filter(sent_by=opened.second_commissioner).count() == 2
    assert len({m.to[0] for m in mailoutbox}) == 2
    body = plain(page(client, opened.second_commissioner, base(opened) + "letters/"))
    assert "Every letter has been sent" in body
    recorded = RuleOutcome.objects.get(rule__code="PR-10", object_id=str(evaluation.pk), superseded_at__isnull=True)
    assert recorded.outcome == "met" and "2 feedback letters sent on time" in recorded.detail


def test_a_letter_for_a_bid_that_was_not_evaluated_is_refused(client, awarded):
    opened, evaluation = awarded
    # A bid withdrawn before the deadline never reached evaluation: there is no decision for it.
    person, organisation = bidder()
    with time_machine.travel(opened.opportunity.submission_deadline - timedelta(days=2)):
        submission = complete(opened.opportunity, person, organisation)
        submit(person, submission)
        submission_services.submission_withdraw(actor=person, submission=submission)
    stray = Letter.objects.create(
        evaluation=evaluation,
        submission=submission,
        kind=LetterKind.FEEDBACK,
        content=letters_by_bidder(opened)[2].content,
        written_at=clock.now(),
        due_by=clock.today(),
    )
    page(client, opened.commissioner, base(opened) + f"letters/{stray.pk}/", 404)
    page(client, opened.commissioner, base(opened) + f"letters/{stray.pk}/letter.docx", 404)
    assert organisation.name not in page(client, opened.commissioner, base(opened) + "letters/")
    with pytest.raises(EvaluationError, match="not evaluated"):
        feedback_services.letter_send(actor=opened.commissioner, letter=stray)
    feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    stray.refresh_from_db()
    assert stray.sent_at is None
    page(client, person, f"/bids/{submission.public_id}/results/", 404)


def test_only_a_commissioner_of_the_opportunity_sends(awarded):
    opened, evaluation = awarded
    letter = letters_by_bidder(opened)[1]
    for someone in (commissioner_at(), opened.bidders[1][0], opened.evaluator()):
        with pytest.raises(EvaluationError, match="Only a commissioner"):
            feedback_services.letter_send(actor=someone, letter=letter)
        with pytest.raises(EvaluationError, match="Only a commissioner"):
            feedback_services.letters_send_all(actor=someone, evaluation=evaluation)
    letter.refresh_from_db()
    assert letter.sent_at is None


# ---------------------------------------------------------------------------
# PR-10 and PR-11


def test_feedback_unsent_after_its_day_is_overdue_and_pr10_not_met(client, awarded):
    opened, evaluation = awarded
    feedback = letters_by_bidder(opened)[1]
    status = rule_status(evaluation, "PR-10")
    assert status.is_met and "to send by" in status.detail
    after_due = timezone.make_aware(
        timezone.datetime.combine(feedback.due_by + timedelta(days=1), timezone.datetime.min.time().replace(hour=10)),
        clock.LONDON,
    )
    with time_machine.travel(after_due):
        status = rule_status(evaluation, "PR-10")
        assert status.outcome == "not_met" and "2 feedback letters not sent" in status.detail
        body = plain(page(client, opened.commissioner, base(opened) + "letters/"))
        assert "Feedback is overdue" in body and "Overdue" in body
        # Sending late keeps PR-10 not met, and the letter shows as sent late.
        feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
        status = rule_status(evaluation, "PR-10")
        assert status.outcome == "not_met" and "sent after the day it was due" in status.detail
        assert "Sent late" in plain(page(client, opened.commissioner, base(opened) + "letters/"))
    recorded = RuleOutcome.objects.get(rule__code="PR-10", object_id=str(evaluation.pk), superseded_at__isnull=True)
    assert recorded.outcome == "not_met"


def test_an_explanation_of_late_feedback_is_kept(awarded):
    opened, evaluation = awarded
    due = letters_by_bidder(opened)[1].due_by
    with time_machine.travel(timezone.make_aware(timezone.datetime(due.year, due.month, due.day) + timedelta(days=3))):
        body = opened.opportunity.lead_commissioner
        colleague = person_with_role(Role.COMMISSIONER, body)
        explanation = rule_explain(
            actor=opened.commissioner,
            rule_code="PR-10",
            obj=evaluation,
            body=body,
            reason="The panel chair was ill; bidders were told the letters would follow",
            confirmer=colleague,
        )
        # Waiting for the colleague, the late letters are still not explained.
        assert rule_status(evaluation, "PR-10").outcome == "not_met"
        explanation_confirm(actor=colleague, explanation=explanation)
        assert rule_status(evaluation, "PR-10").outcome == "explained"
        feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
        current = RuleOutcome.objects.get(rule__code="PR-10", object_id=str(evaluation.pk), superseded_at__isnull=True)
        assert current.outcome == "explained"


def test_pr10_is_met_when_every_feedback_letter_went_on_time(awarded):
    opened, evaluation = awarded
    feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    later = timezone.now() + timedelta(days=60)
    with time_machine.travel(later):
        status = rule_status(evaluation, "PR-10")
    assert status.is_met and "2 feedback letters sent on time" in status.detail


def test_every_grant_offer_letter_carries_the_compact_clause_and_pr11_says_so(client, grant):
    opened, evaluation = grant
    offer, decline = letters_by_bidder(opened)
    assert offer.kind == LetterKind.OFFER and decline.kind == LetterKind.DECLINE
    status = rule_status(evaluation, "PR-11")
    assert status.is_met and "1 offer letter carrying the Compact" in status.detail
    body = plain(page(client, opened.commissioner, base(opened) + f"letters/{offer.pk}/"))
    assert "The Compact for Leeds" in body and COMPACT_CLAUSE in body
    assert COMPACT_CLAUSE not in plain(page(client, opened.commissioner, base(opened) + f"letters/{decline.pk}/"))
    client.force_login(opened.commissioner)
    document = client.get(base(opened) + f"letters/{offer.pk}/letter.docx").content
    assert COMPACT_CLAUSE in docx_text(document) and "Grant offer letter" in docx_text(document)
    assert "There is no standstill period" in docx_text(document)

    offer.content = {**offer.content, "compact_clause": ""}
    offer.save()
    status = rule_status(evaluation, "PR-11")
    assert status.outcome == "not_met" and opened.bidders[0][1].name in status.detail


def test_a_grant_decline_letter_counts_as_feedback_for_pr10(grant):
    opened, evaluation = grant
    _, decline = letters_by_bidder(opened)
    assert "1 feedback letter to send by" in rule_status(evaluation, "PR-10").detail
    feedback_services.letter_send(actor=opened.commissioner, letter=decline)
    assert "1 feedback letter sent on time" in rule_status(evaluation, "PR-10").detail


# ---------------------------------------------------------------------------
# The bidder's own results and letters


def test_a_bidder_reads_its_results_after_the_award_and_its_letter_once_sent(client, awarded):
    opened, evaluation = awarded
    person, organisation, submission = opened.bidders[1]
    member = person_with_role(Role.PROVIDER_MEMBER, organisation)
    letter = Letter.objects.get(submission=submission)
    # The bid's own page points to the results once the decision is made, and the list gives the outcome.
    assert f"/bids/{submission.public_id}/results/" in page(client, member, f"/bids/{submission.public_id}/")
    listed = plain(page(client, member, "/bids/"))
    assert "Unsuccessful" in listed and "Submitted" not in listed
    results = plain(page(client, member, f"/bids/{submission.public_id}/results/"))
    assert "Your results" in results and "Unsuccessful" in results
    assert letter.content["lots"][0]["total"] in results and letter.content["lots"][0]["winner_total"] in results
    assert "Your letter has not been sent yet" in results
    page(client, person, f"/bids/{submission.public_id}/letters/{letter.pk}/", 404)
    page(client, person, f"/bids/{submission.public_id}/letters/{letter.pk}/letter.docx", 404)

    feedback_services.letter_send(actor=opened.commissioner, letter=letter)
    assert "Feedback letter" in plain(page(client, member, f"/bids/{submission.public_id}/results/"))
    body = plain(page(client, member, f"/bids/{submission.public_id}/letters/{letter.pk}/"))
    assert "Feedback letter" in body and "Download this letter as a Word document" in body
    client.force_login(person)
    response = client.get(f"/bids/{submission.public_id}/letters/{letter.pk}/letter.docx")
    assert response.status_code == 200 and "Feedback letter" in docx_text(response.content)


def test_nobody_else_reads_a_bidders_results_or_letters(client, awarded):
    opened, evaluation = awarded
    feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    _, _, submission = opened.bidders[1]
    letter = Letter.objects.get(submission=submission)
    other_bidder = opened.bidders[2][0]
    outsiders = [other_bidder, opened.commissioner, opened.evaluator(), person_with_role(Role.ADMINISTRATOR)]
    for someone in outsiders:
        page(client, someone, f"/bids/{submission.public_id}/results/", 404)
        page(client, someone, f"/bids/{submission.public_id}/letters/{letter.pk}/", 404)
        page(client, someone, f"/bids/{submission.public_id}/letters/{letter.pk}/letter.docx", 404)
    # Another bid's letter under one's own bid is not found either.
    own = opened.bidders[2][2]
    page(client, other_bidder, f"/bids/{own.public_id}/letters/{letter.pk}/", 404)


def test_no_results_before_the_award(client):
    opened = opened_tender()
    person, _, submission = opened.bidders[0]
    page(client, person, f"/bids/{submission.public_id}/results/", 404)


def test_an_unsuccessful_bidder_sees_only_its_own_scores_and_the_winners(client, awarded):
    opened, evaluation = awarded
    feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    (_, winner_org, winner), (_, second_org, second), (person, _, last) = opened.bidders
    second_letter = Letter.objects.get(submission=second)
    last_letter = Letter.objects.get(submission=last)
    second_totals = {lot["total"] for lot in second_letter.content["lots"]}
    winner_totals = {lot["total"] for lot in Letter.objects.get(submission=winner).content["lots"]}
    assert not second_totals & winner_totals
    client.force_login(person)
    seen = [
        plain(page(client, person, f"/bids/{last.public_id}/results/")),
        plain(page(client, person, f"/bids/{last.public_id}/letters/{last_letter.pk}/")),
        docx_text(client.get(f"/bids/{last.public_id}/letters/{last_letter.pk}/letter.docx").content),
    ]
    for text in seen:
        assert second_org.name not in text and winner_org.name not in text
        assert all(total not in text for total in second_totals)
        assert all(total in text for total in winner_totals)


def test_the_evaluation_overview_leads_to_the_letters_and_the_lessons_learned(client, awarded):
    opened, evaluation = awarded
    body = page(client, opened.commissioner, base(opened))
    assert base(opened) + "letters/" in body and base(opened) + "lessons/" in body
