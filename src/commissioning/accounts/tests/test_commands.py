import pytest
from django.core.management import CommandError, call_command

from commissioning.accounts.models import Membership, Organisation, Role, User
from commissioning.accounts.tests.factories import CommissionerOrgFactory, UserFactory, VerifiedProviderFactory
from commissioning.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_grant_role_makes_the_first_administrator():
    user = UserFactory()
    council = CommissionerOrgFactory()
    call_command("grant_role", user.email, council.slug, "administrator")
    assert User.objects.get(pk=user.pk).is_administrator
    assert AuditEvent.objects.filter(verb="membership.grant").exists()


def test_grant_role_refuses_a_role_the_side_does_not_have_and_unknown_names():
    user = UserFactory()
    provider = VerifiedProviderFactory()
    with pytest.raises(CommandError, match="not available"):
        call_command("grant_role", user.email, provider.slug, "administrator")
    with pytest.raises(CommandError, match="No account"):
        call_command("grant_role", "nobody@example.org", provider.slug, "provider_member")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("grant_role", user.email, "no-such-org", "provider_member")
    assert not Membership.objects.exists()


def test_demo_data_loads_twice_without_duplicates():
    call_command("load_demo_data", quiet=True)
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo_data", quiet=True)
    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    providers = Organisation.objects.filter(side="provider", status="verified")
    assert providers.count() >= 25
    assert {o.size_band for o in providers} >= {"micro", "small", "medium", "large", "major", "super_major"}
    assert {o.legal_form for o in providers} >= {
        "registered_charity",
        "cio",
        "cic",
        "clg",
        "community_group",
        "social_enterprise",
        "private_company",
    }
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Organisation.objects.filter(status="pending").exists()


def test_demo_accounts_can_use_their_printed_tokens(client):
    call_command("load_demo_data", quiet=True)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer lch_demo_admin_leeds-hub")
    assert response.json()["email"] == "admin@leeds-hub.example"


def test_bootstrap_creates_the_first_body_and_administrator_and_is_safe_to_repeat(monkeypatch):
    monkeypatch.setenv("BOOTSTRAP_PASSWORD", "a-strong-first-password")
    args = [
        "bootstrap_administrator",
        "--organisation",
        "Leeds City Council",
        "--scheme",
        "GB-LAE",
        "--identifier",
        "lds",
        "--address",
        "Civic Hall",
        "--postcode",
        "LS1 1UR",
        "--email",
        "first@leeds.example",
        "--name",
        "First Admin",
    ]
    call_command(*args)
    call_command(*args)
    user = User.objects.get(email="first@leeds.example")
    assert user.is_administrator
    assert Organisation.objects.get().identifiers.get().org_id == "GB-LAE-LDS"


def test_bootstrap_refuses_a_weak_password_or_bad_identifier(monkeypatch):
    monkeypatch.setenv("BOOTSTRAP_PASSWORD", "password")
    base = [
        "--organisation",
        "X",
        "--scheme",
        "GB-LAE",
        "--address",
        "A",
        "--postcode",
        "LS1 1UR",
        "--email",
        "a@example.org",
        "--name",
        "A",
    ]
    with pytest.raises(CommandError, match="too common|too short"):
        call_command("bootstrap_administrator", *base, "--identifier", "LDS")
    with pytest.raises(CommandError, match="3 letters"):
        call_command("bootstrap_administrator", *base, "--identifier", "LEEDS")
    assert not User.objects.exists() and not Organisation.objects.exists()


def test_an_administrator_adds_a_commissioning_body_and_invites_its_people(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/administration/organisations/new/",
        {
            "name": "NHS Test ICB",
            "legal_form": "nhs_body",
            "identifier_scheme": "GB-NHS",
            "identifier_value": "qxx",
            "address_line_1": "1 Street",
            "town": "Leeds",
            "postcode": "ls1 1aa",
        },
    )
    org = Organisation.objects.get(name="NHS Test ICB")
    assert response["Location"] == f"/organisations/{org.slug}/people/"
    assert org.status == "verified" and org.side == "commissioner"
    assert client.get(f"/organisations/{org.slug}/people/invite/").status_code == 200


def test_adding_a_commissioning_body_with_a_taken_identifier_is_refused(client, administrator):
    from commissioning.accounts.tests.factories import IdentifierFactory

    IdentifierFactory(scheme="GB-NHS", value="QXX")
    client.force_login(administrator)
    response = client.post(
        "/administration/organisations/new/",
        {
            "name": "Duplicate",
            "legal_form": "nhs_body",
            "identifier_scheme": "GB-NHS",
            "identifier_value": "QXX",
            "address_line_1": "1 Street",
            "town": "Leeds",
            "postcode": "LS1 1AA",
        },
    )
    assert "There is a problem" in response.content.decode()
    assert not Organisation.objects.filter(name="Duplicate").exists()
