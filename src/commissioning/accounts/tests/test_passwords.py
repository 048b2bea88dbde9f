"""A password is judged against the person it is for, wherever it is chosen."""

import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from commissioning.accounts import services
from commissioning.accounts.models import Invitation, Membership, Organisation, Role, User
from commissioning.accounts.passwords import password_problems_for
from commissioning.accounts.tests.factories import UserFactory, person_with_role
from commissioning.accounts.tests.test_services import register
from commissioning.accounts.tests.test_views import SIGN_UP

pytestmark = pytest.mark.django_db

LIKE_THE_EMAIL = "ruth.reading.example"  # long enough and uncommon, but it is the e-mail address again
LIKE_THE_NAME = "ruthchair2026"  # long enough and uncommon, but it is the person's name


def field_error(body: str, field_id: str) -> str:
    """The GOV.UK error message shown on one field ("" if the field has none)."""
    found = re.search(rf'<p id="{field_id}-error" class="govuk-error-message">(.*?)</p>', body, re.S)
    return found.group(1) if found else ""


def test_a_password_like_the_email_or_the_name_is_refused_and_a_good_one_is_not():
    assert any("e-mail address" in p for p in password_problems_for(LIKE_THE_EMAIL, email="ruth@reading.example"))
    assert any(
        "full name" in p
        for p in password_problems_for(LIKE_THE_NAME, email="ruth@reading.example", full_name="Ruth Chair")
    )
    assert password_problems_for("a-long-enough-password", email="ruth@reading.example", full_name="Ruth Chair") == []
    # The same rules as everywhere else: too short, too common, all digits.
    assert password_problems_for("", email="ruth@reading.example") != []
    assert password_problems_for("password", email="ruth@reading.example") != []
    assert password_problems_for("4815162342", email="ruth@reading.example") != []


def test_the_email_is_compared_whatever_its_case_or_spaces():
    assert password_problems_for(LIKE_THE_EMAIL, email="  Ruth@Reading.EXAMPLE ") != []


@pytest.mark.parametrize(("password", "names"), [(LIKE_THE_EMAIL, "e-mail address"), (LIKE_THE_NAME, "full name")])
def test_sign_up_with_a_password_like_the_person_shows_the_field_error_and_keeps_everything_typed(
    client, password, names
):
    response = client.post("/sign-up/", {**SIGN_UP, "password": password, "job_title": "Chair of trustees"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'href="#id_password"' in body
    assert names in field_error(body, "id_password")
    for typed in ("Ruth Chair", "ruth@reading.example", "Chair of trustees", "Armley Reading Circle", "1123456"):
        assert typed in body
    ward = re.search(r'<input[^>]*value="E05011389"[^>]*>', body)
    assert ward and "checked" in ward.group(0)
    assert password not in body
    assert not User.objects.exists() and not Organisation.objects.exists()


def test_registering_through_the_service_refuses_such_a_password_too():
    with pytest.raises(services.ServiceError) as error:
        register(password="chair.reading.example")
    assert "password" in error.value.errors
    assert not User.objects.exists() and not Organisation.objects.exists()


def invitation_for(email: str) -> str:
    inviter = person_with_role(Role.PROVIDER_ADMIN)
    organisation = inviter.memberships.get().organisation
    _, token = services.invitation_create(
        actor=inviter, organisation=organisation, email=email, role=Role.PROVIDER_MEMBER
    )
    return token


@pytest.mark.parametrize(
    ("password", "names"), [("sam.ward.example.org", "e-mail address"), ("samwardley99", "full name")]
)
def test_accepting_an_invitation_with_a_password_like_the_person_shows_the_field_error(client, password, names):
    token = invitation_for("sam.ward@example.org")
    response = client.post(f"/invitations/{token}/", {"full_name": "Sam Wardley", "password": password})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'href="#id_password"' in body
    assert names in field_error(body, "id_password")
    assert 'value="Sam Wardley"' in body
    assert not User.objects.filter(email="sam.ward@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_accepting_an_invitation_with_a_good_password_joins(client):
    token = invitation_for("sam.ward@example.org")
    response = client.post(f"/invitations/{token}/", {"full_name": "Sam Wardley", "password": "a-long-enough-password"})
    assert response.status_code == 302
    assert Membership.objects.filter(user__email="sam.ward@example.org").exists()


def test_accepting_through_the_service_refuses_such_a_password_too():
    token = invitation_for("sam.ward@example.org")
    with pytest.raises(services.ServiceError) as error:
        services.invitation_accept(token=token, user=None, full_name="Sam Wardley", password="sam.ward.example.org")
    assert "password" in error.value.errors
    assert not User.objects.filter(email="sam.ward@example.org").exists()


def test_a_password_reset_refuses_a_password_like_the_persons_name(client):
    person = UserFactory(email="ruth@reading.example", full_name="Ruth Chair")
    client.post("/password-reset/", {"email": person.email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": LIKE_THE_NAME, "new_password2": LIKE_THE_NAME})
    assert response.status_code == 200
    assert "too similar to the full name" in response.content.decode()


def test_the_bootstrap_command_refuses_a_password_like_the_administrator(monkeypatch):
    monkeypatch.setenv("BOOTSTRAP_PASSWORD", "ada.lovelace.leeds.gov.uk")
    with pytest.raises(CommandError, match="e-mail address"):
        call_command(
            "bootstrap_administrator",
            organisation="Leeds City Council",
            scheme="GB-LAE",
            identifier="LDS",
            address="Civic Hall",
            postcode="LS1 1UR",
            email="ada.lovelace@leeds.gov.uk",
            name="Ada Lovelace",
        )
    assert not User.objects.exists()


def test_sign_up_with_an_address_that_has_an_account_puts_the_error_on_your_email_not_the_public_one(client):
    UserFactory(email="ruth@reading.example")
    response = client.post(
        "/sign-up/", {**SIGN_UP, "user_email": " Ruth@Reading.Example", "email": "info@reading.example"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_user_email"' in body and 'href="#id_email"' not in body
    assert "already exists" in field_error(body, "id_user_email")
    assert field_error(body, "id_email") == ""
    assert Organisation.objects.count() == 0


def test_the_password_hint_states_the_configured_minimum_length(client, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 14}}
    ]
    assert "At least 14 characters" in client.get("/sign-up/").content.decode()
