"""One factory per kind of record, and per lifecycle state where it matters."""

import factory
from factory.django import DjangoModelFactory

from commissioning.accounts.models import (
    LegalForm,
    Membership,
    Organisation,
    OrganisationIdentifier,
    OrganisationStatus,
    Role,
    Side,
    User,
)

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class ProviderFactory(DjangoModelFactory):
    """A provider that is waiting for verification."""

    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Project {n}")
    slug = factory.Sequence(lambda n: f"community-project-{n}")
    side = Side.PROVIDER
    legal_form = LegalForm.REGISTERED_CHARITY
    status = OrganisationStatus.PENDING
    address_line_1 = "1 Park Row"
    town = "Leeds"
    postcode = "LS1 5HD"
    based_in_leeds = True


class VerifiedProviderFactory(ProviderFactory):
    status = OrganisationStatus.VERIFIED


class CommissionerOrgFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Commissioning Body {n}")
    slug = factory.Sequence(lambda n: f"commissioning-body-{n}")
    side = Side.COMMISSIONER
    legal_form = LegalForm.LOCAL_AUTHORITY
    status = OrganisationStatus.VERIFIED
    address_line_1 = "Civic Hall"
    town = "Leeds"
    postcode = "LS1 1UR"


class IdentifierFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationIdentifier

    organisation = factory.SubFactory(ProviderFactory)
    scheme = "GB-CHC"
    value = factory.Sequence(lambda n: f"{1100000 + n}")
    is_primary = True


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(VerifiedProviderFactory)
    role = Role.PROVIDER_ADMIN


def person_with_role(role: str, organisation: Organisation | None = None, **user_fields) -> User:
    """A user holding ``role`` at ``organisation`` (a suitable new one when not given)."""
    if organisation is None:
        provider_roles = {Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER}
        organisation = VerifiedProviderFactory() if role in provider_roles else CommissionerOrgFactory()
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user
