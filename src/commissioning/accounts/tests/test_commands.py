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
        "registered_charity", "cio", "cic", "clg", "community_group", "social_enterprise", "private_company",
    }
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Organisation.objects.filter(status="pending").exists()


def test_demo_accounts_can_use_their_printed_tokens(client):
    call_command("load_demo_data", quiet=True)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer lch_demo_admin_leeds-hub")
    assert response.json()["email"] == "admin@leeds-hub.example"
