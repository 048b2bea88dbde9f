from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.accounts import services
from commissioning.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    OrganisationStatus,
    Role,
    User,
)
from commissioning.accounts.selectors import api_token_for_secret, invitation_get_by_token
from commissioning.accounts.tests.factories import (
    IdentifierFactory,
    ProviderFactory,
    UserFactory,
    person_with_role,
)
from commissioning.audit.models import AuditEvent
from commissioning.audit.transitions import TransitionError
from commissioning.core import clock

pytestmark = pytest.mark.django_db

ORG = {
    "name": "Armley Reading Circle",
    "legal_form": "registered_charity",
    "address_line_1": "1 Town Street",
    "town": "Leeds",
    "postcode": "LS12 3AX",
    "latest_income": Decimal("45000"),
    "based_in_leeds": True,
}


def register(**overrides):
    kwargs = {
        "email": "Chair@Reading.example",
        "full_name": "Ruth Chair",
        "password": "a-long-enough-password",
        "organisation": dict(ORG),
        "ward_codes": ["E05011389"],
        "identifiers": [("GB-CHC", "1123456")],
    }
    kwargs.update(overrides)
    return services.provider_register(**kwargs)


def test_a_provider_registers_itself_and_waits_for_verification(administrator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user, org = register()
    assert user.email == "chair@reading.example"
    assert org.status == OrganisationStatus.PENDING
    assert org.side == "provider"
    assert [i.org_id for i in org.identifiers.all()] == ["GB-CHC-1123456"]
    assert [w.name for w in org.wards.all()] == ["Armley"]
    assert Membership.objects.get(user=user).role == Role.PROVIDER_ADMIN
    assert org.size_band == "small"
    assert set(AuditEvent.objects.values_list("verb", flat=True)) == {"user.register", "organisation.register"}
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([administrator.email, "chair@reading.example"])


def test_a_duplicate_organisation_is_refused_and_nothing_is_written():
    register()
    with pytest.raises(services.ServiceError) as error:
        register(email="other@reading.example", identifiers=[("GB-CHC", "GB-CHC-1123456")])
    assert "already registered" in str(error.value)
    assert "identifier_value" in error.value.errors
    assert Organisation.objects.count() == 1
    assert not User.objects.filter(email="other@reading.example").exists()


def test_an_email_with_an_account_cannot_register_again():
    register()
    with pytest.raises(services.ServiceError) as error:
        register(email="CHAIR@reading.example", identifiers=[("GB-CHC", "1123457")])
    assert "email" in error.value.errors


def test_a_malformed_identifier_or_unknown_ward_is_refused():
    with pytest.raises(services.ServiceError, match="6 or 7 digits"):
        register(identifiers=[("GB-CHC", "12")])
    with pytest.raises(services.ServiceError, match="Unknown ward"):
        register(ward_codes=["E05999999"])
    assert not User.objects.exists()


def test_only_community_groups_may_register_without_a_register_number():
    with pytest.raises(services.ServiceError, match="register number"):
        register(identifiers=[])
    _, org = register(identifiers=[], organisation={**ORG, "legal_form": "community_group"})
    assert org.identifiers.count() == 0


def test_an_administrator_verifies_and_the_registrant_is_told(administrator, django_capture_on_commit_callbacks):
    user, org = register()
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_verify(actor=administrator, organisation=org)
    org.refresh_from_db()
    assert org.status == OrganisationStatus.VERIFIED
    assert org.verified_at is not None
    assert mail.outbox[0].to == [user.email]
    assert "is verified" in mail.outbox[0].subject


def test_nobody_but_an_administrator_can_verify(commissioner):
    user, org = register()
    for actor in (user, commissioner):
        with pytest.raises(TransitionError, match="Only an administrator"):
            services.organisation_verify(actor=actor, organisation=org)
    org.refresh_from_db()
    assert org.status == OrganisationStatus.PENDING


def test_declining_needs_a_reason_and_the_reason_is_sent(administrator, django_capture_on_commit_callbacks):
    user, org = register()
    with pytest.raises(TransitionError, match="Give a reason"):
        services.organisation_reject(actor=administrator, organisation=org, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_reject(actor=administrator, organisation=org, reason="Not on the register")
    assert "Not on the register" in mail.outbox[0].body


def test_a_suspended_organisation_leaves_the_directory_and_its_people_lose_their_roles(administrator, provider_admin):
    org = provider_admin.memberships.get().organisation
    services.organisation_suspend(actor=administrator, organisation=org, reason="Investigation")
    provider_admin = User.objects.get(pk=provider_admin.pk)
    assert provider_admin.roles_for(org) == set()


def test_an_organisations_administrator_updates_its_profile_and_the_change_is_audited(provider_admin):
    org = provider_admin.memberships.get().organisation
    services.organisation_update(
        actor=provider_admin,
        organisation=org,
        data={"description": "Now with a lunch club", "latest_income": Decimal("150000")},
        ward_codes=["E05011418"],
    )
    org.refresh_from_db()
    assert org.size_band == "medium"
    event = AuditEvent.objects.get(verb="organisation.update")
    assert event.after["description"] == "Now with a lunch club"
    assert event.after["wards"] == ["E05011418"]
    assert "name" not in event.after  # only what changed


def test_a_member_who_is_not_an_administrator_cannot_edit():
    member = person_with_role(Role.PROVIDER_MEMBER)
    org = member.memberships.get().organisation
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=member, organisation=org, data={"name": "Hijacked"}, ward_codes=[])
    org.refresh_from_db()
    assert org.name != "Hijacked"


def test_someone_from_another_organisation_cannot_edit(provider_admin):
    other = ProviderFactory()
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=provider_admin, organisation=other, data={"name": "x"}, ward_codes=[])


def test_identifiers_are_added_once_and_a_verified_org_keeps_one(provider_admin):
    org = provider_admin.memberships.get().organisation
    added = services.identifier_add(actor=provider_admin, organisation=org, scheme="GB-COH", value="1234567")
    assert added.org_id == "GB-COH-01234567"
    with pytest.raises(services.ServiceError, match="already one of your identifiers"):
        services.identifier_add(actor=provider_admin, organisation=org, scheme="GB-COH", value="01234567")
    other = IdentifierFactory(scheme="GB-COH", value="07654321")
    with pytest.raises(services.ServiceError, match="Another organisation"):
        services.identifier_add(actor=provider_admin, organisation=org, scheme="GB-COH", value=other.value)
    for identifier in list(org.identifiers.all())[:-1]:
        services.identifier_remove(actor=provider_admin, identifier=identifier)
    with pytest.raises(services.ServiceError, match="at least one identifier"):
        services.identifier_remove(actor=provider_admin, identifier=org.identifiers.get())


def test_an_invitation_is_accepted_by_creating_an_account(provider_admin, django_capture_on_commit_callbacks):
    org = provider_admin.memberships.get().organisation
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            actor=provider_admin, organisation=org, email="New.Colleague@example.org", role=Role.PROVIDER_MEMBER
        )
    assert token not in invitation.token_digest
    assert f"/invitations/{token}/" in mail.outbox[-1].body
    membership = services.invitation_accept(
        token=token, user=None, full_name="New Colleague", password="another-long-password"
    )
    assert membership.user.email == "new.colleague@example.org"
    assert membership.role == Role.PROVIDER_MEMBER
    assert invitation_get_by_token(token) is None
    with pytest.raises(services.ServiceError, match="expired or has already been used"):
        services.invitation_accept(token=token, user=None, full_name="Again", password="another-long-password")


def test_an_invitation_for_someone_else_cannot_be_accepted_by_a_signed_in_user(provider_admin):
    org = provider_admin.memberships.get().organisation
    _, token = services.invitation_create(
        actor=provider_admin, organisation=org, email="a@example.org", role=Role.PROVIDER_MEMBER
    )
    stranger = UserFactory(email="b@example.org")
    with pytest.raises(services.ServiceError, match="This invitation is for a@example.org"):
        services.invitation_accept(token=token, user=stranger)
    assert not Membership.objects.filter(user=stranger).exists()


def test_invitations_are_limited_to_roles_that_suit_the_side(provider_admin, administrator):
    org = provider_admin.memberships.get().organisation
    with pytest.raises(services.ServiceError, match="Choose a role"):
        services.invitation_create(
            actor=provider_admin, organisation=org, email="x@example.org", role=Role.ADMINISTRATOR
        )
    member = person_with_role(Role.PROVIDER_MEMBER, organisation=org)
    with pytest.raises(PermissionDenied):
        services.invitation_create(actor=member, organisation=org, email="x@example.org", role=Role.PROVIDER_MEMBER)
    assert not Invitation.objects.exists()


def test_a_newer_invitation_replaces_an_older_one(provider_admin):
    org = provider_admin.memberships.get().organisation
    _, first = services.invitation_create(
        actor=provider_admin, organisation=org, email="x@example.org", role=Role.PROVIDER_MEMBER
    )
    _, second = services.invitation_create(
        actor=provider_admin, organisation=org, email="x@example.org", role=Role.PROVIDER_ADMIN
    )
    assert invitation_get_by_token(first) is None
    assert invitation_get_by_token(second).role == Role.PROVIDER_ADMIN


def test_an_organisation_keeps_at_least_one_administrator(provider_admin):
    membership = provider_admin.memberships.get()
    with pytest.raises(services.ServiceError, match="at least one administrator"):
        services.membership_remove(actor=provider_admin, membership=membership)


def test_api_tokens_are_stored_hashed_and_stop_working_when_revoked(provider_admin):
    token, secret = services.api_token_create(actor=provider_admin, name="Spreadsheet")
    assert secret.startswith("lch_")
    assert secret not in token.digest and token.digest == ApiToken.digest_of(secret)
    assert api_token_for_secret(secret).user == provider_admin
    with pytest.raises(services.ServiceError, match="already have a token with this name"):
        services.api_token_create(actor=provider_admin, name="Spreadsheet")
    services.api_token_revoke(actor=provider_admin, token=token)
    assert api_token_for_secret(secret) is None
    assert api_token_for_secret("lch_not-a-token") is None


def test_finding_a_token_writes_nothing_and_its_use_is_noted_at_most_once_a_minute(provider_admin):
    token, secret = services.api_token_create(actor=provider_admin, name="Spreadsheet")
    assert api_token_for_secret(secret).last_used_at is None
    token.refresh_from_db()
    assert token.last_used_at is None  # the selector only reads

    first = clock.now()
    services.api_token_touch(token=api_token_for_secret(secret), now=first)
    token.refresh_from_db()
    assert token.last_used_at == first

    services.api_token_touch(token=api_token_for_secret(secret), now=first + timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == first  # within the minute: not written again

    later = first + timedelta(seconds=61)
    services.api_token_touch(token=api_token_for_secret(secret), now=later)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_nobody_can_revoke_someone_elses_token(provider_admin, administrator):
    token, _ = services.api_token_create(actor=provider_admin, name="Mine")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=administrator, token=token)
