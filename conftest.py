"""Fixtures every test module may use."""

import os

os.environ.setdefault("COMMISSIONING_TESTING", "1")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

from commissioning.core.tests.travel import stop_builder_travels  # noqa: E402

# Property tests check behaviour, not speed: on a busy two-core machine a first example that
# builds a year of bank holidays can take longer than Hypothesis's default 200 ms.
hypothesis_settings.register_profile("hub", deadline=None, print_blob=True)
hypothesis_settings.load_profile("hub")


@pytest.fixture(autouse=True)
def _isolated_mail(settings, tmp_path):
    """Tests read e-mail from the in-memory outbox, never from files or SMTP."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _builders_travel_ends():
    """Whatever clock travel a test builder started (``opened_tender``) ends with the test."""
    yield
    stop_builder_travels()


@pytest.fixture
def provider_admin(db):
    from commissioning.accounts.models import Role
    from commissioning.accounts.tests.factories import IdentifierFactory, person_with_role

    user = person_with_role(Role.PROVIDER_ADMIN)
    IdentifierFactory(organisation=user.memberships.get().organisation)
    return user


@pytest.fixture
def administrator(db):
    from commissioning.accounts.models import Role
    from commissioning.accounts.tests.factories import person_with_role

    return person_with_role(Role.ADMINISTRATOR)


@pytest.fixture
def commissioner(db):
    from commissioning.accounts.models import Role
    from commissioning.accounts.tests.factories import person_with_role

    return person_with_role(Role.COMMISSIONER)
