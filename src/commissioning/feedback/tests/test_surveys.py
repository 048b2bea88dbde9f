"""Lessons learned (PR-9): surveys after the award, answered from a secret link, and the summary."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine

from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core.chronograph import run_due
from commissioning.evaluation.tests.awarded import decide
from commissioning.evaluation.tests.factories import opened_tender
from commissioning.feedback import services as feedback_services
from commissioning.feedback import surveys
from commissioning.feedback.models import SurveyAnswer, SurveyInvitation
from commissioning.opportunities import services as opportunity_services
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.practice.checks import rule_status
from commissioning.practice.models import RuleOutcome
from commissioning.submissions.tests.factories import bidder

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened():
    made = opened_tender()
    yield made


def interested(opened):
    """An organisation that registered interest while the tender was open, and did not bid."""
    person, organisation = bidder()
    with time_machine.travel(opened.opportunity.submission_deadline - timedelta(days=3)):
        opportunity_services.interest_register(actor=person, organisation=organisation, opportunity=opened.opportunity)
    return person, organisation


def award(opened):
    scores = {submission.pk: score for (_, _, submission), score in zip(opened.bidders, (4, 3, 2), strict=True)}
    return decide(opened, scores)


def links_in(mailoutbox) -> dict[str, str]:
    """Each recipient's survey link path."""
    found = {}
    for message in mailoutbox:
        match = re.search(r"https?://[^/\s]+(/surveys/[^/\s]+/)", message.body)
        if match:
            found[message.to[0]] = match.group(1)
    return found


@pytest.fixture
def surveyed(opened, mailoutbox, django_capture_on_commit_callbacks):
    """The tender awarded with an interested non-bidder, the surveys sent when the award committed."""
    person, organisation = interested(opened)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = award(opened)
    return evaluation, (person, organisation), links_in(mailoutbox)


def test_the_award_sends_a_survey_to_each_bidder_and_each_interested_non_bidder(opened, surveyed, mailoutbox):
    evaluation, (person, organisation), links = surveyed
    invitations = {i.organisation_id: i for i in SurveyInvitation.objects.filter(evaluation=evaluation)}
    (winner_person, winner, _), (second_person, second, _), (third_person, third, _) = opened.bidders
    assert {pk: i.role for pk, i in invitations.items()} == {
        winner.pk: "successful",
        second.pk: "unsuccessful",
        third.pk: "unsuccessful",
        organisation.pk: "interested",
    }
    assert set(links) == {winner_person.email, second_person.email, third_person.email, person.email}
    why_not = next(m for m in mailoutbox if m.to == [person.email])
    assert "did not bid" in why_not.body and "why you did not bid" in why_not.body
    assert AuditEvent.objects.filter(verb="evaluation.survey_send").count() == 4
    assert rule_status(evaluation, "PR-9").is_met
    assert RuleOutcome.objects.get(
        rule__code="PR-9", object_id=str(evaluation.pk), superseded_at__isnull=True
    ).outcome == ("met")


def test_only_a_digest_of_the_secret_link_is_stored(surveyed):
    evaluation, _, links = surveyed
    for path in links.values():
        token = path.split("/")[2]
        assert SurveyInvitation.objects.filter(token_digest=hashlib.sha256(token.encode()).hexdigest()).exists()
        assert not SurveyInvitation.objects.filter(token_digest=token).exists()


def test_sending_again_or_from_the_clock_sends_nothing_twice(
    opened, surveyed, mailoutbox, django_capture_on_commit_callbacks
):
    evaluation, _, _ = surveyed
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert feedback_services.surveys_send(evaluation=evaluation) == 0
        assert run_due(only=["feedback.surveys"]) == {"feedback.surveys": 0}
    assert mailoutbox == []
    assert SurveyInvitation.objects.filter(evaluation=evaluation).count() == 4


def test_the_clock_sends_surveys_the_award_did_not(opened, mailoutbox, django_capture_on_commit_callbacks):
    interested(opened)
    evaluation = award(opened)  # its after-commit callback never runs: as if the process stopped
    assert not SurveyInvitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due(only=["feedback.surveys"]) == {"feedback.surveys": 4}
    assert SurveyInvitation.objects.filter(evaluation=evaluation).count() == 4
    assert len(links_in(mailoutbox)) == 4
    with django_capture_on_commit_callbacks(execute=True):
        assert run_due(only=["feedback.surveys"]) == {"feedback.surveys": 0}


def test_pr9_is_not_met_when_surveys_were_not_sent_in_time(opened):
    evaluation = award(opened)
    assert rule_status(evaluation, "PR-9").is_met  # still within the set days
    with time_machine.travel(evaluation.decided_at + timedelta(days=30)):
        status = rule_status(evaluation, "PR-9")
    assert status.outcome == "not_met" and "3 organisations not sent a survey" in status.detail


def test_nothing_is_sent_before_the_award(opened):
    from commissioning.evaluation import services

    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    assert feedback_services.surveys_send(evaluation=evaluation) == 0
    assert run_due(only=["feedback.surveys"]) == {"feedback.surveys": 0}


def test_a_suspended_organisation_is_not_surveyed(opened):
    _, organisation = interested(opened)
    organisation.status = OrganisationStatus.SUSPENDED
    organisation.save()
    evaluation = award(opened)
    feedback_services.surveys_send(evaluation=evaluation)
    assert not SurveyInvitation.objects.filter(organisation=organisation).exists()


# ---------------------------------------------------------------------------
# Answering


def test_a_bidder_answers_from_the_link_without_signing_in_once(client, opened, surveyed):
    evaluation, _, links = surveyed
    path = links[opened.bidders[1][0].email]
    body = client.get(path).content.decode()
    assert (
        "How did we do?" in body and "Overall, how was the process" in body and "Why did your organisation" not in body
    )
    response = client.post(path, {"rating": "4", "worked": "Clear questions", "improve": "More time to bid"})
    assert response.status_code == 302
    answer = SurveyAnswer.objects.get()
    assert (answer.rating, answer.worked, answer.improve) == (4, "Clear questions", "More time to bid")
    assert answer.invitation.organisation == opened.bidders[1][1]
    again = client.get(path)
    assert again.status_code == 200 and "Thank you for your feedback" in again.content.decode()
    client.post(path, {"rating": "1", "worked": "Changed my mind"})
    assert SurveyAnswer.objects.count() == 1 and SurveyAnswer.objects.get().rating == 4
    with pytest.raises(surveys.SurveyError, match="already been answered"):
        feedback_services.survey_answer_save(token=path.split("/")[2], rating=2)
    assert AuditEvent.objects.filter(verb="evaluation.survey_answer").count() == 1


def test_a_bidder_must_rate_the_process_and_sees_what_to_put_right(client, opened, surveyed):
    _, _, links = surveyed
    path = links[opened.bidders[0][0].email]
    response = client.post(path, {"rating": "", "worked": "Kept"})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Choose how the process was" in body and "Kept" in body
    response = client.post(path, {"rating": "9"})
    assert "There is a problem" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_a_non_bidder_says_why_it_did_not_bid(client, surveyed):
    _, (person, organisation), links = surveyed
    path = links[person.email]
    body = client.get(path).content.decode()
    assert "Why did your organisation not bid?" in body and "not enough time" in body
    refused = client.post(path, {"rating": "3"})
    assert "Choose at least one reason" in refused.content.decode()
    other = client.post(path, {"reasons": ["other"]})
    assert "Say what the other reason was" in other.content.decode()
    assert not SurveyAnswer.objects.exists()
    response = client.post(
        path, {"reasons": ["time", "documents", "other"], "reason_other": "Our trustees meet quarterly"}
    )
    assert response.status_code == 302
    answer = SurveyAnswer.objects.get()
    assert answer.reasons == ["time", "documents", "other"] and answer.rating is None
    assert answer.reason_other == "Our trustees meet quarterly"


def test_the_service_refuses_what_the_form_would_not_send(surveyed, opened):
    _, (person, _), links = surveyed
    token = links[person.email].split("/")[2]
    with pytest.raises(surveys.SurveyError) as refused:
        feedback_services.survey_answer_save(token=token, rating=None, reasons=["made-up"])
    assert "reasons" in refused.value.errors
    with pytest.raises(surveys.SurveyError) as refused:
        feedback_services.survey_answer_save(token=token, rating=True, reasons=["time"])
    assert "rating" in refused.value.errors
    with pytest.raises(surveys.SurveyError) as refused:
        feedback_services.survey_answer_save(token=token, rating=None, reasons=["time"], reason_other="x" * 3001)
    assert "reason_other" in refused.value.errors
    with pytest.raises(surveys.SurveyError, match="not recognised"):
        feedback_services.survey_answer_save(token="not-a-real-token", rating=3)
    assert not SurveyAnswer.objects.exists()


def test_a_wrong_link_is_not_found(client):
    assert client.get("/surveys/not-a-real-token/").status_code == 404
    assert client.post("/surveys/not-a-real-token/", {"rating": "3"}).status_code == 404


# ---------------------------------------------------------------------------
# The commissioner's lessons learned


def test_the_commissioner_reads_the_answers_and_writes_the_lessons_learned(client, opened, surveyed):
    evaluation, (person, organisation), links = surveyed
    client.post(links[opened.bidders[1][0].email], {"rating": "2", "improve": "Give more notice of the event"})
    client.post(links[person.email], {"reasons": ["time"], "reason_other": "Too short for our board"})
    path = f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/lessons/"
    client.force_login(opened.commissioner)
    body = client.get(path).content.decode()
    assert "2 of 4 have answered" in body
    assert "Give more notice of the event" in body and "Too short for our board" in body
    assert "There was not enough time to prepare a bid" in body and "2.0 out of 5" in body
    assert organisation.name in body

    refused = client.post(path, {"lessons_learned": "   "})
    assert refused.status_code == 200 and "Write the lessons learned" in refused.content.decode()
    saved = client.post(path, {"lessons_learned": "Hold the engagement event earlier; allow six weeks to bid."})
    assert saved.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.lessons_learned == "Hold the engagement event earlier; allow six weeks to bid."
    event = AuditEvent.objects.get(verb="evaluation.lessons_learned")
    assert event.before == {"lessons_learned": ""} and event.actor == opened.commissioner
    assert "allow six weeks" in client.get(path).content.decode()


def test_only_the_opportunitys_commissioners_write_lessons_learned_and_only_after_the_award(client, opened):
    from commissioning.evaluation import services

    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    with pytest.raises(surveys.SurveyError, match="after the award"):
        feedback_services.lessons_learned_save(actor=opened.commissioner, evaluation=evaluation, text="Too soon")
    evaluation = award(opened)
    for someone in (commissioner_at(), opened.bidders[0][0], person_with_role(Role.ADMINISTRATOR)):
        with pytest.raises(surveys.SurveyError, match="Only a commissioner"):
            feedback_services.lessons_learned_save(actor=someone, evaluation=evaluation, text="Not mine to write")
        client.force_login(someone)
        path = f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/lessons/"
        assert client.post(path, {"lessons_learned": "Not mine"}).status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.lessons_learned == ""
