"""The only write path for plans, their overlaps and their partners.

Each function is atomic, checks who may act and in which state, and writes
its audit event in the same transaction; e-mails and the hooks of
:mod:`.events` run after commit. A plan is made with its commissioning record
in one transaction, so there is never a plan without a record nor a record
left over from a refused plan. Whenever a plan on the pipeline changes (made,
changed, published, withdrawn), its overlaps are worked out again in the same
transaction (:func:`overlaps_refresh`).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q

from commissioning.accounts.models import Organisation, Role, Side
from commissioning.audit.services import audit_record
from commissioning.audit.transitions import TransitionError, transition
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.models import Ward
from commissioning.needs.models import Assessment
from commissioning.practice.catalogue import STEP_PLAN_APPROVE
from commissioning.practice.checks import evaluate
from commissioning.practice.models import Explanation
from commissioning.practice.services import gate_require, rule_explain
from commissioning.records.models import CommissioningRecord, ServiceArea
from commissioning.records.services import RecordError, record_create, record_update

from . import events, notifications
from .models import Coordination, FundingType, Overlap, Partner, PartnerStage, Plan, PlanStatus
from .overlaps import PlanFacts, overlaps_with
from .permissions import is_plan_commissioner
from .workflow import CURRENT, EDITABLE, PLAN_WORKFLOW, PUBLISHABLE

# The record's facts a plan's form sets, and the plan's own.
RECORD_FACTS = (
    "title",
    "summary",
    "client_groups",
    "city_wide",
    "estimated_value",
    "expected_start",
    "expected_end",
)
PLAN_FIELDS = ("service_area", "funding_type", "expected_advert", "contact_name", "contact_email")
NOTE_MAX_LENGTH = 4000
INVOLVEMENT_MAX_LENGTH = 2000
UNCHANGED: Any = object()


class PlanError(RefusedError):
    """A change to a plan, an overlap or a partner that the rules refuse."""


def _plain(value: Any) -> Any:
    if isinstance(value, date | Decimal):
        return str(value)
    return value.pk if hasattr(value, "pk") else value


def _add(errors: dict[str, list[str]], name: str, message: str) -> None:
    errors.setdefault(name, []).append(message)


def _text_problems(facts: dict[str, Any], errors: dict[str, list[str]]) -> None:
    if not str(facts.get("title") or "").strip():
        _add(errors, "title", "Enter a title")
    if not str(facts.get("summary") or "").strip():
        _add(errors, "summary", "Enter what is bought or funded")
    if not str(facts.get("contact_name") or "").strip():
        _add(errors, "contact_name", "Enter the name of the person to contact")
    email = str(facts.get("contact_email") or "").strip()
    if not email:
        _add(errors, "contact_email", "Enter the contact's e-mail address")
    else:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "contact_email", "Enter an e-mail address in the correct format, like name@example.org")


def _choice_problems(facts: dict[str, Any], errors: dict[str, list[str]]) -> None:
    area = facts.get("service_area")
    if not isinstance(area, ServiceArea) or not area.active:
        _add(errors, "service_area", "Choose the outcome area")
    if facts.get("funding_type") not in FundingType.values:
        _add(errors, "funding_type", "Choose grant, contract, or to be decided")


def _date_problems(facts: dict[str, Any], errors: dict[str, list[str]]) -> None:
    advert, start, end = facts.get("expected_advert"), facts.get("expected_start"), facts.get("expected_end")
    if advert is None:
        _add(errors, "expected_advert", "Enter when it is expected to be advertised")
    if start is None:
        _add(errors, "expected_start", "Enter when it is expected to start")
    if end is None:
        _add(errors, "expected_end", "Enter when it is expected to end")
    if start and end and end < start:
        _add(errors, "expected_end", "The expected end must be on or after the expected start")
    if advert and start and start < advert:
        _add(errors, "expected_start", "The expected start must be on or after the expected advert")


def _value_problems(facts: dict[str, Any], errors: dict[str, list[str]]) -> None:
    value = facts.get("estimated_value")
    if value is None:
        _add(errors, "estimated_value", "Enter the expected value")
    elif Decimal(value) < 0:
        _add(errors, "estimated_value", "Enter an expected value of £0 or more")


def plan_problems(facts: dict[str, Any], *, wards: int) -> dict[str, list[str]]:
    """What is wrong with a plan's facts (the record's and the plan's own), by field; empty when nothing.

    ``wards`` is how many wards it covers. Pure: reads only what it is given.
    """
    errors: dict[str, list[str]] = {}
    _text_problems(facts, errors)
    _choice_problems(facts, errors)
    _date_problems(facts, errors)
    _value_problems(facts, errors)
    if not facts.get("city_wide") and not wards:
        _add(errors, "wards", "Choose the wards the plan covers, or say it is city-wide")
    return errors


def _unknown_wards(codes) -> list[str]:
    codes = set(codes or ())
    return sorted(codes - set(Ward.objects.filter(code__in=codes).values_list("code", flat=True)))


def _assessment_problem(assessment: Assessment | None, bodies: set[int]) -> str | None:
    if assessment is None:
        return None
    if assessment.body_id not in bodies:
        return "Choose a needs assessment of this plan's commissioning bodies"
    if not assessment.is_completed:
        return "Choose a completed needs assessment"
    return None


def _refused(errors: dict[str, list[str]]) -> None:
    if errors:
        raise PlanError(errors)


def _record_refused(error: RecordError) -> PlanError:
    return PlanError(error.errors)


def plan_create(
    *,
    actor,
    lead_body: Organisation,
    data: dict[str, Any],
    ward_codes=(),
    joint_bodies: list[Organisation] | None = None,
    assessment: Assessment | None = None,
) -> Plan:
    """A commissioner of ``lead_body`` plans a piece of commissioning: its record and its plan, together.

    Guarantees: the actor commissions for ``lead_body``, a commissioning body
    (``PermissionDenied`` otherwise); every fact is there and coherent (a
    title, a summary, an outcome area, wards or city-wide, an expected value of
    £0 or more, a funding type, an advert date on or before the start, an end on
    or after the start, a contact with an e-mail address), each refusal named
    on its field (:class:`PlanError`) with nothing saved; wards exist; joint
    bodies are commissioning bodies; ``assessment``, when given, is a
    completed needs assessment of one of the plan's bodies. The plan starts as
    an idea, off the pipeline. Audited in the same transaction as the record.
    """
    if lead_body.side != Side.COMMISSIONER or Role.COMMISSIONER not in actor.roles_for(lead_body):
        raise PermissionDenied("You can only plan commissioning for a body you commission for")
    facts = {k: data.get(k) for k in (*RECORD_FACTS, *PLAN_FIELDS)}
    facts["city_wide"] = bool(facts["city_wide"])
    errors = plan_problems(facts, wards=len(set(ward_codes or ())))
    if unknown := _unknown_wards(ward_codes):
        errors["wards"] = [f"Unknown ward: {', '.join(unknown)}"]
    bodies = {lead_body.pk, *(b.pk for b in joint_bodies or [])}
    if problem := _assessment_problem(assessment, bodies):
        _add(errors, "assessment", problem)
    _refused(errors)
    with transaction.atomic():
        try:
            record = record_create(
                actor=actor,
                lead_body=lead_body,
                data={k: facts[k] for k in RECORD_FACTS},
                ward_codes=ward_codes,
                joint_bodies=joint_bodies,
            )
        except RecordError as error:
            raise _record_refused(error) from error
        plan = Plan.objects.create(
            record=record,
            assessment=assessment,
            **{k: facts[k].strip() if isinstance(facts[k], str) else facts[k] for k in PLAN_FIELDS},
        )
        audit_record(
            actor=actor,
            verb="plan.create",
            obj=plan,
            after={k: _plain(getattr(plan, k)) for k in PLAN_FIELDS}
            | {"record": record.reference, "assessment": _plain(assessment)},
        )
    return plan


def _require_commissioner(actor, plan: Plan) -> None:
    if not is_plan_commissioner(actor, plan):
        raise PermissionDenied("Only a commissioner of this plan's commissioning bodies can change it")


def _locked(plan: Plan) -> Plan:
    # Only the plan's row: the joins are read, not locked.
    return Plan.objects.select_for_update(of=("self",)).select_related("record", "service_area").get(pk=plan.pk)


def plan_update(
    *,
    actor,
    plan: Plan,
    data: dict[str, Any],
    ward_codes=None,
    joint_bodies: list[Organisation] | None = None,
    assessment: Any = UNCHANGED,
) -> Plan:
    """Change a plan's facts: only those given (``None`` wards or joint bodies, no assessment: unchanged).

    Guarantees: only the plan's commissioners (``PermissionDenied``); only
    while it is an idea, planned or approved (:class:`PlanError`); the same
    facts hold as on :func:`plan_create`, refusals named on their fields and
    nothing changed; the record changes through ``record_update`` (audited
    there), the plan's own fields are audited here, before and after. A plan
    on the pipeline has its overlaps worked out again in the same transaction.
    """
    _require_commissioner(actor, plan)
    with transaction.atomic():
        locked = _locked(plan)
        if locked.status not in EDITABLE:
            raise PlanError.on("", f"A plan that is {locked.get_status_display().lower()} can no longer be changed")
        record = locked.record
        current = {k: getattr(record, k) for k in RECORD_FACTS} | {k: getattr(locked, k) for k in PLAN_FIELDS}
        changes = {k: v for k, v in data.items() if k in current}
        facts = current | changes
        wards = len(set(ward_codes)) if ward_codes is not None else record.wards.count()
        errors = plan_problems(facts, wards=wards)
        if ward_codes is not None and (unknown := _unknown_wards(ward_codes)):
            errors["wards"] = [f"Unknown ward: {', '.join(unknown)}"]
        bodies = {record.lead_body_id, *(b.pk for b in (joint_bodies if joint_bodies is not None else record.bodies))}
        if assessment is not UNCHANGED and (problem := _assessment_problem(assessment, bodies)):
            _add(errors, "assessment", problem)
        _refused(errors)
        try:
            record_update(
                actor=actor,
                record=record,
                data={k: v for k, v in changes.items() if k in RECORD_FACTS},
                ward_codes=ward_codes,
                joint_bodies=joint_bodies,
            )
        except RecordError as error:
            raise _record_refused(error) from error
        before, after = {}, {}
        own = {k: v for k, v in changes.items() if k in PLAN_FIELDS}
        if assessment is not UNCHANGED:
            own["assessment"] = assessment
        for key, value in own.items():
            value = value.strip() if isinstance(value, str) else value
            if getattr(locked, key) != value:
                before[key], after[key] = _plain(getattr(locked, key)), _plain(value)
                setattr(locked, key, value)
        if after:
            locked.save()
            audit_record(actor=actor, verb="plan.update", obj=locked, before=before, after=after)
        if locked.published_at is not None:
            overlaps_refresh(plan=locked)
    return locked


def plan_publish(*, actor, plan: Plan) -> Plan:
    """Put a plan on the pipeline, where everyone sees it: an idea or a planned piece of commissioning.

    Guarantees: only the plan's commissioners (``PermissionDenied``); only an
    idea or a planned one (:class:`PlanError` otherwise); publishing again
    changes nothing and writes nothing (a double click publishes once). Its
    overlaps with the other plans on the pipeline are worked out in the same
    transaction; after commit both bodies' commissioners hear of each new one
    and every ``events.after_plan_published`` hook is called with the plan.
    """
    _require_commissioner(actor, plan)
    with transaction.atomic():
        locked = _locked(plan)
        if locked.published_at is not None:
            return locked
        if locked.status not in PUBLISHABLE:
            raise PlanError.on(
                "", f"A plan that is {locked.get_status_display().lower()} cannot be put on the pipeline"
            )
        locked.published_at = clock.now()
        locked.save(update_fields=["published_at", "updated_at"])
        audit_record(actor=actor, verb="plan.publish", obj=locked, after={"published_at": locked.published_at})
        overlaps_refresh(plan=locked)
        events.announce_published(locked)
    plan.published_at = locked.published_at
    return locked


def plan_mark_planned(*, actor, plan: Plan) -> Plan:
    """An idea becomes planned: the body means to commission it. Only its commissioners; audited."""
    _require_commissioner(actor, plan)
    return transition(workflow=PLAN_WORKFLOW, obj=plan, name="plan", actor=actor)


def plan_withdraw(*, actor, plan: Plan, reason: str) -> Plan:
    """Withdraw a plan that has not been advertised, with a reason; its overlaps are cleared (kept).

    Guarantees: only its commissioners (``PermissionDenied``); a reason
    (:class:`PlanError` on ``reason``); never once advertised or awarded
    (``TransitionError``: the opportunity is withdrawn instead). Audited.
    """
    _require_commissioner(actor, plan)
    reason = (reason or "").strip()
    if not reason:
        raise PlanError.on("reason", "Enter why the plan is withdrawn")
    with transaction.atomic():
        moved = transition(workflow=PLAN_WORKFLOW, obj=plan, name="withdraw", actor=actor, reason=reason)
        overlaps_refresh(plan=moved)
    return moved


def plan_approve(*, actor, plan: Plan) -> Plan:
    """Approve a plan on the pipeline, through the Code's gate: PL-1 and PL-4 met or explained.

    Guarantees: only its commissioners (``PermissionDenied``); only an idea or
    a planned one that is on the pipeline (``TransitionError``); when a rule
    that guards approval is neither met nor explained (and confirmed),
    ``RuleGateClosed`` names it and nothing is written; otherwise the rules'
    outcomes, the approval (who and when) and its audit event commit together.
    """
    _require_commissioner(actor, plan)
    with transaction.atomic():
        locked = _locked(plan)
        problems = PLAN_WORKFLOW.check(locked, "approve", actor)
        if problems:
            raise TransitionError(problems)
        gate_require(actor=actor, obj=locked, step=STEP_PLAN_APPROVE)
        moved = transition(
            workflow=PLAN_WORKFLOW,
            obj=locked,
            name="approve",
            actor=actor,
            changes={"approved_at": clock.now(), "approved_by": actor},
        )
    plan.status = moved.status
    return moved


def _body_for(actor, plan: Plan) -> Organisation:
    mine = {m.organisation_id for m in actor.active_memberships if m.role == Role.COMMISSIONER}
    return next(body for body in plan.record.bodies if body.pk in mine)


def plan_rule_explain(*, actor, plan: Plan, rule_code: str, reason: str, confirmer) -> Explanation:
    """A commissioner explains why PL-1 or PL-4 does not apply to a plan, for a colleague to confirm.

    Guarantees: only its commissioners (``PermissionDenied``) and only before
    it is approved (:class:`PlanError`); only a rule that guards approving and
    is not met (:class:`PlanError` on ``rule``); given for the body the
    commissioner commissions it at (the lead body first), pending until the
    confirmer confirms it. The rest is ``practice.services.rule_explain``'s.
    """
    _require_commissioner(actor, plan)
    if plan.status not in (PlanStatus.IDEA, PlanStatus.PLANNED):
        raise PlanError.on("", "Rules are explained before a plan is approved")
    code = str(rule_code or "").strip().upper()
    status = next((item for item in evaluate(plan, STEP_PLAN_APPROVE).items if item.rule.code == code), None)
    if status is None:
        raise PlanError.on("rule", "Choose a rule of the Code that applies to approving a plan")
    if status.is_met:
        raise PlanError.on("rule", f"{status.rule.code} is met: there is nothing to explain")
    return rule_explain(
        actor=actor,
        rule_code=status.rule.code,
        obj=plan,
        body=_body_for(actor, plan),
        reason=reason,
        confirmer=confirmer,
        step=STEP_PLAN_APPROVE,
    )


def plan_mark_advertised(record: CommissioningRecord, *, actor=None) -> Plan | None:
    """The record's opportunity is published: its plan, if it has one, is advertised.

    Idempotent: a plan already advertised or awarded, or withdrawn, is left as
    it is, and a record without a plan is a no-op (None). Audited as the
    system's move unless ``actor`` is given.
    """
    plan = Plan.objects.filter(record=record).first()
    if plan is None or plan.status in (PlanStatus.ADVERTISED, PlanStatus.AWARDED, PlanStatus.WITHDRAWN):
        return plan
    return transition(workflow=PLAN_WORKFLOW, obj=plan, name="advertise", actor=actor)


def plan_mark_awarded(record: CommissioningRecord, *, actor=None) -> Plan | None:
    """The record's opportunity is awarded: its plan, if it has one, is awarded (advertised first if need be).

    Idempotent as :func:`plan_mark_advertised`: an awarded or withdrawn plan,
    or a record without a plan, is left as it is.
    """
    with transaction.atomic():
        plan = plan_mark_advertised(record, actor=actor)
        if plan is None or plan.status != PlanStatus.ADVERTISED:
            return plan
        return transition(workflow=PLAN_WORKFLOW, obj=plan, name="award", actor=actor)


# ---------------------------------------------------------------------------
# Overlaps (PL-1)


def facts_of(plans) -> dict[int, PlanFacts]:
    """Each plan of the queryset ``plans`` as overlap facts, by key, in three queries and no model rows.

    A plan without both an expected start and end cannot be placed in time, so it overlaps nothing and is
    left out.
    """
    rows = list(
        plans.order_by().values_list(
            "pk",
            "service_area_id",
            "record_id",
            "record__expected_start",
            "record__expected_end",
            "record__lead_body_id",
            "record__city_wide",
        )
    )
    records = plans.order_by().values("record_id")
    wards: dict[int, set[int]] = {}
    for record_id, ward_id in CommissioningRecord.wards.through.objects.filter(
        commissioningrecord_id__in=records
    ).values_list("commissioningrecord_id", "ward_id"):
        wards.setdefault(record_id, set()).add(ward_id)
    joint: dict[int, set[int]] = {}
    for record_id, body_id in CommissioningRecord.joint_bodies.through.objects.filter(
        commissioningrecord_id__in=records
    ).values_list("commissioningrecord_id", "organisation_id"):
        joint.setdefault(record_id, set()).add(body_id)
    return {
        pk: PlanFacts(
            key=pk,
            outcome_area=area,
            start=start,
            end=end,
            lead_body=lead,
            wards=frozenset(wards.get(record_id, ())),
            city_wide=city_wide,
            joint_bodies=frozenset(joint.get(record_id, ())),
        )
        for pk, area, record_id, start, end, lead, city_wide in rows
        if start is not None and end is not None
    }


def on_the_pipeline():
    """The plans that take part in overlaps: on the pipeline and not withdrawn."""
    return Plan.objects.filter(published_at__isnull=False, status__in=CURRENT)


def _should_overlap(plan: Plan) -> set[int]:
    mine = facts_of(on_the_pipeline().filter(pk=plan.pk)).get(plan.pk)
    if mine is None:
        return set()
    candidates = (
        on_the_pipeline()
        .filter(service_area_id=mine.outcome_area)
        .filter(record__expected_start__lte=mine.end, record__expected_end__gte=mine.start)
        .exclude(pk=plan.pk)
    )
    return overlaps_with(mine, facts_of(candidates).values())


def overlaps_refresh(*, plan: Plan) -> list[Overlap]:
    """Bring the plan's overlaps up to date with the pipeline; return the ones newly found.

    Guarantees: an overlap row exists (once per pair, lower key first) for each
    plan on the pipeline that this plan overlaps (both on it, neither
    withdrawn, see :func:`.overlaps.plans_overlap`); one that no longer holds
    is cleared (``cleared_at`` set, the row and any resolution kept); one that
    holds again is opened again, keeping its resolution. Each newly found
    overlap is audited and, after commit, e-mailed once to both bodies'
    commissioners. Call it inside the service's transaction.
    """
    now = clock.now()
    should = _should_overlap(plan)
    found: list[Overlap] = []
    with transaction.atomic():
        existing = {
            (o.second_id if o.first_id == plan.pk else o.first_id): o
            for o in Overlap.objects.select_for_update().filter(Q(first_id=plan.pk) | Q(second_id=plan.pk))
        }
        for other, overlap in existing.items():
            if other in should and overlap.cleared_at is not None:
                overlap.cleared_at = None
                overlap.save(update_fields=["cleared_at"])
                audit_record(actor=None, verb="overlap.reopen", obj=overlap)
            elif other not in should and overlap.cleared_at is None:
                overlap.cleared_at = now
                overlap.save(update_fields=["cleared_at"])
                audit_record(actor=None, verb="overlap.clear", obj=overlap, after={"cleared_at": now})
        for other in sorted(should - set(existing)):
            first, second = sorted((plan.pk, other))
            overlap = Overlap.objects.create(first_id=first, second_id=second, found_at=now)
            audit_record(actor=None, verb="overlap.found", obj=overlap, after={"first": first, "second": second})
            found.append(overlap)
        for overlap in found:
            notifications.overlap_found(
                Overlap.objects.select_related(
                    "first__record__lead_body", "second__record__lead_body", "first__service_area"
                ).get(pk=overlap.pk)
            )
    return found


def overlap_resolve(*, actor, overlap: Overlap, coordination: str, note: str) -> Overlap:
    """A commissioner of either plan records how the two bodies co-ordinate: jointly, aligned, or apart.

    Guarantees: only a commissioner of either plan's bodies
    (``PermissionDenied``); a way of co-ordinating from the list, and a reason
    when they are kept apart (:class:`PlanError` on the field); only an
    overlap that still holds (not cleared). Recording it again replaces the
    earlier answer. This records what the bodies agreed: it does not make
    either body a joint body of the other's record. Audited, before and after.
    """
    if not (is_plan_commissioner(actor, overlap.first) or is_plan_commissioner(actor, overlap.second)):
        raise PermissionDenied("Only a commissioner of one of the two plans can record how they co-ordinate")
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if coordination not in Coordination.values:
        _add(errors, "coordination", "Choose how you will co-ordinate")
    if coordination == Coordination.APART and not note:
        _add(errors, "note", "Say why the plans are kept apart")
    if len(note) > NOTE_MAX_LENGTH:
        _add(errors, "note", f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer")
    _refused(errors)
    with transaction.atomic():
        locked = Overlap.objects.select_for_update().get(pk=overlap.pk)
        if locked.cleared_at is not None:
            raise PlanError.on("", "These plans no longer overlap: there is nothing to co-ordinate")
        before = {"coordination": locked.coordination, "note": locked.note}
        locked.coordination, locked.note = coordination, note
        locked.resolved_by, locked.resolved_at = actor, clock.now()
        locked.save(update_fields=["coordination", "note", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            verb="overlap.resolve",
            obj=locked,
            before=before,
            after={"coordination": coordination, "note": note},
        )
    return locked


# ---------------------------------------------------------------------------
# Partners (PL-4)


def partner_add(*, actor, plan: Plan, organisation: Organisation | None, stage: str, involvement: str) -> Partner:
    """Name a third-sector organisation as a partner on one stage of a plan: scoping, design or evaluation.

    Guarantees: only the plan's commissioners (``PermissionDenied``); not on a
    withdrawn plan; the organisation is third sector (a charity, community
    group, social enterprise and the like), the stage is one of the three, and
    what they do is said, each refusal on its field (:class:`PlanError`); an
    organisation is named once per stage. Its people then see the plan, even
    before it is on the pipeline. Audited.
    """
    _require_commissioner(actor, plan)
    involvement = (involvement or "").strip()
    errors: dict[str, list[str]] = {}
    if plan.status == PlanStatus.WITHDRAWN:
        _add(errors, "", "A withdrawn plan takes no new partners")
    if organisation is None:
        _add(errors, "organisation", "Choose the organisation")
    elif not organisation.is_third_sector:
        _add(errors, "organisation", f"{organisation.name} is not a third-sector organisation")
    if stage not in PartnerStage.values:
        _add(errors, "stage", "Choose scoping, design or evaluation")
    if not involvement:
        _add(errors, "involvement", "Say what they do at this stage")
    elif len(involvement) > INVOLVEMENT_MAX_LENGTH:
        _add(errors, "involvement", f"Say what they do in {INVOLVEMENT_MAX_LENGTH:,} characters or fewer")
    _refused(errors)
    stage_label = PartnerStage(stage).label.lower()
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                plan=plan, organisation=organisation, stage=stage, involvement=involvement, added_by=actor
            )
            audit_record(
                actor=actor,
                verb="plan.partner_add",
                obj=plan,
                after={"organisation": organisation.pk, "stage": stage, "involvement": involvement},
            )
    except IntegrityError as error:
        raise PlanError.on("organisation", f"{organisation.name} is already a partner in {stage_label}") from error
    return partner


def partner_remove(*, actor, partner: Partner) -> None:
    """Take a partner off a plan's stage. Only the plan's commissioners; audited with what was removed."""
    plan = partner.plan
    _require_commissioner(actor, plan)
    with transaction.atomic():
        removed = Partner.objects.filter(pk=partner.pk).delete()[0]
        if removed:
            audit_record(
                actor=actor,
                verb="plan.partner_remove",
                obj=plan,
                before={"organisation": partner.organisation_id, "stage": partner.stage},
            )
