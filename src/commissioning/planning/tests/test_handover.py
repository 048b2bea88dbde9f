"""From plan to opportunity: the plan's details carried over, only once it is approved, and PL-3 from its dates."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.core import clock
from commissioning.opportunities import services as opportunity_services
from commissioning.opportunities.tests.factories import commissioner_at, draft
from commissioning.planning.handover import months_between, opportunity_prefill, opportunity_refusal
from commissioning.planning.models import Plan, PlanStatus
from commissioning.practice.checks import evaluate
from commissioning.records.models import ServiceArea
from commissioning.records.services import record_create

pytestmark = pytest.mark.django_db

HAREHILLS = "E05011398"


def _planned(commissioner, *, status=PlanStatus.APPROVED, funding_type="grant", value=Decimal(60_000)):
    body = commissioner.memberships.get(role=Role.COMMISSIONER).organisation
    start = clock.today() + timedelta(days=200)
    record = record_create(
        actor=commissioner,
        lead_body=body,
        data={
            "title": "Young carers breaks",
            "summary": "Breaks for young carers in west Leeds",
            "expected_start": start,
            "expected_end": start + timedelta(days=729),
            "estimated_value": value,
        },
        ward_codes=[HAREHILLS],
    )
    Plan.objects.create(
        record=record,
        service_area=ServiceArea.objects.get(slug="carers-support"),
        funding_type=funding_type,
        expected_advert=clock.today() + timedelta(days=30),
        status=status,
        contact_name="A Commissioner",
        contact_email="commissioner@leeds-council.example",
    )
    return record


def test_an_approved_plan_hands_its_details_to_the_opportunity():
    record = _planned(commissioner_at())
    filled = opportunity_prefill(record)
    assert filled == {
        "title": "Young carers breaks",
        "summary": "Breaks for young carers in west Leeds",
        "service_area": ServiceArea.objects.get(slug="carers-support"),
        "city_wide": False,
        "wards": [HAREHILLS],
        "kind": "grant",
        "total_value": Decimal(60_000),
        "service_start": record.expected_start,
        "duration_months": 24,
    }


def test_a_plan_open_to_either_kind_leaves_the_kind_to_the_commissioner_and_a_record_without_a_plan_hands_nothing():
    commissioner = commissioner_at()
    assert "kind" not in opportunity_prefill(_planned(commissioner, funding_type="either"))
    assert opportunity_prefill(draft(commissioner).record) == {}


@pytest.mark.parametrize(
    "status, allowed, says",
    [
        (PlanStatus.IDEA, False, "The plan is idea: approve it before starting its opportunity"),
        (PlanStatus.PLANNED, False, "approve it before starting its opportunity"),
        (PlanStatus.APPROVED, True, ""),
        (PlanStatus.ADVERTISED, True, ""),
        (PlanStatus.WITHDRAWN, False, "The plan was withdrawn"),
        (PlanStatus.AWARDED, False, "The plan has been awarded"),
    ],
)
def test_only_an_approved_or_advertised_plan_starts_an_opportunity(status, allowed, says):
    commissioner = commissioner_at()
    record = _planned(commissioner, status=status)
    assert says in opportunity_refusal(record) and bool(opportunity_refusal(record)) is not allowed
    body = commissioner.memberships.get(role=Role.COMMISSIONER).organisation
    data = {
        "kind": "grant",
        "title": "Young carers breaks",
        "summary": "s",
        "service_area": ServiceArea.objects.get(slug="carers-support"),
        "total_value": Decimal(60_000),
        "duration_months": 24,
    }
    if allowed:
        opportunity = opportunity_services.opportunity_create(
            actor=commissioner, lead_commissioner=body, data=data, ward_codes=[HAREHILLS], record=record
        )
        assert opportunity.record == record
    else:
        with pytest.raises(opportunity_services.OpportunityError) as refused:
            opportunity_services.opportunity_create(
                actor=commissioner, lead_commissioner=body, data=data, ward_codes=[HAREHILLS], record=record
            )
        assert says in refused.value.errors["record"][0]
        assert not record.opportunities.exists()


def test_the_new_opportunity_page_is_filled_from_the_plan(client):
    commissioner = commissioner_at()
    record = _planned(commissioner)
    client.force_login(commissioner)
    page = html.unescape(client.get(f"/commissioning/opportunities/new/?record={record.reference}").content.decode())
    assert 'value="Young carers breaks"' in page
    assert re.search(r'name="total_value"[^>]*value="60,?000', page) or re.search(
        r'value="60,?000[^"]*"[^>]*name="total_value"', page
    )
    assert f'value="{HAREHILLS}" checked' in page
    # another body's record is not offered, so nothing of it is filled in
    client.force_login(commissioner_at())
    page = client.get(f"/commissioning/opportunities/new/?record={record.reference}").content.decode()
    assert "Young carers breaks" not in page


def test_without_its_own_start_an_opportunity_is_held_to_the_start_its_plan_expects():
    commissioner = commissioner_at()
    opportunity = draft(commissioner, service_start=None)
    record = opportunity.record
    record.expected_start = opportunity.expected_award + timedelta(days=3)
    record.save()
    opportunity.refresh_from_db()
    gate = evaluate(opportunity, "opportunity_publish")
    pl3 = next(s for s in gate.items if s.rule.code == "PL-3")
    assert pl3.outcome == "not_met" and "from award to the start the plan expects" in pl3.detail
    record.expected_start = opportunity.expected_award - timedelta(days=1)
    record.save()
    opportunity.refresh_from_db()
    pl3 = next(s for s in evaluate(opportunity, "opportunity_publish").items if s.rule.code == "PL-3")
    assert "is after the start the plan expects" in pl3.detail


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)), st.integers(min_value=0, max_value=4000))
def test_months_between_counts_part_months_and_is_at_least_one(start, days):
    end = start + timedelta(days=days)
    months = months_between(start, end)
    assert months >= 1
    assert months_between(start, end + timedelta(days=40)) >= months


def test_pl3_is_judged_from_the_plans_own_dates_when_it_is_approved():
    from commissioning.planning.checks_timing import plan_lead_times
    from commissioning.practice.checks import registered_check, rule_settings

    assert registered_check("PL-3", "planning.plan") is plan_lead_times
    settings = rule_settings("PL-3")
    plan = _planned(commissioner_at()).plan
    judged = plan_lead_times(plan, settings)
    assert judged.met and "to bid and" in judged.detail and "to mobilise" in judged.detail

    plan.record.expected_start = plan.expected_advert + timedelta(days=14)
    judged = plan_lead_times(plan, settings)
    assert not judged.met and judged.judged and "are expected" in judged.detail

    plan.record.expected_start = plan.expected_advert
    assert "must be after the advert" in plan_lead_times(plan, settings).detail
    plan.record.expected_start = None
    assert plan_lead_times(plan, settings).judged is False
    plan.record.expected_start = plan.expected_advert + timedelta(days=300)
    plan.record.estimated_value = None
    assert "Set the expected value" in plan_lead_times(plan, settings).detail
