"""The provider's bids with their outcomes: its own only, the outcome once decided, a fixed number of queries."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.evaluation.tests.awarded import awarded_tender
from commissioning.review.selectors import provider_bids_for
from commissioning.submissions.tests.factories import complete, submit, tender

pytestmark = pytest.mark.django_db


def plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture
def awarded():
    opened, evaluation = awarded_tender()
    yield opened, evaluation


def test_each_bidder_sees_its_own_outcome_and_no_one_elses(client, awarded):
    opened, _ = awarded
    (winner, _, won), (loser, _, lost), _ = opened.bidders
    found = provider_bids_for(user=winner)
    assert [s.pk for s in found.submissions] == [won.pk] and found.outcomes == {won.pk: "Successful"}
    assert provider_bids_for(user=loser).outcomes == {lost.pk: "Unsuccessful"}

    client.force_login(loser)
    response = client.get(reverse("review:bids"))
    assert response.status_code == 200 and reverse("review:bids") == "/bids/"
    text = plain(response.content.decode())
    assert "Unsuccessful" in text and "Successful" not in text.replace("Unsuccessful", "")
    assert f"/bids/{won.public_id}/" not in response.content.decode()


def test_the_list_reads_the_same_number_of_queries_however_many_bids(client, awarded):
    opened, _ = awarded
    person, organisation, _ = opened.bidders[0]
    client.force_login(person)
    client.get("/bids/")  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get("/bids/").status_code == 200
    for _ in range(3):  # more bids of the same organisation, in tenders still open (no outcome yet)
        submit(person, complete(tender(), person, organisation))
    with CaptureQueriesContext(connection) as four:
        response = client.get("/bids/")
    assert response.status_code == 200 and response.content.decode().count("Submitted") >= 3
    assert len(four) == len(one)


def test_a_commissioner_has_no_bids_page(client, awarded):
    opened, _ = awarded
    client.force_login(opened.commissioner)
    assert client.get(reverse("review:bids")).status_code == 404
