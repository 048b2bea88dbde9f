"""Organisations, the people who act for them, and what each may do.

People sign in by e-mail. An organisation is either a commissioning body or a
provider. A person's roles come from memberships: a role is always held for
an organisation, so "commissioner at Leeds City Council" and "provider
administrator at Burmantofts Community Kitchen" are two memberships.
"""

import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property

from commissioning.core.models import Ward
from commissioning.core.money import MoneyField
from commissioning.core.sizebands import SizeBand, size_band

from .identifiers import Scheme, org_id


def normalise_email(value: str) -> str:
    """The form of an e-mail address that accounts are stored, found and counted by.

    Surrounding spaces go and letters are lower-cased, so "Ruth@Example.org "
    and "ruth@example.org" are one person: signing in matches on this, and the
    sign-in lockout counts failed attempts on this, so a change of case or an
    added space is the same name, not a fresh one.
    """
    return str(value or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not normalise_email(email):
            raise ValueError("An e-mail address is required")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        """The account signing in as ``username``: matched on the normalised address, whatever its case."""
        return self.get(email__iexact=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. Signs in with their e-mail address."""

    email = models.EmailField("e-mail address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the technical admin site (operators only).")
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def active_memberships(self) -> list["Membership"]:
        """This person's memberships of organisations that are not rejected or suspended."""
        if not self.pk:
            return []
        return list(
            self.memberships.select_related("organisation").exclude(
                organisation__status__in=[OrganisationStatus.REJECTED, OrganisationStatus.SUSPENDED]
            )
        )

    def roles_for(self, organisation: "Organisation") -> set[str]:
        """The roles this person holds for ``organisation``."""
        return {m.role for m in self.active_memberships if m.organisation_id == organisation.pk}

    def has_role(self, *roles: str) -> bool:
        """Whether this person holds any of ``roles`` for any organisation."""
        return any(m.role in roles for m in self.active_memberships)

    @property
    def is_administrator(self) -> bool:
        """Whether this person administers the hub (verifies organisations, keeps the Code's settings)."""
        return self.is_active and self.has_role(Role.ADMINISTRATOR)


class Side(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioning body"
    PROVIDER = "provider", "Provider"


class LegalForm(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS_BODY = "nhs_body", "NHS body"
    REGISTERED_CHARITY = "registered_charity", "Registered charity"
    CIO = "cio", "Charitable incorporated organisation"
    CIC = "cic", "Community interest company"
    CLG = "clg", "Company limited by guarantee"
    COMMUNITY_GROUP = "community_group", "Unincorporated community group"
    SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
    MUTUAL = "mutual", "Co-operative or community benefit society"
    PRIVATE_COMPANY = "private_company", "Private company"
    PUBLIC_BODY = "public_body", "Other public body"


THIRD_SECTOR_FORMS = {
    LegalForm.REGISTERED_CHARITY,
    LegalForm.CIO,
    LegalForm.CIC,
    LegalForm.CLG,
    LegalForm.COMMUNITY_GROUP,
    LegalForm.SOCIAL_ENTERPRISE,
    LegalForm.MUTUAL,
}
COMMISSIONER_FORMS = {LegalForm.LOCAL_AUTHORITY, LegalForm.NHS_BODY, LegalForm.PUBLIC_BODY}


class OrganisationStatus(models.TextChoices):
    PENDING = "pending", "Waiting for verification"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Not verified"
    SUSPENDED = "suspended", "Suspended"


class Organisation(models.Model):
    """A commissioning body or a provider, with its identifiers, address, income and wards."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    side = models.CharField(max_length=20, choices=Side.choices)
    legal_form = models.CharField(max_length=30, choices=LegalForm.choices)
    status = models.CharField(max_length=20, choices=OrganisationStatus.choices, default=OrganisationStatus.PENDING)
    description = models.TextField(blank=True, max_length=2000)
    website = models.URLField(blank=True)
    email = models.EmailField("contact e-mail", blank=True)
    phone = models.CharField(max_length=30, blank=True)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, default="Leeds")
    postcode = models.CharField(max_length=8)
    latest_income = MoneyField(null=True, blank=True)
    income_year_end = models.DateField(null=True, blank=True)
    based_in_leeds = models.BooleanField(default=True)
    city_wide = models.BooleanField(default=False, help_text="Serves every ward in Leeds.")
    wards = models.ManyToManyField(Ward, blank=True, related_name="organisations")
    verified_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latest_income__isnull=True) | models.Q(latest_income__gte=0),
                name="organisation_income_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["side", "status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def size_band(self) -> SizeBand | None:
        """The NCVO size band of the latest annual income (None when not given)."""
        return size_band(self.latest_income)

    @property
    def is_provider(self) -> bool:
        return self.side == Side.PROVIDER

    @property
    def is_verified(self) -> bool:
        return self.status == OrganisationStatus.VERIFIED

    @property
    def is_third_sector(self) -> bool:
        return self.legal_form in THIRD_SECTOR_FORMS

    @property
    def primary_identifier(self) -> "OrganisationIdentifier | None":
        identifiers = list(self.identifiers.all())
        return next((i for i in identifiers if i.is_primary), identifiers[0] if identifiers else None)


class OrganisationIdentifier(models.Model):
    """A number an official register gives the organisation (org-id.guide scheme)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="identifiers")
    scheme = models.CharField(max_length=10, choices=Scheme.choices)
    value = models.CharField(max_length=20)
    is_primary = models.BooleanField(default=False)

    class Meta:
        ordering = ["-is_primary", "scheme"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "value"], name="identifier_unique_in_scheme"),
        ]

    def __str__(self) -> str:
        return self.org_id

    @property
    def org_id(self) -> str:
        return org_id(self.scheme, self.value)


class Role(models.TextChoices):
    COMMISSIONER = "commissioner", "Commissioner"
    EVALUATOR = "evaluator", "Evaluator"
    PROVIDER_MEMBER = "provider_member", "Provider member"
    PROVIDER_ADMIN = "provider_admin", "Provider administrator"
    PARTNERSHIP_REVIEWER = "partnership_reviewer", "Partnership reviewer"
    ADMINISTRATOR = "administrator", "Administrator"


# Which roles each side of the market can give.
ROLES_BY_SIDE: dict[str, set[str]] = {
    Side.COMMISSIONER: {Role.COMMISSIONER, Role.EVALUATOR, Role.PARTNERSHIP_REVIEWER, Role.ADMINISTRATOR},
    Side.PROVIDER: {Role.PROVIDER_MEMBER, Role.PROVIDER_ADMIN, Role.PARTNERSHIP_REVIEWER, Role.EVALUATOR},
}
# The role that administers an organisation's own profile and colleagues.
ORGANISATION_ADMIN_ROLES = {Role.PROVIDER_ADMIN, Role.ADMINISTRATOR}


class Membership(models.Model):
    """A person holding one role for one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class Invitation(models.Model):
    """An invitation for a colleague to join an organisation in a role.

    The link carries a random token; only its SHA-256 digest is stored.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=30, choices=Role.choices)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email} to {self.organisation}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The start of the token, to recognise it by.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ApiTokenFailure(models.Model):
    """Unknown or revoked API tokens sent from one network address, for the API's limit on guessing.

    One row per address: how many bad tokens it has sent, each within the
    cool-off (``API_TOKEN_COOLOFF_MINUTES``) of the one before, and when the
    last came. Bookkeeping, not a decision: no audit event.
    """

    address = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.failures} bad API tokens from {self.address or 'an unknown address'}"
