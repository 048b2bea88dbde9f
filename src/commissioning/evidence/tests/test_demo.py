"""The demo evidence stores: what each provider keeps, loaded once however often the loader runs."""

import pytest
from django.core.management import call_command

from commissioning.accounts.models import Organisation, OrganisationStatus
from commissioning.core import clock
from commissioning.evidence.models import EvidenceItem
from commissioning.evidence.selectors import evidence_readiness, reminder_days
from commissioning.evidence.standard_items import StandardItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo_data", quiet=True)


def readiness(name: str) -> dict[str, object]:
    organisation = Organisation.objects.get(name=name)
    answers = evidence_readiness(organisation=organisation, items=StandardItem.values, on=clock.today())
    return {answer.item: answer for answer in answers}


def test_loading_twice_adds_no_evidence(demo):
    counts = (EvidenceItem.objects.count(), EvidenceItem.objects.current().count())
    call_command("load_demo_data", quiet=True)
    assert (EvidenceItem.objects.count(), EvidenceItem.objects.current().count()) == counts


def test_armley_keeps_every_item_current_with_one_running_out_soon(demo):
    answers = readiness("Armley Young Carers Project")
    assert {answer.state for answer in answers.values()} == {"current"}
    horizon = clock.today().toordinal() + reminder_days()
    soon = [a.item for a in answers.values() if a.version.valid_until and a.version.valid_until.toordinal() <= horizon]
    assert soon == ["insurance_public"]


def test_the_wellbeing_partnership_has_an_expired_certificate_and_a_replaced_policy(demo):
    answers = readiness("Leeds Mental Wellbeing Partnership")
    assert [a.item for a in answers.values() if a.state == "expired"] == ["insurance_employers"]
    versions = EvidenceItem.objects.filter(
        organisation__name="Leeds Mental Wellbeing Partnership", item="safeguarding_adults"
    ).order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert versions[0].sha256 != versions[1].sha256


def test_two_other_providers_have_started_their_stores(demo):
    partial = {
        name: [a.item for a in readiness(name).values() if a.state != "missing"]
        for name in ("Bramley Baths Swimming Club", "Seacroft Digital Inclusion CIC")
    }
    assert all(0 < len(items) < len(StandardItem.values) for items in partial.values())
    assert Organisation.objects.get(name="Bramley Baths Swimming Club").status == OrganisationStatus.PENDING


def test_demo_files_are_real_pdfs(demo):
    for version in EvidenceItem.objects.exclude(file=""):
        with version.file.open("rb") as stored:
            content = stored.read()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
        assert len(content) == version.size
