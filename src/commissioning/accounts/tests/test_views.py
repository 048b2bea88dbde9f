import pytest
from django.core import mail
from django.test import Client
from markupsafe import escape

from commissioning.accounts.models import Organisation, OrganisationStatus, Role, User
from commissioning.accounts.tests.factories import (
    PASSWORD,
    IdentifierFactory,
    VerifiedProviderFactory,
    person_with_role,
)
from commissioning.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "full_name": "Ruth Chair",
    "user_email": "ruth@reading.example",
    "password": "a-long-enough-password",
    "name": "Armley Reading Circle",
    "legal_form": "registered_charity",
    "identifier_scheme": "GB-CHC",
    "identifier_value": "1123456",
    "address_line_1": "1 Town Street",
    "town": "Leeds",
    "postcode": "ls12 3ax",
    "latest_income": "£45,000",
    "based_in_leeds": "yes",
    "wards": ["E05011389"],
}


def test_sign_up_registers_a_pending_provider_and_signs_the_person_in(client):
    response = client.post("/sign-up/", SIGN_UP)
    assert response.status_code == 302 and response["Location"] == "/sign-up/done/"
    org = Organisation.objects.get()
    assert org.status == OrganisationStatus.PENDING
    assert org.postcode == "LS12 3AX"
    assert str(org.latest_income) == "45000.00"
    assert client.get("/account/").status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"identifier_value": "12"}, "6 or 7 digits"),
        ({"postcode": "NOT A PC"}, "Enter a real postcode"),
        ({"latest_income": "-100"}, "zero or more"),
        ({"latest_income": "12.345"}, "no more than 2 decimal places"),
        ({"wards": ["E05999999"]}, "Choose Leeds wards from the list"),
        ({"wards": []}, "Choose the wards you serve"),
        ({"name": "x" * 201}, "must be 200 characters or fewer"),
        ({"password": "password"}, "too common"),
        ({"identifier_scheme": "none"}, "Only an unincorporated community group"),
        ({"user_email": "not-an-email"}, "in the correct format"),
    ],
)
def test_sign_up_rejects_bad_input_with_the_error_summary(client, change, message):
    response = client.post("/sign-up/", {**SIGN_UP, **change})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert "<title>Error:" in body
    # what was typed is kept, except the password
    assert "Armley Reading Circle" in body or change.get("name")
    assert "a-long-enough-password" not in body
    assert not Organisation.objects.exists() and not User.objects.exists()


def test_sign_up_refuses_a_duplicate_organisation(client):
    IdentifierFactory(scheme="GB-CHC", value="1123456")
    response = client.post("/sign-up/", SIGN_UP)
    assert "already registered" in response.content.decode()
    assert not User.objects.filter(email="ruth@reading.example").exists()


def test_a_post_without_the_csrf_token_is_refused_politely():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-up/", SIGN_UP)
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not Organisation.objects.exists()


def test_sign_in_and_out(client, provider_admin):
    response = client.post("/sign-in/", {"username": provider_admin.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    account = client.get("/account/")
    assert account.status_code == 200
    assert (
        "Your account" in account.content.decode() and str(escape(provider_admin.full_name)) in account.content.decode()
    )
    client.post("/sign-out/")
    after = client.get("/account/")
    assert after.status_code == 302 and after.url.startswith("/sign-in/")


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(client, provider_admin):
    response = client.post("/sign-in/", {"username": provider_admin.email, "password": "wrong-password"})
    assert "Enter a correct e-mail address and password" in response.content.decode()


def test_repeated_failed_sign_ins_are_locked_out(client, provider_admin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": provider_admin.email, "password": "wrong-password"})
    response = client.post("/sign-in/", {"username": provider_admin.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert client.get("/account/").status_code == 302


def test_password_reset_sends_a_working_link(client, provider_admin):
    client.post("/password-reset/", {"email": provider_admin.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = link.split("testserver", 1)[1]
    form = client.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-brand-new-password", "new_password2": "a-brand-new-password"}
    )
    assert done.status_code == 302
    signed_in = client.post("/sign-in/", {"username": provider_admin.email, "password": "a-brand-new-password"})
    assert signed_in.status_code == 302


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post("/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []


def test_another_organisations_edit_page_is_not_found(client, provider_admin):
    other = VerifiedProviderFactory()
    client.force_login(provider_admin)
    assert client.get(f"/organisations/{other.slug}/edit/").status_code == 404
    response = client.post(f"/organisations/{other.slug}/edit/", {"name": "Hijacked"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name != "Hijacked"


def test_editing_the_profile_with_bad_input_keeps_what_was_saved(client, provider_admin):
    org = provider_admin.memberships.get().organisation
    client.force_login(provider_admin)
    page = client.get(f"/organisations/{org.slug}/edit/")
    assert page.status_code == 200
    response = client.post(f"/organisations/{org.slug}/edit/", {"name": "", "postcode": "nope", "latest_income": "-1"})
    assert "There is a problem" in response.content.decode()
    org.refresh_from_db()
    assert org.name and org.postcode == "LS1 5HD"
    assert not AuditEvent.objects.filter(verb="organisation.update").exists()


def test_a_member_invites_through_the_page_and_the_colleague_joins(
    client, provider_admin, django_capture_on_commit_callbacks
):
    org = provider_admin.memberships.get().organisation
    client.force_login(provider_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organisations/{org.slug}/people/invite/", {"email": "new@example.org", "role": "provider_member"}
        )
    assert response.status_code == 302
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line)
    path = link.split("testserver", 1)[1] if "testserver" in link else "/" + link.split("/", 3)[3]
    newcomer = Client()
    assert "Join" in newcomer.get(path).content.decode()
    joined = newcomer.post(path, {"full_name": "New Person", "password": "yet-another-password"})
    assert joined.status_code == 302
    assert User.objects.get(email="new@example.org").roles_for(org) == {Role.PROVIDER_MEMBER}


def test_inviting_into_a_role_the_side_does_not_have_is_refused(client, provider_admin):
    org = provider_admin.memberships.get().organisation
    client.force_login(provider_admin)
    response = client.post(
        f"/organisations/{org.slug}/people/invite/", {"email": "x@example.org", "role": "administrator"}
    )
    assert "There is a problem" in response.content.decode()


def test_directory_lists_verified_providers_only_and_filters(client):
    armley = VerifiedProviderFactory(name="Armley Helpers", latest_income=5_000)
    armley.wards.set([w for w in armley.wards.model.objects.filter(code="E05011389")])
    VerifiedProviderFactory(name="Big Provider", latest_income=50_000_000)
    person_with_role(
        Role.PROVIDER_ADMIN, VerifiedProviderFactory(name="Waiting Group", status=OrganisationStatus.PENDING)
    )
    body = client.get("/organisations/").content.decode()
    assert "Armley Helpers" in body and "Big Provider" in body and "Waiting Group" not in body
    body = client.get("/organisations/?ward=E05011389").content.decode()
    assert "Armley Helpers" in body and "Big Provider" not in body
    body = client.get("/organisations/?size=major").content.decode()
    assert "Big Provider" in body and "Armley Helpers" not in body
    body = client.get("/organisations/?q=armley").content.decode()
    assert "Armley Helpers" in body and "Big Provider" not in body


def test_directory_with_nonsense_filters_still_answers(client):
    response = client.get("/organisations/?ward=nope&size=huge&page=999&q=" + "x" * 500)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Find a provider" in page and "0 providers" in page


def test_directory_query_count_does_not_grow_with_the_list(client, django_assert_max_num_queries):
    for _ in range(30):
        org = VerifiedProviderFactory()
        IdentifierFactory(organisation=org)
    with django_assert_max_num_queries(8):
        client.get("/organisations/")


def test_an_administrator_verifies_through_the_page(client, administrator):
    owner = person_with_role(Role.PROVIDER_ADMIN, VerifiedProviderFactory(status=OrganisationStatus.PENDING))
    org = owner.memberships.get().organisation
    IdentifierFactory(organisation=org)
    client.force_login(administrator)
    response = client.post(f"/administration/organisations/{org.slug}/", {"action": "verify"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.status == OrganisationStatus.VERIFIED


def test_declining_without_a_reason_shows_the_error(client, administrator):
    org = VerifiedProviderFactory(status=OrganisationStatus.PENDING)
    client.force_login(administrator)
    response = client.post(f"/administration/organisations/{org.slug}/", {"action": "reject", "reason": ""})
    assert "There is a problem" in response.content.decode()
    org.refresh_from_db()
    assert org.status == OrganisationStatus.PENDING


def test_verifying_twice_explains_instead_of_crashing(client, administrator):
    org = VerifiedProviderFactory()
    client.force_login(administrator)
    response = client.post(f"/administration/organisations/{org.slug}/", {"action": "verify"})
    assert response.status_code == 200
    assert "cannot be done while the status is verified" in response.content.decode()


def test_api_token_created_and_revoked_on_the_account_page(client, provider_admin):
    client.force_login(provider_admin)
    response = client.post("/account/", {"action": "token", "name": "Spreadsheet"})
    body = response.content.decode()
    assert "Copy your new token now" in body
    secret = body.split('id="new-token">', 1)[1].split("<", 1)[0]
    api = Client()
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").json()["email"] == provider_admin.email
    token = provider_admin.api_tokens.get()
    client.post(f"/account/tokens/{token.pk}/revoke/")
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_error_pages_are_in_the_service_style(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-header" in response.content.decode() or "govuk-generic-header" in response.content.decode()


def test_a_server_error_shows_the_service_page(client, monkeypatch):
    from commissioning.frontend import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "home_figures", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_an_empty_sign_up_says_what_to_enter_for_each_field(client):
    body = client.post("/sign-up/", {}).content.decode()
    for message in (
        "Enter your full name",
        "Enter your e-mail address",
        "Create a password",
        "Enter the organisation&#39;s name",
        "Select what kind of organisation it is",
        "Select the register your organisation is on",
        "Enter the first line of the address",
        "Enter the postcode",
        "Select yes if the organisation is based in Leeds",
    ):
        assert message in body
    assert "This field is required" not in body


def test_an_organisations_page_shows_each_registered_part_and_leaves_out_the_empty_ones(client):
    from commissioning.accounts import organisation_page

    organisation = VerifiedProviderFactory()

    @organisation_page.organisation_part(order=99)
    def shown(found, user):
        return organisation_page.OrganisationPart(heading=f"About {found.name}", template="accounts/organisation.html")

    @organisation_page.organisation_part(order=100)
    def empty(found, user):
        return None

    try:
        parts = organisation_page.parts_for(organisation, None)
        assert [p.heading for p in parts if p.heading.startswith("About")] == [f"About {organisation.name}"]
        assert all(p.heading for p in parts)
    finally:
        organisation_page._REGISTRY.pop(f"{shown.__module__}.{shown.__qualname__}")
        organisation_page._REGISTRY.pop(f"{empty.__module__}.{empty.__qualname__}")
