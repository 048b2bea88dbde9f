"""Input that looks blank, tricks the eye, or is not what it seems is refused on its field, on pages and the API."""

from datetime import timedelta

import pytest
import time_machine

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core import clock
from commissioning.opportunities.models import Clarification, EventRegistration, Opportunity

from .factories import commissioner_at, draft, published
from .test_api import LIST, bearer, field_errors, new_draft, send

pytestmark = pytest.mark.django_db

TODAY = "2026-12-01 12:00 +0000"


def details(**change) -> dict:
    return {
        "kind": "tender",
        "title": "Carers' breaks",
        "summary": "Short breaks for unpaid carers.",
        "service_area": 1,
        "wards": ["E05011389"],
        "total_value": "75000",
        "duration_months": "12",
        "price_weight": "30",
        "price_method": "lowest_proportional",
        **change,
    }


def refused(response, message: str, field_id: str) -> None:
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body, body[:2000]
    assert f'href="#{field_id}"' in body and f'id="{field_id}"' in body
    assert message in body


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("\u200b", "Enter a title"),
        ("\u202eevil", "Remove the invisible characters"),
        ("Carers\r\nbreaks", "Enter the title on one line"),
    ],
)
def test_a_title_that_looks_blank_or_tricks_the_eye_is_refused(client, title, message):
    client.force_login(commissioner_at())
    refused(client.post("/commissioning/opportunities/new/", details(title=title)), message, "id_title")
    assert not Opportunity.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_deadline_of_31_12_9999_is_refused_with_the_horizon(client, settings):
    settings.INPUT_YEARS_AHEAD = 10
    client.force_login(commissioner_at())
    response = client.post("/commissioning/opportunities/new/", details(submission_deadline="31/12/9999 12:00"))
    refused(response, "The deadline must be before 1 January 2037", "id_submission_deadline")
    response = client.post("/commissioning/opportunities/new/", details(question_deadline="01/01/1999 12:00"))
    refused(response, "The closing time for questions must be on or after 1 January 2000", "id_question_deadline")
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize("value", ["1e4", "NaN", "-0", "10000e0"])
def test_a_price_like_1e4_is_refused_not_read_as_10000(client, value):
    client.force_login(commissioner_at())
    response = client.post("/commissioning/opportunities/new/", details(total_value=value))
    refused(response, "Enter an amount", "id_total_value")
    assert not Opportunity.objects.exists()


def test_a_price_with_a_pound_sign_and_commas_is_accepted(client):
    client.force_login(commissioner_at())
    client.post("/commissioning/opportunities/new/", details(total_value="£75,000.50"))
    assert str(Opportunity.objects.get().total_value) == "75000.50"


def test_an_event_link_with_a_user_name_is_refused(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    client.force_login(commissioner)
    starts = clock.london(clock.now() + timedelta(days=7)).replace(hour=10, minute=0)
    events = opportunity.events.count()
    response = client.post(
        f"/commissioning/opportunities/{opportunity.reference}/events/new/",
        {
            "title": "Meet the buyer",
            "starts_at": starts.strftime("%d/%m/%Y %H:%M"),
            "ends_at": (starts + timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"),
            "mode": "online",
            "link": "http://host@evil.example/join",
            "capacity": "30",
        },
    )
    refused(response, "without a user name or password", "id_link")
    assert opportunity.events.count() == events


@pytest.mark.parametrize(
    ("places", "message"), [("", "Enter the number of places, from 1 to 20"), ("1e4", "from 1 to 20")]
)
def test_booking_errors_are_on_the_field_in_the_error_summary_not_a_banner(client, places, message):
    opportunity = published()
    provider = person_with_role(Role.PROVIDER_MEMBER)
    client.force_login(provider)
    event = opportunity.events.get()
    response = client.post(
        f"/opportunities/{opportunity.reference}/events/{event.pk}/book/",
        {"organisation": provider.memberships.get().organisation.pk, "attendees": places, "access_needs": "Ramp"},
    )
    refused(response, message, f"event-{event.pk}-attendees")
    assert "govuk-notification-banner" not in response.content.decode()
    assert 'value="Ramp"' in response.content.decode()  # what was typed is kept
    assert not EventRegistration.objects.exists()


@pytest.mark.parametrize("question", ["", "\u200b\u200b", "  \u2060 "])
def test_an_empty_or_invisible_clarification_question_is_refused_on_its_field(client, question):
    opportunity = published()
    provider = person_with_role(Role.PROVIDER_MEMBER)
    client.force_login(provider)
    response = client.post(
        f"/opportunities/{opportunity.reference}/ask/",
        {"organisation": provider.memberships.get().organisation.pk, "question": question},
    )
    refused(response, "Enter your question", "id_question")
    assert not Clarification.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "\u200b"}, "title"),
        ({"title": "Otley\u202e befriending"}, "title"),
        ({"title": "Otley\nbefriending"}, "title"),
        ({"summary": "\u200b"}, "summary"),
        ({"total_value": "1e4"}, "total_value"),
        ({"total_value": "-0"}, "total_value"),
        ({"submission_deadline": "9999-12-31T12:00:00+00:00"}, "submission_deadline"),
        ({"expected_award": "2037-01-01"}, "expected_award"),
    ],
)
def test_the_api_refuses_the_same_input_with_field_errors(client, settings, change, field):
    settings.INPUT_YEARS_AHEAD = 10
    commissioner = commissioner_at()
    response = send(client, "post", LIST, new_draft(commissioner, **change), **bearer(commissioner))
    assert field in field_errors(response)
    assert not Opportunity.objects.exists()


def test_the_api_refuses_an_event_link_with_a_user_name(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    starts = (clock.now() + timedelta(days=7)).replace(microsecond=0)
    event = {
        "title": "Meet the buyer",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "mode": "online",
        "link": "http://host@evil.example",
        "capacity": 30,
    }
    response = send(client, "post", f"{LIST}/{opportunity.reference}/events", event, **bearer(commissioner))
    assert "without a user name" in field_errors(response)["link"]


def test_acting_for_an_organisation_you_do_not_belong_to_is_refused_in_the_error_summary(client):
    opportunity = published()
    provider = person_with_role(Role.PROVIDER_MEMBER)
    other = person_with_role(Role.PROVIDER_MEMBER).memberships.get().organisation
    client.force_login(provider)
    response = client.post(
        f"/opportunities/{opportunity.reference}/ask/", {"organisation": other.pk, "question": "Is TUPE likely?"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Choose an organisation you act for" in body and "Is TUPE likely?" in body
    assert not Clarification.objects.exists()
