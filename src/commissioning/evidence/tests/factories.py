"""Evidence for tests: rows made directly (for reads) and versions recorded through the service (for flows)."""

from datetime import date, timedelta

import factory
from factory.django import DjangoModelFactory

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import UserFactory, VerifiedProviderFactory, person_with_role
from commissioning.core import clock
from commissioning.evidence import services
from commissioning.evidence.demo import pdf_upload, sample_data
from commissioning.evidence.models import EvidenceItem
from commissioning.evidence.specs import spec_for


class EvidenceItemFactory(DjangoModelFactory):
    """A current version written straight to the table: for tests of reads, not of the rules."""

    class Meta:
        model = EvidenceItem

    organisation = factory.SubFactory(VerifiedProviderFactory)
    item = "insurance_public"
    version = 1
    data = factory.LazyAttribute(lambda o: {"insurer": "Zurich Municipal", "cover": "5000000.00"})
    valid_until = factory.LazyFunction(lambda: clock.today() + timedelta(days=200))
    created_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(clock.now)


def keeper(role: str = Role.PROVIDER_ADMIN, organisation=None):
    """A person who keeps an organisation's evidence, and that organisation."""
    organisation = organisation or VerifiedProviderFactory()
    return person_with_role(role, organisation), organisation


def record(
    actor, organisation, item: str = "insurance_public", *, valid_until: date | None = None, upload="auto", **data
):
    """Record a valid version of ``item`` through the service; keyword arguments override its sample data."""
    values = sample_data(item, clock.today(), valid_until=valid_until)
    values.update(data)
    if upload == "auto":
        upload = pdf_upload(f"{item}.pdf", f"{item} {values}") if spec_for(item).takes_file else None
    return services.evidence_item_record(actor=actor, organisation=organisation, item=item, data=values, upload=upload)
