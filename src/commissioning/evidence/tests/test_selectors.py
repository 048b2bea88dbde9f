"""Reading the store: current versions, readiness on a day, and who may see what."""

from datetime import date, timedelta

import pytest
from django.http import Http404

from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, ProviderFactory, person_with_role
from commissioning.core import clock
from commissioning.evidence import selectors, services
from commissioning.evidence.models import EvidenceItem
from commissioning.evidence.selectors import Readiness

from .factories import EvidenceItemFactory, keeper, record

pytestmark = pytest.mark.django_db

EXPIRY = date(2027, 3, 3)


def test_current_for_maps_each_item_to_its_current_version_in_one_query(django_assert_num_queries):
    admin, organisation = keeper()
    record(admin, organisation, "insurance_public", insurer="Old")
    newest = record(admin, organisation, "insurance_public", insurer="New", upload=None)
    address = record(admin, organisation, "address")
    record(admin, organisation, "equality")
    services.evidence_item_remove(actor=admin, organisation=organisation, item="equality")
    EvidenceItemFactory()  # another organisation's
    with django_assert_num_queries(1):
        current = selectors.evidence_current_for(organisation=organisation)
    assert current == {"insurance_public": newest, "address": address}


@pytest.mark.parametrize(
    ("on", "state"),
    [
        (EXPIRY - timedelta(days=1), "current"),
        (EXPIRY, "current"),
        (EXPIRY + timedelta(days=1), "expired"),
    ],
)
def test_an_item_is_current_on_its_valid_until_date_and_expired_the_day_after(on, state):
    version = EvidenceItemFactory(item="insurance_public", valid_until=EXPIRY)
    [answer] = selectors.evidence_readiness(organisation=version.organisation, items=["insurance_public"], on=on)
    assert answer == Readiness(
        item="insurance_public",
        label="Public liability insurance",
        state=state,
        version=version,
        message=(
            "Your public liability insurance expired on 3 March 2027: add the current certificate"
            if state == "expired"
            else "Your public liability insurance is current until 3 March 2027"
        ),
    )


def test_readiness_says_what_is_missing_in_the_order_asked_and_keeps_undated_items_current():
    version = EvidenceItemFactory(item="address", valid_until=None, data={"address_line_1": "1 Park Row"})
    answers = selectors.evidence_readiness(
        organisation=version.organisation,
        items=["safeguarding_children", "address", "accounts", "address"],
        on=date(2099, 1, 1),
    )
    assert [(a.item, a.state) for a in answers] == [
        ("safeguarding_children", "missing"),
        ("address", "current"),
        ("accounts", "missing"),
    ]
    assert answers[0].message == "Add your safeguarding children policy to your evidence"
    assert answers[0].version is None and answers[1].version == version
    assert answers[1].message == "Your registered address is in your evidence"
    with pytest.raises(ValueError):
        selectors.evidence_readiness(organisation=version.organisation, items=["tax_returns"], on=date.today())


def test_readiness_messages_suit_each_kind_of_item():
    organisation = EvidenceItemFactory(item="accounts", valid_until=date(2026, 12, 31)).organisation
    EvidenceItemFactory(organisation=organisation, item="complaints", valid_until=date(2026, 6, 1))
    EvidenceItemFactory(organisation=organisation, item="safer_recruitment", valid_until=date(2026, 6, 1))
    answers = selectors.evidence_readiness(
        organisation=organisation, items=["accounts", "complaints", "safer_recruitment"], on=date(2027, 1, 1)
    )
    assert [a.message for a in answers] == [
        "Your latest annual accounts have been out of date since 31 December 2026: add your latest accounts",
        "Your complaints policy was due for review on 1 June 2026: add the reviewed policy",
        "Your DBS checks and safer recruitment arrangements were due for review on 1 June 2026: "
        "review them and save them again",
    ]
    assert {a.state for a in answers} == {"expired"}


def test_the_overview_tags_items_expiring_within_the_reminder_window(settings):
    settings.EVIDENCE_REMINDER_DAYS = 30
    admin, organisation = keeper()
    today = clock.today()
    EvidenceItemFactory(organisation=organisation, item="insurance_public", valid_until=today + timedelta(days=30))
    EvidenceItemFactory(organisation=organisation, item="insurance_employers", valid_until=today + timedelta(days=31))
    EvidenceItemFactory(organisation=organisation, item="equality", valid_until=today - timedelta(days=1))
    rows = {row.item: row.tag for row in selectors.evidence_overview(user=admin, organisation=organisation, on=today)}
    assert len(rows) == 16
    assert rows["insurance_public"] == "expires_soon"
    assert rows["insurance_employers"] == "current"
    assert rows["equality"] == "expired"
    assert rows["complaints"] == "missing"


def test_history_lists_every_version_newest_first():
    admin, organisation = keeper()
    record(admin, organisation, insurer="A")
    record(admin, organisation, insurer="B", upload=None)
    history = selectors.evidence_history_for(user=admin, organisation=organisation, item="insurance_public")
    assert [(v.version, v.is_current) for v in history] == [(2, True), (1, False)]


@pytest.mark.parametrize("role", [Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER])
def test_the_organisation_s_own_people_see_its_evidence(role):
    version = EvidenceItemFactory()
    person = person_with_role(role, version.organisation)
    assert list(selectors.evidence_for_owner(user=person, organisation=version.organisation)) == [version]
    assert selectors.evidence_item_get_for(user=person, pk=version.pk) == version
    assert selectors.evidence_organisations_for(user=person) == [version.organisation]


def outsiders(organisation):
    council = CommissionerOrgFactory()
    return [
        None,
        person_with_role(Role.PROVIDER_ADMIN),
        person_with_role(Role.COMMISSIONER, council),
        person_with_role(Role.EVALUATOR, council),
        person_with_role(Role.ADMINISTRATOR, council),
        person_with_role(Role.PARTNERSHIP_REVIEWER, council),
        person_with_role(Role.EVALUATOR, organisation),
    ]


def test_nobody_else_sees_an_organisation_s_evidence():
    from django.contrib.auth.models import AnonymousUser

    version = EvidenceItemFactory()
    organisation = version.organisation
    for person in outsiders(organisation):
        user = person or AnonymousUser()
        with pytest.raises(Http404):
            selectors.evidence_for_owner(user=user, organisation=organisation)
        with pytest.raises(Http404):
            selectors.evidence_item_get_for(user=user, pk=version.pk)
        with pytest.raises(Http404):
            selectors.evidence_history_for(user=user, organisation=organisation, item=version.item)
        with pytest.raises(Http404):
            selectors.evidence_overview(user=user, organisation=organisation, on=clock.today())
        assert not selectors.evidence_visible_to(user=user).exists()


def test_people_of_a_suspended_organisation_no_longer_see_its_evidence():
    version = EvidenceItemFactory(organisation=ProviderFactory(status=OrganisationStatus.SUSPENDED))
    admin = person_with_role(Role.PROVIDER_ADMIN, version.organisation)
    with pytest.raises(Http404):
        selectors.evidence_item_get_for(user=admin, pk=version.pk)
    assert selectors.evidence_organisations_for(user=admin) == []


def test_an_unknown_version_is_not_found():
    admin, _ = keeper()
    for pk in (0, 999999, "x"):
        with pytest.raises(Http404):
            selectors.evidence_item_get_for(user=admin, pk=pk)
    assert not EvidenceItem.objects.exists()
