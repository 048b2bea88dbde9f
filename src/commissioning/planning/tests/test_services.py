"""The planning services: plans with their records, publishing, overlaps, partners and approval."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import LegalForm, Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, VerifiedProviderFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.audit.transitions import TransitionError
from commissioning.planning import events, services
from commissioning.planning.models import Overlap, PlanStatus
from commissioning.practice.models import Outcome, RuleOutcome
from commissioning.practice.services import RuleGateClosed, explanation_confirm
from commissioning.records.models import CommissioningRecord, ServiceArea

from .factories import ARMLEY, BEESTON, body_of, plan_data, plan_for, third_sector_partners, two_bodies

pytestmark = pytest.mark.django_db


def test_a_commissioner_plans_with_the_record_and_the_plan_made_together(commissioner):
    plan = plan_for(commissioner)
    record = plan.record
    assert record.lead_body == body_of(commissioner) and record.title == "Young carers' support in west Leeds"
    assert [w.code for w in record.wards.all()] == [ARMLEY]
    assert plan.status == PlanStatus.IDEA and plan.published_at is None
    assert AuditEvent.objects.filter(verb="plan.create", object_id=str(plan.pk)).exists()
    assert AuditEvent.objects.filter(verb="record.create", object_id=str(record.pk)).exists()


def test_a_commissioner_cannot_plan_for_another_body(commissioner):
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=commissioner, lead_body=CommissionerOrgFactory(), data=plan_data(), ward_codes=[ARMLEY]
        )
    assert not CommissioningRecord.objects.exists()


def test_a_plan_that_ends_before_it_starts_is_refused_on_the_end_and_nothing_is_saved(commissioner):
    with pytest.raises(services.PlanError) as refused:
        plan_for(commissioner, expected_start=date(2028, 1, 1), expected_end=date(2027, 12, 31))
    assert "expected_end" in refused.value.errors
    assert not CommissioningRecord.objects.exists()


def test_an_unknown_ward_and_missing_facts_are_refused_each_on_its_field(commissioner):
    with pytest.raises(services.PlanError) as refused:
        plan_for(commissioner, ward_codes=["E05999999"], contact_email="not an address", funding_type="loan")
    errors = refused.value.errors
    assert errors["wards"] == ["Unknown ward: E05999999"]
    assert "contact_email" in errors and "funding_type" in errors
    assert not CommissioningRecord.objects.exists()


def test_an_assessment_must_be_a_completed_one_of_the_plans_bodies(commissioner):
    from commissioning.needs.models import Assessment

    other = person_with_role(Role.COMMISSIONER)
    theirs = Assessment.objects.create(
        reference="NA-2026-0001",
        body=body_of(other),
        title="Carers in Leeds",
        service_area=ServiceArea.objects.get(slug="carers-support"),
        question="What do carers need?",
        created_by=other,
    )
    with pytest.raises(services.PlanError) as refused:
        services.plan_create(
            actor=commissioner,
            lead_body=body_of(commissioner),
            data=plan_data(),
            ward_codes=[ARMLEY],
            assessment=theirs,
        )
    assert "assessment" in refused.value.errors


def test_update_changes_the_record_and_the_plan_and_audits_each(commissioner):
    plan = plan_for(commissioner)
    services.plan_update(
        actor=commissioner,
        plan=plan,
        data={"title": "Young carers in Armley", "funding_type": "contract"},
        ward_codes=[ARMLEY, BEESTON],
    )
    plan.refresh_from_db()
    assert plan.record.title == "Young carers in Armley" and plan.funding_type == "contract"
    assert plan.record.wards.count() == 2
    event = AuditEvent.objects.get(verb="plan.update")
    assert event.before == {"funding_type": "grant"} and event.after == {"funding_type": "contract"}


def test_another_body_cannot_change_a_plan(commissioner):
    plan = plan_for(commissioner)
    with pytest.raises(PermissionDenied):
        services.plan_update(actor=person_with_role(Role.COMMISSIONER), plan=plan, data={"title": "Mine now"})


def test_publishing_puts_it_on_the_pipeline_once_and_calls_the_hooks_after_commit(
    commissioner, django_capture_on_commit_callbacks
):
    plan = plan_for(commissioner)
    heard = []
    events.after_plan_published.append(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_publish(actor=commissioner, plan=plan)
        with django_capture_on_commit_callbacks(execute=True):
            services.plan_publish(actor=commissioner, plan=plan)
    finally:
        events.after_plan_published.remove(heard.append)
    assert [p.pk for p in heard] == [plan.pk]
    assert AuditEvent.objects.filter(verb="plan.publish").count() == 1


def test_two_bodies_plans_that_overlap_are_flagged_and_both_bodies_told_once(django_capture_on_commit_callbacks):
    council, icb = two_bodies()
    colleague = person_with_role(Role.COMMISSIONER, body_of(icb))
    mine = plan_for(council, publish=True)
    with django_capture_on_commit_callbacks(execute=True):
        theirs = plan_for(icb, publish=True)
    overlap = Overlap.objects.get()
    assert (overlap.first_id, overlap.second_id) == (mine.pk, theirs.pk)
    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == sorted([council.email, icb.email, colleague.email])
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_update(actor=icb, plan=theirs, data={"summary": "Changed words"})
    assert len(mail.outbox) == 3 and Overlap.objects.count() == 1


def test_a_plan_off_the_pipeline_or_of_the_same_body_overlaps_nothing(commissioner):
    plan_for(commissioner, publish=True)
    plan_for(commissioner, publish=True)
    plan_for(person_with_role(Role.COMMISSIONER), publish=False)
    assert not Overlap.objects.exists()


def test_a_change_that_ends_the_overlap_clears_it_and_keeps_the_row():
    council, icb = two_bodies()
    plan_for(council, publish=True)
    theirs = plan_for(icb, publish=True)
    services.plan_update(actor=icb, plan=theirs, data={}, ward_codes=[BEESTON])
    overlap = Overlap.objects.get()
    assert overlap.cleared_at is not None
    services.plan_update(actor=icb, plan=theirs, data={}, ward_codes=[ARMLEY])
    overlap.refresh_from_db()
    assert overlap.cleared_at is None


def test_withdrawing_clears_its_overlaps():
    council, icb = two_bodies()
    plan_for(council, publish=True)
    theirs = plan_for(icb, publish=True)
    services.plan_withdraw(actor=icb, plan=theirs, reason="Funding moved")
    assert Overlap.objects.get().cleared_at is not None


def test_a_plan_advertised_cannot_be_withdrawn(commissioner):
    plan = plan_for(commissioner, publish=True)
    services.plan_mark_advertised(plan.record)
    plan.refresh_from_db()
    with pytest.raises(TransitionError):
        services.plan_withdraw(actor=commissioner, plan=plan, reason="Changed our minds")


def test_withdrawing_needs_a_reason(commissioner):
    plan = plan_for(commissioner)
    with pytest.raises(services.PlanError) as refused:
        services.plan_withdraw(actor=commissioner, plan=plan, reason="  ")
    assert "reason" in refused.value.errors


def test_resolving_records_how_the_bodies_co_ordinate_and_apart_needs_a_reason():
    council, icb = two_bodies()
    plan_for(council, publish=True)
    plan_for(icb, publish=True)
    overlap = Overlap.objects.get()
    with pytest.raises(services.PlanError) as refused:
        services.overlap_resolve(actor=icb, overlap=overlap, coordination="apart", note="")
    assert "note" in refused.value.errors
    with pytest.raises(PermissionDenied):
        services.overlap_resolve(
            actor=person_with_role(Role.COMMISSIONER), overlap=overlap, coordination="joint", note=""
        )
    resolved = services.overlap_resolve(actor=icb, overlap=overlap, coordination="joint", note="One programme")
    assert resolved.resolved_by == icb and resolved.coordination == "joint"
    # It records what was agreed; neither record gains a joint body.
    assert not CommissioningRecord.joint_bodies.through.objects.exists()


def test_only_third_sector_organisations_are_partners_once_per_stage(commissioner):
    plan = plan_for(commissioner)
    company = VerifiedProviderFactory(legal_form=LegalForm.PRIVATE_COMPANY)
    with pytest.raises(services.PlanError) as refused:
        services.partner_add(actor=commissioner, plan=plan, organisation=company, stage="design", involvement="x")
    assert "organisation" in refused.value.errors
    charity = third_sector_partners(commissioner, plan, stages=["design"])
    with pytest.raises(services.PlanError) as twice:
        services.partner_add(actor=commissioner, plan=plan, organisation=charity, stage="design", involvement="y")
    assert "already a partner" in twice.value.errors["organisation"][0]
    partner = plan.partners.get()
    services.partner_remove(actor=commissioner, partner=partner)
    assert not plan.partners.exists()


def test_approving_is_blocked_by_pl1_and_pl4_then_explained_and_confirmed():
    council, icb = two_bodies()
    head = person_with_role(Role.COMMISSIONER, body_of(council))
    plan_for(icb, publish=True)
    plan = plan_for(council, publish=True)
    with pytest.raises(RuleGateClosed) as closed:
        services.plan_approve(actor=council, plan=plan)
    blocking = {item.rule.code for item in closed.value.gate.blocking}
    assert blocking == {"PL-1", "PL-4"}
    assert "Open overlaps" in closed.value.gate.message and "scoping" in closed.value.gate.message
    third_sector_partners(council, plan, stages=["scoping", "design"])
    explanation = services.plan_rule_explain(
        actor=council, plan=plan, rule_code="PL-4", reason="Evaluation is run by the university", confirmer=head
    )
    explanation_confirm(actor=head, explanation=explanation)
    services.overlap_resolve(actor=council, overlap=Overlap.objects.get(), coordination="aligned", note="")
    approved = services.plan_approve(actor=council, plan=plan)
    assert approved.status == PlanStatus.APPROVED and approved.approved_by == council
    outcomes = {o.rule.code: o.outcome for o in RuleOutcome.objects.filter(step="plan_approve")}
    # PL-3 is judged from the plan's own dates at approval too: its advert is months before its start.
    assert outcomes == {"PL-1": Outcome.MET, "PL-3": Outcome.MET, "PL-4": Outcome.EXPLAINED}


def test_a_plan_off_the_pipeline_cannot_be_approved(commissioner):
    plan = plan_for(commissioner)
    third_sector_partners(commissioner, plan)
    with pytest.raises(TransitionError):
        services.plan_approve(actor=commissioner, plan=plan)


def test_marking_advertised_and_awarded_is_idempotent_and_a_record_without_a_plan_is_left_alone(commissioner):
    from commissioning.records.tests.factories import record_for

    assert services.plan_mark_advertised(record_for(commissioner)) is None
    plan = plan_for(commissioner, publish=True)
    services.plan_mark_advertised(plan.record)
    services.plan_mark_advertised(plan.record)
    services.plan_mark_awarded(plan.record)
    services.plan_mark_awarded(plan.record)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AWARDED
    assert AuditEvent.objects.filter(verb="plan.award").count() == 1
