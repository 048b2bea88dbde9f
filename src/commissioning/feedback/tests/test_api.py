"""The API of a bidder's own results and letters after the award."""

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.evaluation.tests.awarded import awarded_tender
from commissioning.evaluation.tests.factories import opened_tender
from commissioning.evaluation.tests.test_api import get
from commissioning.feedback import services as feedback_services
from commissioning.feedback.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def awarded():
    opened, evaluation = awarded_tender()
    yield opened, evaluation


def test_a_bidder_reads_its_results_and_letters_with_its_token(client, awarded):
    opened, evaluation = awarded
    person, organisation, submission = opened.bidders[2]
    member = person_with_role(Role.PROVIDER_MEMBER, organisation)
    results = get(client, f"/submissions/{submission.public_id}/results", member)
    assert results.status_code == 200
    body = results.json()
    assert body["organisation"] == organisation.slug and body["submission"] == str(submission.public_id)
    lot = body["lots"][0]
    assert lot["outcome"] == "unsuccessful" and lot["rank"] == 3 and lot["winner_total"] is not None
    assert all(row["winner_points"] is not None for row in lot["criteria"])
    assert body["letters"] == [] and body["standstill"]["working_days"] == 8
    assert get(client, f"/submissions/{submission.public_id}/letters", person).json() == []

    letter = Letter.objects.get(submission=submission)
    feedback_services.letter_send(actor=opened.commissioner, letter=letter)
    letters = get(client, f"/submissions/{submission.public_id}/letters", person).json()
    assert [item["kind"] for item in letters] == ["feedback"]
    assert letters[0]["title"] == "Feedback letter" and letters[0]["docx_url"].endswith("letter.docx")
    assert letters[0]["lots"][0]["total"] == lot["total"] and "standstill" in letters[0]["standstill"]
    assert get(client, f"/submissions/{submission.public_id}/results", person).json()["letters"][0]["id"] == letter.pk


def test_an_unsuccessful_bidder_never_gets_another_unsuccessful_bidders_scores(client, awarded):
    opened, evaluation = awarded
    feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    (_, winner, _), (_, second, second_submission), (person, _, submission) = opened.bidders
    second_totals = {lot["total"] for lot in Letter.objects.get(submission=second_submission).content["lots"]}
    for path in ("results", "letters"):
        text = get(client, f"/submissions/{submission.public_id}/{path}", person).content.decode()
        assert second.name not in text and winner.name not in text
        assert not any(f'"{total}"' in text for total in second_totals)


def test_results_and_letters_are_404_for_anyone_else_and_401_without_a_token(client, awarded):
    opened, evaluation = awarded
    feedback_services.letters_send_all(actor=opened.commissioner, evaluation=evaluation)
    submission = opened.bidders[1][2]
    others = [opened.bidders[2][0], opened.commissioner, opened.evaluator(), person_with_role(Role.ADMINISTRATOR)]
    for path in ("results", "letters"):
        assert get(client, f"/submissions/{submission.public_id}/{path}").status_code == 401
        for someone in others:
            response = get(client, f"/submissions/{submission.public_id}/{path}", someone)
            assert response.status_code == 404, (path, someone)
            assert response.json() == {"detail": "No results for that submission"}


def test_results_and_letters_are_404_before_the_award(client):
    opened = opened_tender()
    person, _, submission = opened.bidders[0]
    for path in ("results", "letters"):
        assert get(client, f"/submissions/{submission.public_id}/{path}", person).status_code == 404
