"""The record's page and list: its facts, each registered stage's section, and the seal kept."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.evaluation.tests.awarded import awarded_tender
from commissioning.opportunities.models import Opportunity
from commissioning.opportunities.record import opportunities
from commissioning.opportunities.tests.factories import draft
from commissioning.records.sections import Part, Row, Section, record_section, registered, unregister
from commissioning.submissions import services as submission_services
from commissioning.submissions.tests.factories import bidder, complete, submit, tender

from .factories import record_for

pytestmark = pytest.mark.django_db


def _page(client, user, record):
    client.force_login(user)
    return client.get(reverse("records:detail", args=[record.reference]))


def test_the_page_shows_the_records_facts(client, commissioner):
    record = record_for(commissioner)
    page = _page(client, commissioner, record).content.decode()
    assert "Home care in north-east Leeds" in page and record.reference in page
    assert "Older people; adults with physical disabilities" in page
    assert "£1,200,000" in page and "1 April 2027" in page and "31 March 2030" in page


def test_a_record_with_no_opportunity_says_what_comes_next(client, commissioner):
    record = record_for(commissioner)
    page = _page(client, commissioner, record).content.decode()
    assert "No tender or grant round has been started in this record yet" in page
    assert f"{reverse('opportunities:create')}?record={record.reference}" in page


def test_the_page_shows_each_opportunity_of_the_record_with_its_manage_link(client, commissioner):
    opportunity = draft(commissioner)
    page = _page(client, commissioner, opportunity.record).content.decode()
    assert f"{opportunity.reference}: {opportunity.title}" in page
    assert reverse("opportunities:manage", args=[opportunity.reference]) in page
    assert "Lot 1: Lot 1; Lot 2: Lot 2" in page
    assert "Draft" in page


def test_other_people_get_404_and_the_signed_out_are_asked_to_sign_in(client, commissioner):
    record = record_for(commissioner)
    url = reverse("records:detail", args=[record.reference])
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:sign-in") in response["Location"]
    other = person_with_role(Role.COMMISSIONER, CommissionerOrgFactory())
    assert _page(client, other, record).status_code == 404
    assert _page(client, person_with_role(Role.PROVIDER_ADMIN), record).status_code == 404


def test_the_list_is_paged_and_holds_only_the_bodys_records(client, commissioner, settings):
    settings.DASHBOARD_PAGE_SIZE = 2
    for n in range(3):
        record_for(commissioner, title=f"Record {n}")
    record_for(person_with_role(Role.COMMISSIONER, CommissionerOrgFactory()), title="Someone else's")
    client.force_login(commissioner)
    first = client.get(reverse("records:list")).content.decode()
    assert "3 records, showing 1 to 2" in first and "Record 2" in first and "Record 0" not in first
    second = client.get(reverse("records:list"), {"page": 2}).content.decode()
    assert "Record 0" in second and "Someone else" not in first + second


def test_the_list_is_not_found_for_people_who_do_not_commission(client):
    client.force_login(person_with_role(Role.PROVIDER_ADMIN))
    assert client.get(reverse("records:list")).status_code == 404


def test_the_list_makes_the_same_few_queries_whatever_its_length(client, commissioner, django_assert_max_num_queries):
    for n in range(5):
        record_for(commissioner, title=f"Record {n}")
    client.force_login(commissioner)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("records:list")).status_code == 200


def test_a_section_registered_by_a_stage_appears_on_the_page_in_the_stages_order(client, commissioner):
    @record_section(stage="needs", order=5)
    def needs_assessment(record, user):
        return Section(
            heading="Needs assessment",
            parts=[Part(heading="Found", rows=[Row("Asked", f"Forty people about {record.reference}")])],
        )

    @record_section(stage="contract_management", order=1)
    def nothing_yet(record, user):
        return None

    try:
        names = [r.name for r in registered()]
        assert names.index(f"{__name__}.{needs_assessment.__qualname__}") == 0
        record = record_for(commissioner)
        page = _page(client, commissioner, record).content.decode()
        assert page.index("Needs assessment") < page.index("Commissioning and procurement")
        assert f"Forty people about {record.reference}" in page
        assert "Contract management" not in page
    finally:
        unregister(needs_assessment)
        unregister(nothing_yet)
    assert f"{__name__}.{needs_assessment.__qualname__}" not in [r.name for r in registered()]


def test_a_section_for_an_unknown_stage_is_refused():
    with pytest.raises(ValueError, match="Unknown stage"):
        record_section(stage="procurment")


def test_the_opportunities_submissions_and_evaluation_sections_are_registered():
    # The stages before procurement come first, in the cycle's order: needs assessment, then planning
    # (the plan, then its options appraisal).
    names = [r.name for r in registered()]
    assert names[:6] == [
        "commissioning.needs.record.coproduction",
        "commissioning.planning.record.plan",
        "commissioning.planning.record_appraisal.options_appraisal",
        "commissioning.opportunities.record.opportunities",
        "commissioning.submissions.record.submissions",
        "commissioning.evaluation.record.evaluation",
    ]


def _submitted_tender(commissioner):
    opportunity = tender(commissioner)
    person, organisation = bidder()
    submit(person, complete(opportunity, person, organisation))
    return opportunity


def test_before_the_deadline_the_page_tells_nothing_of_the_bids(client, commissioner):
    opportunity = _submitted_tender(commissioner)
    page = _page(client, commissioner, opportunity.record).content.decode()
    assert "Submissions are sealed until" in page
    assert "Bids received" not in page and "1 bid" not in page


def test_after_the_deadline_the_count_waits_for_the_opening(client, commissioner):
    opportunity = _submitted_tender(commissioner)
    with time_machine.travel(opportunity.submission_deadline + timedelta(hours=1)):
        page = _page(client, commissioner, opportunity.record).content.decode()
        assert "ready to be opened" in page and "Bids received" not in page and "1 bid" not in page
        submission_services.submissions_open(actor=commissioner, opportunity=opportunity)
        page = _page(client, commissioner, opportunity.record).content.decode()
        assert "Bids received" in page and "1 bid" in page


def test_an_administrator_sees_when_bids_open_but_never_a_count(client, commissioner, administrator):
    opportunity = _submitted_tender(commissioner)
    with time_machine.travel(opportunity.submission_deadline + timedelta(hours=1)):
        submission_services.submissions_open(actor=commissioner, opportunity=opportunity)
        page = _page(client, administrator, opportunity.record).content.decode()
    assert "The deadline passed at" in page and "Bids received" not in page


def test_after_the_award_the_page_shows_the_award_per_lot_and_the_standstill(client):
    opened, evaluation = awarded_tender()
    page = _page(client, opened.commissioner, opened.opportunity.record).content.decode()
    winner = opened.bidders[0][1].name
    assert "Evaluation and award" in page and "Awarded" in page
    assert f"{winner}, £30,000" in page
    assert "Standstill" in page
    assert "Letters and lessons learned" in page


def test_the_opportunities_part_reads_the_same_queries_for_one_round_or_three(commissioner):
    first = draft(commissioner)
    record = first.record

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            section = opportunities(record, commissioner)
        return len(captured), len(section.parts)

    one = queries()
    again = [draft(commissioner), draft(commissioner)]
    Opportunity.objects.filter(pk__in=[o.pk for o in again]).update(record=record)  # rounds run again in it
    three = queries()
    assert (one[1], three[1]) == (1, 3)
    assert three[0] == one[0]
