"""The commissioner's dashboard: opportunities by stage, tasks due, rule outcomes, in a fixed number of queries."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning.evaluation import services
from commissioning.evaluation.tests.awarded import awarded_tender, notice_published
from commissioning.evaluation.tests.factories import moderate_everything, opened_tender, score_everything
from commissioning.feedback import services as feedback_services
from commissioning.feedback.models import Letter
from commissioning.opportunities import services as opportunity_services
from commissioning.opportunities.tests.factories import commissioner_at, draft, published
from commissioning.submissions.tests.factories import bidder

pytestmark = pytest.mark.django_db


def plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get("/commissioning/")
    assert response.status_code == 200
    return plain(response.content.decode())


def rows_at_stage(client, user, heading: str, query: str = "") -> str:
    """The list's rows at the stage ``heading`` names ("Drafts (1)": the stage filter offers that count).

    The text of every row whose Stage column says the stage, one after another.
    """
    client.force_login(user)
    response = client.get("/commissioning/" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    markup = response.content.decode()
    assert heading in plain(markup), f"the stage filter does not offer {heading!r}"
    label = heading.rsplit(" (", 1)[0]
    found = []
    for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', markup, re.S):
        cells = [plain(cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        if len(cells) == 6 and cells[1] == label:
            found.append(" ".join(cells))
    return " | ".join(found)


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


def test_every_stage_and_its_next_step(client, world):
    assert world["draft"].reference in rows_at_stage(client, world["viewer"], "Drafts (1)")
    assert world["open"].reference in rows_at_stage(client, world["viewer"], "Open (1)")
    closed = rows_at_stage(client, world["viewer"], "Closed (2)")
    assert world["closing"].reference in closed and "Open the submissions" in closed
    assert world["second"].opportunity.reference in closed and "Start the evaluation" in closed
    # Its standstill ended while the second tender was open.
    awarded = rows_at_stage(client, world["viewer"], "Awarded (1)")
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
    assert reference in rows_at_stage(client, viewer, "Scoring (1)")

    score_everything(evaluation, panelist, lambda s, q: 3)
    text = dashboard(client, viewer)
    assert "Moderate 9 answers" in text and reference in rows_at_stage(client, viewer, "Moderation (1)")
    evaluation.refresh_from_db()
    moderate_everything(
        evaluation, colleague, lambda s, q: {b[2].pk: 4 - i for i, b in enumerate(second.bidders)}[s.pk]
    )
    assert "Recommend the award" in dashboard(client, viewer)

    services.evaluation_recommend(actor=colleague, evaluation=evaluation, note="Highest scores win")
    text = dashboard(client, viewer)
    assert f"Approve or send back the recommendation made by {colleague.full_name}" in text
    theirs = dashboard(client, colleague)
    assert "Waiting for another commissioner to approve your recommendation" in theirs
    assert "Approve or send back" not in theirs

    services.evaluation_approve(actor=viewer, evaluation=evaluation)
    assert "Make the award decision" in dashboard(client, viewer)


def test_letters_to_send_with_their_day_overdue_flagged_and_pr10_not_met(client, world):
    # The second tender's deadline is weeks after the first award: its letters are overdue by now.
    awarded = world["awarded"]
    due = Letter.objects.filter(evaluation=awarded).first().due_by
    text = dashboard(client, world["viewer"])
    tasks = text[text.index("Tasks due") : text.index("All your opportunities")]
    assert "Send 3 letters (overdue)" in tasks and "Overdue" in tasks
    assert tasks.index("Send 3 letters") < tasks.index("Answer 1 question")  # overdue first
    assert f"{due.day} {due:%B %Y}" in tasks
    row = rows_at_stage(client, world["viewer"], "Awarded (1)")  # the standstill has ended by now
    assert "PR-10 not met" in row and "2 feedback letters not sent" in row
    assert "PR-11 (offer letters): met" in row and "PR-9 (surveys)" in row
    assert "PR-5 : met" in row  # the outcomes recorded when it was published

    feedback_services.letters_send_all(actor=world["viewer"], evaluation=awarded)
    text = dashboard(client, world["viewer"])
    assert "Send 3 letters" not in text and "2 feedback letters sent after the day it was due" in text


def test_recording_the_award_notice_is_a_task_until_it_is_recorded(client):
    first, awarded = awarded_tender()
    text = dashboard(client, first.commissioner)
    assert "Record the award notice when it is published" in text and "Last day of the standstill" not in text
    # The standstill has not started, and the contract cannot be concluded: it is not "Awarded" yet.
    assert awarded.opportunity.reference in rows_at_stage(client, first.commissioner, "Awarded, in standstill (1)")
    notice_published(first, awarded)
    text = dashboard(client, first.commissioner)
    assert "Record the award notice" not in text and "Last day of the standstill" in text


def test_the_standstill_ending_is_a_task(client):
    first, awarded = awarded_tender()
    notice_published(first, awarded)
    text = dashboard(client, first.commissioner)
    assert "Last day of the standstill" in text and "Send 3 letters" in text
    assert "(overdue)" not in text
    assert awarded.opportunity.reference in rows_at_stage(client, first.commissioner, "Awarded, in standstill (1)")


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
    # The ceiling grows only with a stage: contract management reads its four kinds of task (drafts to
    # issue, returns to review, payments due, variations to decide) in one query each; needs reads its
    # draft assessments and its reviews to answer, planning its overlaps and plans due to be advertised.
    assert len(after) <= 32


# One list to search, filter by stage and page through --------------------------------------------------


def _listed(client, user, query: str = "") -> tuple[str, str]:
    client.force_login(user)
    response = client.get("/commissioning/" + (f"?{query}" if query else ""))
    assert response.status_code == 200
    markup = response.content.decode()
    return markup, plain(markup)


def test_the_list_is_searched_filtered_by_stage_and_the_tasks_stay_at_the_top(client, world):
    viewer = world["viewer"]
    a_draft, still_open = world["draft"], world["open"]
    markup, text = _listed(client, viewer, "stage=draft")
    assert "Drafts (1)" in text and "Open (1)" in text and "Closed (2)" in text and "Scoring (0)" in text
    assert a_draft.reference in text
    assert still_open.reference not in rows_at_stage(client, viewer, "Open (1)", "stage=draft")
    assert "1 opportunity" in text
    # Filtering the list does not filter the tasks: the open tender's question still waits at the top.
    tasks = text[text.index("Tasks due") : text.index("All your opportunities")]
    assert "Answer 1 question" in tasks and still_open.reference in tasks
    assert 'href="/commissioning/">Clear filters</a>' in markup and "Remove this filter: Stage: Drafts" in text

    _, text = _listed(client, viewer, "stage=draft&stage=open")
    assert "2 opportunities" in text
    _, text = _listed(client, viewer, f"q={still_open.reference}")
    assert "1 opportunity" in text and "Remove this filter: Search: " + still_open.reference in text
    _, text = _listed(client, viewer, "q=nothing+like+this")
    assert "None of your opportunities match" in text and "0 opportunities" in text


def test_bad_filters_are_named_or_ignored_never_an_error_page(client, world):
    viewer = world["viewer"]
    _, text = _listed(client, viewer, "stage=no-such-stage&page=abc")
    assert "5 opportunities" in text and "There is a problem" not in text
    _, text = _listed(client, viewer, "q=" + "x" * 201 + "&stage=draft&page=999")
    assert "There is a problem" in text and "Enter no more than 200 characters" in text
    assert "1 opportunity" in text  # the stage still applies; the search that could not be read does not


def test_another_bodys_opportunities_are_neither_listed_counted_nor_found(client, world):
    theirs = published(lots=1, title="Somebody else's tender")
    markup, text = _listed(client, world["viewer"], f"q={theirs.reference}")
    assert "0 opportunities" in text and f"/commissioning/opportunities/{theirs.reference}/" not in markup
    _, text = _listed(client, world["viewer"])
    assert "Open (1)" in text and "5 opportunities" in text


def _dashboard_queries(client, user, query: str = "") -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/commissioning/" + (f"?{query}" if query else "")).status_code == 200
    return len(captured)


def test_the_list_pages_through_many_drafts_in_the_same_number_of_queries(client, settings):
    settings.DASHBOARD_PAGE_SIZE = 20
    viewer = commissioner_at()
    for _ in range(5):
        draft(viewer, lots=1)
    client.force_login(viewer)
    client.get("/commissioning/")  # warm the session and the rule settings
    with_five = _dashboard_queries(client, viewer)
    for _ in range(45):
        draft(viewer, lots=1)
    published(viewer, lots=1)
    with_fifty = _dashboard_queries(client, viewer)
    assert with_fifty == with_five
    assert _dashboard_queries(client, viewer, "stage=draft&page=3") == with_five
    assert _dashboard_queries(client, viewer, "q=peer+support&stage=draft&stage=open") == with_five

    _, text = _listed(client, viewer)
    assert "Drafts (50)" in text and "51 opportunities, showing 1 to 20" in text
    markup, text = _listed(client, viewer, "stage=draft&page=3")
    assert "50 opportunities, showing 41 to 50" in text
    assert markup.count('<tr class="govuk-table__row">') == 1 + 10  # the head row, then the last ten drafts
    assert 'href="?stage=draft&amp;page=2#opportunities"' in markup  # the pages keep the filters
