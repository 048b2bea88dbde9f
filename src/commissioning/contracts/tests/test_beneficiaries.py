"""Beneficiaries' feedback (CM-2): the public route, its spam checks, who sees it, the response, the poster."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core import clock

from .. import beneficiaries
from ..models import BeneficiaryFeedback
from .factories import direct_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    return direct_agreement(accept_as=True)


def give(agreement, **fields):
    stamp = beneficiaries.form_stamp(agreement)
    with time_machine.travel(clock.now() + timedelta(seconds=30)):
        return beneficiaries.feedback_give(
            agreement=agreement, stamp=stamp, **{"text": "Kind staff, long waits", **fields}
        )


def test_feedback_through_the_public_page_with_no_sign_in(client, running, settings):
    settings.CONTRACTS = {**settings.CONTRACTS, "feedback_min_seconds": 0}
    url = f"/contracts/feedback/{running.feedback_token}/"
    page = client.get(url).content.decode()
    assert running.title.split("'")[0] in page and "What do you want to tell us?" in page
    stamp = page.split('name="stamp" value="')[1].split('"')[0]
    response = client.post(url, {"text": "The Tuesday group helped me a lot", "rating": "5", "stamp": stamp})
    assert "Your feedback has been sent" in response.content.decode()
    assert BeneficiaryFeedback.objects.get(agreement=running).rating == 5


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "ok"}, "Tell us what you think"),
        ({"text": "x" * 3001}, "3,000 characters"),
        ({"text": "Cheap pills http://a.example http://b.example"}, "web links"),
        ({"rating": "9"}, "from 1 to 5"),
        ({"trap": "http://spam.example"}, "could not be sent"),
    ],
)
def test_bad_or_spammy_feedback_is_refused_and_nothing_is_kept(running, fields, message):
    with pytest.raises(beneficiaries.FeedbackError, match=message):
        give(running, **fields)
    assert not BeneficiaryFeedback.objects.exists()


def test_a_form_sent_too_fast_too_late_or_for_another_agreement_is_refused(running):
    other = direct_agreement(accept_as=True)
    stamp = beneficiaries.form_stamp(running)
    with pytest.raises(beneficiaries.FeedbackError, match="very quickly"):
        beneficiaries.feedback_give(agreement=running, text="Too fast to be a person", stamp=stamp)
    with time_machine.travel(clock.now() + timedelta(days=2)):
        with pytest.raises(beneficiaries.FeedbackError, match="expired"):
            beneficiaries.feedback_give(agreement=running, text="Far too late for this", stamp=stamp)
    with pytest.raises(beneficiaries.FeedbackError, match="expired"):
        beneficiaries.feedback_give(agreement=other, text="Stamp of another agreement", stamp=stamp)


def test_one_sender_is_limited_each_hour(running, settings):
    settings.CONTRACTS = {**settings.CONTRACTS, "feedback_per_sender_per_hour": 2}
    for _ in range(2):
        give(running, client="abc")
    with pytest.raises(beneficiaries.FeedbackError, match="try again later"):
        give(running, client="abc")
    give(running, client="someone-else")


def test_a_closed_route_an_unknown_one_and_an_agreement_not_yet_accepted_answer_404(client):
    issued = direct_agreement(issue=True)
    assert client.get(f"/contracts/feedback/{issued.feedback_token}/").status_code == 404
    assert client.get("/contracts/feedback/nothing-here/").status_code == 404


def test_contact_details_are_seen_by_the_commissioner_and_provider_only_and_the_provider_responds(client, running):
    item = give(running, name="Mo", contact="mo@example.org")
    for person, url in (
        (running.commissioner_person, f"/contracts/commissioning/{running.reference}/feedback/"),
        (running.admin, f"/contracts/yours/{running.reference}/feedback/"),
    ):
        client.force_login(person)
        assert "mo@example.org" in client.get(url).content.decode()
    client.force_login(person_with_role(Role.PROVIDER_ADMIN))
    assert client.get(f"/contracts/yours/{running.reference}/feedback/").status_code == 404
    assert "mo@example.org" not in client.get(f"/contracts/{running.reference}/").content.decode()
    with pytest.raises(PermissionDenied):
        beneficiaries.feedback_respond(actor=running.commissioner_person, feedback=item, response="Thanks")
    answered = beneficiaries.feedback_respond(actor=running.admin, feedback=item, response="Thank you, Mo")
    assert answered.response == "Thank you, Mo"
    counted = beneficiaries.feedback_in_period(
        running, clock.today() - timedelta(days=1), clock.today() + timedelta(days=1)
    )
    assert counted["count"] == 1


def test_the_poster_carries_the_address_and_a_qr_code(client, running):
    client.force_login(running.admin)
    html = client.get(f"/contracts/{running.reference}/poster/").content.decode()
    assert f"/contracts/feedback/{running.feedback_token}/" in html and "<svg" in html and "QR code for" in html
