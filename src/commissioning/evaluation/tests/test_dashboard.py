"""The commissioner's dashboard: opportunities by stage, tasks due, rule outcomes, in a fixed number of queries."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.evaluation import sending, services
from commissioning.evaluation.models import Letter
from commissioning.opportunities import services as opportunity_services
from commissioning.opportunities.tests.factories import draft, published
from commissioning.submissions.tests.factories import bidder

from .awarded import awarded_tender, notice_published
from .factories import moderate_everything, opened_tender, score_everything

pytestmark = pytest.mark.django_db


def plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/commissioning/")
    assert response.status_code == 200
    return plain(response.content.decode())


STAGE_HEADING = re.compile(
    r"(Drafts|Open|Closed|Scoring|Moderation|Recommended, waiting for approval|"
    r"Approved, waiting for the award decision|Awarded, in standstill|Awarded|Withdrawn or cancelled) \(\d+\)"
)


def section(text: str, heading: str) -> str:
    """The dashboard's text under a stage heading, to the next stage heading (or the end)."""
    start = text.index(heading) + len(heading)
    following = STAGE_HEADING.search(text, start)
    return text[start : following.start() if following else len(text)]


@pytest.fixture
def world():
    """One commissioner's work at every stage.

    An awarded tender in standstill (its letters unsent) at the start; a
    draft, and a tender that will have closed without being opened; then,
    weeks later, a second tender opened and waiting for its evaluation, led by
    a colleague at another body jointly with the commissioner's own, and an
    open tender with a question waiting.
    """
    first, awarded = awarded_tender()
    awarded = notice_published(first, awarded)
    viewer = first.commissioner
    a_draft = draft(viewer, lots=1)
    closing = published(viewer, lots=1)
    second = opened_tender()
    # The second tender is a joint commission with the viewer's body, led by a colleague elsewhere.
    second.opportunity.joint_commissioners.add(first.body)
    still_open = published(viewer, lots=1)
    asker, organisation = bidder()
    opportunity_services.clarification_ask(
        actor=asker, organisation=organisation, opportunity=still_open, question="Can a consortium bid?"
    )
    yield {
        "viewer": viewer,
        "first": first,
        "awarded": awarded,
        "draft": a_draft,
        "closing": closing,
        "second": second,
        "open": still_open,
    }
    second.travel.stop()
    first.travel.stop()


def test_every_stage_and_its_next_step(client, world):
    text = dashboard(client, world["viewer"])
    assert world["draft"].reference in section(text, "Drafts (1)")
    assert world["open"].reference in section(text, "Open (1)")
    closed = section(text, "Closed (2)")
    assert world["closing"].reference in closed and "Open the submissions" in closed
    assert world["second"].opportunity.reference in closed and "Start the evaluation" in closed
    awarded = section(text, "Awarded (1)")  # its standstill ended while the second tender was open
    assert world["awarded"].opportunity.reference in awarded and "Send 3 letters" in awarded


def test_tasks_follow_the_evaluation_through_its_stages(client, world):
    viewer, second = world["viewer"], world["second"]
    reference = second.opportunity.reference
    colleague = second.commissioner
    text = dashboard(client, viewer)
    assert "Answer 1 question" in text and "Open the submissions" in text
    assert "Start the evaluation" in text  # the second tender is opened, not yet evaluated

    evaluation = services.evaluation_start(actor=colleague, opportunity=second.opportunity)
    panelist = services.panelist_appoint(actor=colleague, evaluation=evaluation, user=second.evaluator())
    text = dashboard(client, viewer)
    assert f"Waiting for scores from 1 of 1 evaluators: {panelist.user.full_name}" in text
    assert reference in section(text, "Scoring (1)")

    score_everything(evaluation, panelist, lambda s, q: 3)
    text = dashboard(client, viewer)
    assert "Moderate 9 answers" in text and reference in section(text, "Moderation (1)")
    evaluation.refresh_from_db()
    moderate_everything(
        evaluation, colleague, lambda s, q: {b[2].pk: 4 - i for i, b in enumerate(second.bidders)}[s.pk]
    )
    assert "Recommend the award" in dashboard(client, viewer)

    services.recommend(actor=colleague, evaluation=evaluation, note="Highest scores win")
    text = dashboard(client, viewer)
    assert f"Approve or send back the recommendation made by {colleague.full_name}" in text
    theirs = dashboard(client, colleague)
    assert "Waiting for another commissioner to approve your recommendation" in theirs
    assert "Approve or send back" not in theirs

    services.approve(actor=viewer, evaluation=evaluation)
    assert "Make the award decision" in dashboard(client, viewer)


def test_letters_to_send_with_their_day_overdue_flagged_and_pr10_not_met(client, world):
    # The second tender's deadline is weeks after the first award: its letters are overdue by now.
    awarded = world["awarded"]
    due = Letter.objects.filter(evaluation=awarded).first().due_by
    text = dashboard(client, world["viewer"])
    tasks = text[text.index("Tasks due") : text.index("By stage")]
    assert "Send 3 letters (overdue)" in tasks and "Overdue" in tasks
    assert tasks.index("Send 3 letters") < tasks.index("Answer 1 question")  # overdue first
    assert f"{due.day} {due:%B %Y}" in tasks
    row = section(text, "Awarded (1)")  # the standstill has ended by now
    assert "PR-10 not met" in row and "2 feedback letters not sent" in row
    assert "PR-11 (offer letters): met" in row and "PR-9 (surveys)" in row
    assert "PR-5 : met" in row  # the outcomes recorded when it was published

    sending.letters_send(actor=world["viewer"], evaluation=awarded)
    text = dashboard(client, world["viewer"])
    assert "Send 3 letters" not in text and "2 feedback letters sent after the day it was due" in text


def test_recording_the_award_notice_is_a_task_until_it_is_recorded(client):
    first, awarded = awarded_tender()
    try:
        text = dashboard(client, first.commissioner)
        assert "Record the award notice when it is published" in text and "Last day of the standstill" not in text
        # The standstill has not started, and the contract cannot be concluded: it is not "Awarded" yet.
        assert awarded.opportunity.reference in section(text, "Awarded, in standstill (1)")
        notice_published(first, awarded)
        text = dashboard(client, first.commissioner)
        assert "Record the award notice" not in text and "Last day of the standstill" in text
    finally:
        first.travel.stop()


def test_the_standstill_ending_is_a_task(client):
    first, awarded = awarded_tender()
    try:
        notice_published(first, awarded)
        text = dashboard(client, first.commissioner)
        assert "Last day of the standstill" in text and "Send 3 letters" in text
        assert "(overdue)" not in text
        assert awarded.opportunity.reference in section(text, "Awarded, in standstill (1)")
    finally:
        first.travel.stop()


def test_the_dashboard_reads_a_fixed_number_of_queries(client, world):
    viewer = world["viewer"]
    client.force_login(viewer)
    client.get("/commissioning/")  # warm the session and the rule settings
    with CaptureQueriesContext(connection) as before:
        assert client.get("/commissioning/").status_code == 200
    # More opportunities at more stages, another evaluation under way and more questions.
    for _ in range(3):
        draft(viewer, lots=1)
        more = published(viewer, lots=2)
        asker, organisation = bidder()
        opportunity_services.clarification_ask(
            actor=asker, organisation=organisation, opportunity=more, question="Is TUPE likely to apply?"
        )
    second = world["second"]
    evaluation = services.evaluation_start(actor=second.commissioner, opportunity=second.opportunity)
    services.panelist_appoint(actor=second.commissioner, evaluation=evaluation, user=second.evaluator())
    with CaptureQueriesContext(connection) as after:
        assert client.get("/commissioning/").status_code == 200
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
    assert len(after) <= 25
