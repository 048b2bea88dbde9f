"""Organisation names and incomes that look blank or are not what they seem are refused on their fields."""

import pytest

from commissioning.accounts.models import Organisation

from .test_views import SIGN_UP

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": "\u200b"}, "name", "Enter the organisation&#39;s name"),
        ({"name": "Armley\u202e Reading"}, "name", "Remove the invisible characters"),
        ({"name": "Armley\r\nReading"}, "name", "on one line"),
        ({"full_name": "\ufeff"}, "full_name", "Enter your full name"),
        ({"latest_income": "1e4"}, "latest_income", "Enter an amount in pounds using digits"),
        ({"latest_income": "-0"}, "latest_income", "Enter an amount of zero or more"),
        ({"website": "http://armley@evil.example"}, "website", "without a user name or password"),
        ({"income_year_end": "31/12/9999"}, "income_year_end", "must be before 1 January"),
    ],
)
def test_sign_up_refuses_blank_looking_and_misleading_input_on_its_field(client, change, field, message):
    response = client.post("/sign-up/", {**SIGN_UP, **change})
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert f'href="#id_{field}"' in body and message in body
    assert not Organisation.objects.filter(name__startswith="Armley").exists()


def test_editing_an_organisation_name_to_a_zero_width_space_keeps_the_saved_name(client, provider_admin):
    organisation = provider_admin.memberships.get().organisation
    name = organisation.name
    client.force_login(provider_admin)
    data = {**SIGN_UP, "name": "\u200b"}
    body = client.post(f"/organisations/{organisation.slug}/edit/", data).content.decode()
    assert "There is a problem" in body and "Enter the organisation&#39;s name" in body
    organisation.refresh_from_db()
    assert organisation.name == name
