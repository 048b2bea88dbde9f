"""Publishing through the Code's gate, and the workflow that surrounds it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.audit.transitions import TransitionError
from commissioning.core import clock
from commissioning.opportunities import services
from commissioning.opportunities.models import AlertSubscription, ServiceArea, Status
from commissioning.opportunities.workflow import OPPORTUNITY_WORKFLOW, publication_problems
from commissioning.practice.models import RuleOutcome
from commissioning.practice.services import RuleGateClosed

from .factories import commissioner_at, draft, explain, published

pytestmark = pytest.mark.django_db


def test_a_complete_draft_publishes_and_records_each_rule_outcome():
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    result = services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    assert result.status == Status.PUBLISHED and result.published_at is not None
    assert result.is_open and result.display_status == "open"
    outcomes = {o.rule.code: o.outcome for o in RuleOutcome.objects.filter(superseded_at__isnull=True)}
    assert outcomes == {
        code: "met" for code in ["PL-2", "PL-3", "PR-2", "PR-3", "PR-4", "PR-5", "PR-6", "PR-7", "PR-11"]
    }
    assert AuditEvent.objects.filter(verb="opportunity.publish").exists()


def test_the_reference_is_numbered_by_year():
    first, second = draft(), draft()
    year = clock.today().year
    assert first.reference == f"LCH-{year}-0001" and second.reference == f"LCH-{year}-0002"


def test_quality_below_60_percent_blocks_publishing_until_explained():
    commissioner = commissioner_at()
    opportunity = draft(
        commissioner,
        price_weight=Decimal(50),
        questions=[
            {"kind": "quality", "text": "Approach", "word_limit": 500, "weight": Decimal(40)},
            {"kind": "social_value", "text": "Social value", "word_limit": 300, "weight": Decimal(10)},
        ],
    )
    with pytest.raises(RuleGateClosed) as closed:
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    assert "PR-5" in str(closed.value)
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT
    assert not RuleOutcome.objects.filter(outcome="met").exists()

    explain(commissioner, opportunity, "PR-5", reason="Price is set by national tariff; quality is tested at interview")
    services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    pr5 = RuleOutcome.objects.get(rule__code="PR-5", superseded_at__isnull=True)
    assert pr5.outcome == "explained" and pr5.step == "opportunity_publish"


@pytest.mark.parametrize(
    ("overrides", "rule"),
    [
        ({"social_value_ambitions_referenced": False}, "PR-4"),
        ({"compact_clause_in_terms": False}, "PR-11"),
        ({"value": Decimal(600_000), "lots": 1}, "PR-3"),
    ],
)
def test_each_publishing_rule_blocks_when_not_met(overrides, rule):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, **overrides)
    with pytest.raises(RuleGateClosed, match=rule):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)


def test_a_short_lead_time_needs_an_explanation():
    commissioner = commissioner_at()
    soon = clock.now() + timedelta(days=8)
    opportunity = draft(
        commissioner,
        submission_deadline=soon,
        question_deadline=soon - timedelta(days=3),
        expected_award=(soon + timedelta(days=30)).date(),
        service_start=(soon + timedelta(days=90)).date(),
    )
    with pytest.raises(RuleGateClosed, match="PL-3"):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)


def test_no_engagement_event_before_the_deadline_blocks():
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    opportunity.events.all().delete()
    with pytest.raises(RuleGateClosed, match="PR-2"):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)


def test_too_many_questions_for_the_value_band_blocks():
    commissioner = commissioner_at()
    many = [{"kind": "quality", "text": f"Question {n}", "word_limit": 200, "weight": Decimal(6)} for n in range(10)]
    many.append({"kind": "social_value", "text": "Social value", "word_limit": 200, "weight": Decimal(10)})
    opportunity = draft(commissioner, value=Decimal(20_000), lots=1, questions=many)
    with pytest.raises(RuleGateClosed, match="PR-7"):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"submission_deadline": clock.now() - timedelta(days=1)}, "must be in the future"),
        ({"price_weight": Decimal(20)}, "must add up to 100%"),
        ({"find_a_tender_reference": "", "regime": "light_touch"}, "Find a Tender notice reference"),
    ],
)
def test_incomplete_drafts_are_refused_with_the_reason(change, message):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    services.opportunity_update(actor=commissioner, opportunity=opportunity, data=change, ward_codes=["E05011398"])
    opportunity.refresh_from_db()
    with pytest.raises(TransitionError, match=message):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT


def test_question_deadline_after_the_submission_deadline_is_refused():
    opportunity = draft()
    opportunity.question_deadline = opportunity.submission_deadline + timedelta(hours=1)
    assert "The deadline for questions must be before the submission deadline" in publication_problems(opportunity)


def test_a_floor_price_above_the_lot_value_and_a_priced_fixed_lot_are_refused():
    commissioner = commissioner_at()
    opportunity = draft(commissioner, lots=1)
    lot = opportunity.lots.get()
    services.lot_save(
        actor=commissioner, opportunity=opportunity, lot=lot, ward_codes=[], data={"floor_price": lot.value + 1}
    )
    assert any("minimum acceptable price cannot be more" in p for p in publication_problems(opportunity))
    services.lot_save(
        actor=commissioner,
        opportunity=opportunity,
        lot=lot,
        ward_codes=[],
        data={"pricing": "fixed", "fixed_price": lot.value},
    )
    assert any("fixed price, so price cannot carry a weight" in p for p in publication_problems(opportunity))


def test_a_commissioner_of_another_body_cannot_edit_or_publish():
    opportunity = draft()
    outsider = commissioner_at()
    with pytest.raises(PermissionDenied):
        services.opportunity_update(actor=outsider, opportunity=opportunity, data={"title": "Mine now"}, ward_codes=[])
    with pytest.raises(TransitionError, match="Only a commissioner"):
        services.opportunity_publish(actor=outsider, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.title != "Mine now" and opportunity.status == Status.DRAFT


def test_a_joint_commissioner_can_publish():
    lead = commissioner_at()
    partner = commissioner_at()
    partner_body = partner.memberships.get().organisation
    opportunity = draft(lead)
    opportunity.joint_commissioners.add(partner_body)
    result = services.opportunity_publish(actor=partner, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Status.PUBLISHED and opportunity.published_at is not None
    assert result.lead_commissioner != partner_body  # published for the lead body, by the joint one
    event = AuditEvent.objects.get(verb="opportunity.publish")
    assert event.actor == partner and event.object_id == str(opportunity.pk)


def test_a_published_opportunity_is_not_edited_silently():
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    with pytest.raises(services.OpportunityError, match="only through an amendment"):
        services.opportunity_update(actor=commissioner, opportunity=opportunity, data={"title": "New"}, ward_codes=[])
    with pytest.raises(services.OpportunityError, match="only through an amendment"):
        services.question_save(
            actor=commissioner, opportunity=opportunity, data={"text": "Extra", "word_limit": 1, "weight": 1}
        )


def test_a_material_amendment_close_to_the_deadline_must_move_it(django_capture_on_commit_callbacks):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    near = clock.now() + timedelta(days=3)
    opportunity.__class__.objects.filter(pk=opportunity.pk).update(
        submission_deadline=near, question_deadline=near - timedelta(days=1)
    )
    opportunity.refresh_from_db()
    with pytest.raises(services.OpportunityError, match="move the deadline"):
        services.opportunity_amend(
            actor=commissioner,
            opportunity=opportunity,
            changes={"description": "New scope"},
            summary="The scope now includes carers",
            material=True,
        )
    later = clock.now() + timedelta(days=21)
    amendment = services.opportunity_amend(
        actor=commissioner,
        opportunity=opportunity,
        changes={"description": "New scope", "submission_deadline": later},
        summary="The scope now includes carers; the deadline moves",
        material=True,
    )
    assert amendment.number == 1 and amendment.new_deadline == later
    opportunity.refresh_from_db()
    assert opportunity.submission_deadline == later


def test_amending_refuses_fields_that_cannot_change():
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    with pytest.raises(services.OpportunityError, match="cannot be amended"):
        services.opportunity_amend(
            actor=commissioner, opportunity=opportunity, changes={"total_value": 1}, summary="x", material=False
        )


def test_withdrawing_needs_a_reason_and_cancelling_is_for_drafts():
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    with pytest.raises(TransitionError, match="Give a reason"):
        services.opportunity_withdraw(actor=commissioner, opportunity=opportunity, reason="")
    services.opportunity_withdraw(actor=commissioner, opportunity=opportunity, reason="Funding was not confirmed")
    with pytest.raises(TransitionError):
        services.opportunity_cancel(actor=commissioner, opportunity=opportunity, reason="x")


def test_alerts_go_to_subscribers_of_the_area_or_ward(django_capture_on_commit_callbacks):
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    by_area = person_with_role(Role.PROVIDER_MEMBER)
    AlertSubscription.objects.create(user=by_area).service_areas.add(opportunity.service_area)
    by_ward = person_with_role(Role.PROVIDER_MEMBER)
    AlertSubscription.objects.create(user=by_ward).wards.add(opportunity.wards.first())
    elsewhere = person_with_role(Role.PROVIDER_MEMBER)
    AlertSubscription.objects.create(user=elsewhere).service_areas.add(
        ServiceArea.objects.get(slug="community-transport")
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([by_area.email, by_ward.email])


def test_the_regime_is_suggested_from_value_and_service():
    light = draft(value=Decimal(700_000), regime="")
    assert light.regime == "light_touch"
    below = draft(value=Decimal(50_000), regime="")
    assert below.regime == "below_threshold"
    grant = draft(kind="grant", regime="")
    assert grant.regime == "grant"


ACTIONS = ["publish", "cancel", "withdraw"]


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(sequence=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=4))
def test_no_sequence_of_actions_reaches_a_state_the_table_forbids(sequence):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, lots=1)
    actions = {
        "publish": lambda o: services.opportunity_publish(actor=commissioner, opportunity=o),
        "cancel": lambda o: services.opportunity_cancel(actor=commissioner, opportunity=o, reason="r"),
        "withdraw": lambda o: services.opportunity_withdraw(actor=commissioner, opportunity=o, reason="r"),
    }
    for action in sequence:
        before = opportunity.status
        allowed = before in OPPORTUNITY_WORKFLOW.get(action).sources
        try:
            actions[action](opportunity)
        except TransitionError:
            assert not allowed
        opportunity.refresh_from_db()
        if allowed:
            assert opportunity.status == OPPORTUNITY_WORKFLOW.get(action).target
        else:
            assert opportunity.status == before


def test_nhs_health_care_follows_the_provider_selection_regime():
    from commissioning.accounts.tests.factories import CommissionerOrgFactory

    icb = CommissionerOrgFactory(legal_form="nhs_body")
    assert draft(commissioner_at(icb), value=Decimal(700_000), regime="").regime == "psr"


@pytest.mark.parametrize(
    ("value", "light", "expected"),
    [
        (Decimal("663539.99"), True, "below_threshold"),
        (Decimal("663540"), True, "light_touch"),
        (Decimal("207719.99"), False, "below_threshold"),
        (Decimal("207720"), False, "competitive"),
    ],
)
def test_regime_thresholds_are_inclusive(value, light, expected):
    from commissioning.opportunities.rules import suggest_regime

    thresholds = {"light_touch": Decimal("663540"), "goods_services_sub_central": Decimal("207720")}
    assert (
        suggest_regime(
            kind="tender",
            value_incl_vat=value,
            light_touch=light,
            nhs_health_care=False,
            nhs_commissioner=False,
            thresholds=thresholds,
        )
        == expected
    )


def test_an_amendment_cannot_put_the_deadline_after_the_award():
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    far = opportunity.submission_deadline + timedelta(days=120)
    with pytest.raises(services.OpportunityError, match="expected award date must be after"):
        services.opportunity_amend(
            actor=commissioner,
            opportunity=opportunity,
            changes={"submission_deadline": far},
            summary="Longer to bid",
            material=False,
        )
