"""The only write path for opportunities and everything hanging off them.

Each function is atomic, checks who may act and in which state, and writes
its audit event in the same transaction; e-mails are queued after commit. A
draft is edited freely by its commissioners; a published opportunity changes
only through :func:`opportunity_amend`.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum

from commissioning.accounts.models import Organisation, Role, Side
from commissioning.audit.services import audit_record
from commissioning.audit.transitions import TransitionError, transition
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.formats import format_datetime
from commissioning.core.models import Ward
from commissioning.core.money import format_money
from commissioning.core.references import next_reference
from commissioning.core.workdays import working_days_between_db
from commissioning.planning.handover import opportunity_refusal
from commissioning.planning.services import plan_mark_advertised
from commissioning.practice.checks import evaluate, rule_settings
from commissioning.practice.lead_times import lead_days_required
from commissioning.practice.models import Explanation, Rule
from commissioning.practice.services import gate_require, rule_explain
from commissioning.records.models import CommissioningRecord
from commissioning.records.permissions import is_record_commissioner
from commissioning.records.services import RecordError, record_create
from commissioning.records.timeline import service_end

from . import notifications
from .documents import DocumentError, check_upload
from .models import (
    AlertSubscription,
    Amendment,
    Clarification,
    Document,
    DocumentKind,
    EngagementEvent,
    EventRegistration,
    Interest,
    Lot,
    Opportunity,
    ProcurementThreshold,
    Question,
    Status,
)
from .permissions import commissioning_body_of, is_commissioner_for
from .rules import PUBLISHED_TIMES, lot_value_problem, suggest_regime, value_incl_vat
from .standard_items import StandardItem
from .workflow import OPPORTUNITY_WORKFLOW, timeline_problems

# Fields a draft's form may set, and those an amendment may change after publishing.
DRAFT_FIELDS = (
    "kind",
    "title",
    "summary",
    "description",
    "service_area",
    "city_wide",
    "outcomes",
    "total_value",
    "value_includes_vat",
    "duration_months",
    "regime",
    "find_a_tender_reference",
    "question_deadline",
    "submission_deadline",
    "evaluation_from",
    "expected_award",
    "service_start",
    "price_weight",
    "price_method",
    "social_value_ambitions_referenced",
    "compact_clause_in_terms",
    "standard_items",
)
AMENDABLE_FIELDS = (
    "summary",
    "description",
    "outcomes",
    "find_a_tender_reference",
    "question_deadline",
    "submission_deadline",
    "evaluation_from",
    "expected_award",
    "service_start",
)
MATERIAL_NOTICE_WORKING_DAYS = 5


class OpportunityError(RefusedError):
    """A change to an opportunity that the rules refuse."""


def _require_commissioner(actor, opportunity: Opportunity) -> None:
    if not is_commissioner_for(actor, opportunity):
        raise PermissionDenied("Only a commissioner of this opportunity's commissioning bodies can change it")


def _require_draft(opportunity: Opportunity) -> None:
    if opportunity.status != Status.DRAFT:
        raise OpportunityError.on("", "A published opportunity changes only through an amendment")


def _plain(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _wards(codes: list[str]) -> list[Ward]:
    codes = sorted(set(codes))
    wards = list(Ward.objects.filter(code__in=codes))
    unknown = set(codes) - {w.code for w in wards}
    if unknown:
        raise OpportunityError.on("wards", f"Unknown ward: {', '.join(sorted(unknown))}")
    return wards


def _check_standard_items(items) -> None:
    unknown = set(items) - set(StandardItem.values)
    if unknown:
        raise OpportunityError.on("standard_items", f"Unknown evidence item: {', '.join(sorted(unknown))}")


def thresholds_on(day) -> dict[str, Decimal]:
    """The procurement thresholds in force on ``day``, by key (amounts include VAT)."""
    result: dict[str, Decimal] = {}
    for row in ProcurementThreshold.objects.filter(valid_from__lte=day).order_by("key", "-valid_from"):
        result.setdefault(row.key, row.amount)
    return result


def regime_suggestion(opportunity: Opportunity) -> str:
    """The regime the opportunity's kind, value and service suggest, with today's thresholds."""
    area = opportunity.service_area
    return suggest_regime(
        kind=opportunity.kind,
        value_incl_vat=value_incl_vat(opportunity),
        light_touch=area.light_touch,
        nhs_health_care=area.nhs_health_care,
        nhs_commissioner=opportunity.lead_commissioner.legal_form == "nhs_body",
        thresholds=thresholds_on(clock.today()),
    )


def _require_record_for(actor, record: CommissioningRecord | None, lead_commissioner: Organisation) -> None:
    if record is None:
        return
    if not is_record_commissioner(actor, record):
        raise OpportunityError.on("record", "Choose a commissioning record of a body you commission for")
    if lead_commissioner.pk not in {body.pk for body in record.bodies}:
        raise OpportunityError.on("record", f"{lead_commissioner.name} is not one of this record's bodies")
    if refusal := opportunity_refusal(record):
        raise OpportunityError.on("record", refusal)


def _record_started(actor, lead_commissioner, fields: dict[str, Any], ward_codes, joint) -> CommissioningRecord:
    """A new commissioning record with a new draft's facts (inside the draft's transaction)."""
    facts = {
        "title": fields.get("title", ""),
        "summary": fields.get("summary", ""),
        "city_wide": bool(fields.get("city_wide")),
        "expected_start": fields.get("service_start"),
        "expected_end": service_end(fields.get("service_start"), fields.get("duration_months")),
        "estimated_value": fields.get("total_value"),
    }
    try:
        return record_create(
            actor=actor, lead_body=lead_commissioner, data=facts, ward_codes=ward_codes, joint_bodies=joint
        )
    except RecordError as error:
        raise OpportunityError(error.errors) from error


def opportunity_create(
    *,
    actor,
    lead_commissioner: Organisation,
    data: dict[str, Any],
    ward_codes: list[str],
    joint_commissioners: list[Organisation] | None = None,
    record: CommissioningRecord | None = None,
) -> Opportunity:
    """Start a draft tender or grant round for a commissioning body the actor commissions for.

    The regime is suggested from the value and service when the data does not
    name one. The reference (LCH-<year>-<n>) is unique; two drafts started at
    the same moment get different numbers.

    The draft belongs to ``record`` when one is given: the actor must be one
    of its commissioners and the lead body one of its bodies (refused on
    ``record`` otherwise). Without one, a commissioning record is started
    with the draft's own facts in the same transaction, so there is never a
    draft without a record, nor a record left over from a refused draft.
    """
    if lead_commissioner.side != Side.COMMISSIONER or Role.COMMISSIONER not in actor.roles_for(lead_commissioner):
        raise PermissionDenied("You can only start opportunities for a body you commission for")
    joint = [org for org in (joint_commissioners or []) if org.pk != lead_commissioner.pk]
    if any(org.side != Side.COMMISSIONER for org in joint):
        raise OpportunityError.on("joint_commissioners", "Joint commissioners must be commissioning bodies")
    _require_record_for(actor, record, lead_commissioner)
    wards = _wards(ward_codes)
    fields = {k: v for k, v in data.items() if k in DRAFT_FIELDS}
    _check_standard_items(fields.get("standard_items", []))
    for attempt in range(5):
        try:
            with transaction.atomic():
                opportunity = Opportunity(
                    reference=next_reference(Opportunity, "LCH"),
                    lead_commissioner=lead_commissioner,
                    created_by=actor,
                    record=record or _record_started(actor, lead_commissioner, fields, ward_codes, joint),
                    **fields,
                )
                if not opportunity.regime:
                    opportunity.regime = regime_suggestion(opportunity)
                opportunity.save()
                opportunity.wards.set(wards)
                opportunity.joint_commissioners.set(joint)
                audit_record(
                    actor=actor,
                    verb="opportunity.create",
                    obj=opportunity,
                    after={k: _plain(v) for k, v in fields.items()}
                    | {"regime": opportunity.regime, "record": opportunity.record.reference},
                )
                return opportunity
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _lots_value(opportunity: Opportunity, *, excluding: Lot | None = None) -> Decimal:
    lots = opportunity.lots.all()
    if excluding is not None and excluding.pk is not None:
        lots = lots.exclude(pk=excluding.pk)
    return lots.aggregate(total=Sum("value"))["total"] or Decimal(0)


def _require_total_covers_lots(opportunity: Opportunity) -> None:
    lots_value = _lots_value(opportunity)
    if lot_value_problem(total_value=opportunity.total_value, lots_value=lots_value):
        raise OpportunityError.on(
            "total_value",
            f"Enter a total value of at least {format_money(lots_value)}: that is what the lots add up to",
        )


def _require_lot_fits(opportunity: Opportunity, lot: Lot) -> None:
    others = _lots_value(opportunity, excluding=lot)
    if not lot_value_problem(total_value=opportunity.total_value, lots_value=others + Decimal(lot.value)):
        return
    total = format_money(opportunity.total_value)
    room = Decimal(opportunity.total_value) - others
    if room <= 0:
        message = (
            f"The other lots already add up to {format_money(others)}, the opportunity's whole total value of "
            f"{total}: lower them or raise the total value first"
        )
    elif others:
        message = (
            f"Enter a value of {format_money(room)} or less: the lots cannot add up to more than the "
            f"opportunity's total value of {total}, and the other lots are worth {format_money(others)}"
        )
    else:
        message = f"Enter a value of {total} or less: a lot cannot be worth more than the opportunity's total value"
    raise OpportunityError.on("value", message)


def opportunity_update(*, actor, opportunity: Opportunity, data: dict[str, Any], ward_codes: list[str]) -> Opportunity:
    """Change a draft. Refused once published (use an amendment) or for someone else's opportunity.

    A total value below what the draft's lots add up to is refused on ``total_value``, with the figures.
    """
    _require_commissioner(actor, opportunity)
    wards = _wards(ward_codes)
    _check_standard_items(data.get("standard_items", []))
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        _require_draft(locked)
        before, after = {}, {}
        for key, value in data.items():
            if key in DRAFT_FIELDS and getattr(locked, key) != value:
                before[key], after[key] = _plain(getattr(locked, key)), _plain(value)
                setattr(locked, key, value)
        if "total_value" in after:
            _require_total_covers_lots(locked)
        locked.save()
        old_wards = sorted(locked.wards.values_list("code", flat=True))
        locked.wards.set(wards)
        new_wards = sorted(w.code for w in wards)
        if old_wards != new_wards:
            before["wards"], after["wards"] = old_wards, new_wards
        if after:
            audit_record(actor=actor, verb="opportunity.update", obj=locked, before=before, after=after)
    return locked


def _draft_part_save(*, opportunity: Opportunity, part, model, allowed: tuple[str, ...], data, label: str):
    """Add a numbered part (a lot, a question) to a locked draft, or change one of its parts."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    _require_draft(locked)
    if part is None:
        related = getattr(locked, f"{label}s")
        number = (related.aggregate(n=Max("number"))["n"] or 0) + 1
        part = model(opportunity=locked, number=number)
    elif part.opportunity_id != locked.pk:
        raise PermissionDenied(f"That {label} belongs to another opportunity")
    for key in allowed:
        if key in data:
            setattr(part, key, data[key])
    part.save()
    return locked, part


def _draft_part_delete(*, actor, part, label: str, before: dict) -> None:
    opportunity = part.opportunity
    _require_commissioner(actor, opportunity)
    with transaction.atomic():
        _require_draft(Opportunity.objects.select_for_update().get(pk=opportunity.pk))
        audit_record(actor=actor, verb=f"opportunity.{label}_delete", obj=opportunity, before=before)
        part.delete()


def lot_save(
    *, actor, opportunity: Opportunity, data: dict[str, Any], ward_codes: list[str], lot: Lot | None = None
) -> Lot:
    """Add a lot to a draft, or change one of its lots.

    The lots together may not be worth more than the opportunity's total value:
    a lot that would take them over it is refused on ``value``, saying how much
    it can be worth, and nothing is saved.
    """
    _require_commissioner(actor, opportunity)
    wards = _wards(ward_codes)
    allowed = ("title", "description", "value", "city_wide", "pricing", "floor_price", "fixed_price", "max_award")
    with transaction.atomic():
        locked, lot = _draft_part_save(
            opportunity=opportunity, part=lot, model=Lot, allowed=allowed, data=data, label="lot"
        )
        _require_lot_fits(locked, lot)
        lot.wards.set(wards)
        audit_record(
            actor=actor,
            verb="opportunity.lot_save",
            obj=locked,
            after={"lot": lot.number, **{k: _plain(data[k]) for k in allowed if k in data}},
        )
    return lot


def lot_delete(*, actor, lot: Lot) -> None:
    """Remove a lot from a draft; later lots keep their numbers."""
    _draft_part_delete(actor=actor, part=lot, label="lot", before={"lot": lot.number, "title": lot.title})


def question_save(
    *, actor, opportunity: Opportunity, data: dict[str, Any], question: Question | None = None
) -> Question:
    """Add a question to a draft, or change one."""
    _require_commissioner(actor, opportunity)
    allowed = ("kind", "text", "guidance", "word_limit", "weight")
    with transaction.atomic():
        locked, question = _draft_part_save(
            opportunity=opportunity,
            part=question,
            model=Question,
            allowed=allowed,
            data=data,
            label="question",
        )
        audit_record(
            actor=actor,
            verb="opportunity.question_save",
            obj=locked,
            after={"question": question.number, **{k: _plain(data[k]) for k in allowed if k in data}},
        )
    return question


def question_delete(*, actor, question: Question) -> None:
    """Remove a question from a draft."""
    _draft_part_delete(actor=actor, part=question, label="question", before={"question": question.number})


def event_save(
    *, actor, opportunity: Opportunity, data: dict[str, Any], event: EngagementEvent | None = None
) -> EngagementEvent:
    """Add or change an engagement event (drafts and open opportunities)."""
    _require_commissioner(actor, opportunity)
    allowed = ("title", "starts_at", "ends_at", "mode", "address", "link", "capacity", "description", "notes")
    if data.get("ends_at") and data.get("starts_at") and data["ends_at"] <= data["starts_at"]:
        raise OpportunityError.on("ends_at", "The event must end after it starts")
    if data.get("mode") == "in_person" and not (data.get("address") or "").strip():
        raise OpportunityError.on("address", "Enter the address of the event")
    if data.get("mode") == "online" and not (data.get("link") or "").strip():
        raise OpportunityError.on("link", "Enter the link to join the event")
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.status not in (Status.DRAFT, Status.PUBLISHED):
            raise OpportunityError.on("", "Events can only be added while the opportunity is a draft or published")
        if event is None:
            event = EngagementEvent(opportunity=locked)
        elif event.opportunity_id != locked.pk:
            raise PermissionDenied("That event belongs to another opportunity")
        for key in allowed:
            if key in data:
                setattr(event, key, data[key])
        event.save()
        audit_record(
            actor=actor,
            verb="opportunity.event_save",
            obj=locked,
            after={"event": event.pk, **{k: _plain(data[k]) for k in allowed if k in data}},
        )
    return event


def _smallest_lot_value(opportunity: Opportunity) -> Decimal:
    """The value of the smallest lot, or the total when there are no lots."""
    least = opportunity.lots.aggregate(least=Min("value"))["least"]
    return opportunity.total_value if least is None else least


def opportunity_publish(*, actor, opportunity: Opportunity):
    """Publish a draft: it must be complete, and every Code rule that applies met or explained.

    The row is locked first, so the gate and the move see the same state.
    Raises ``TransitionError`` for an incomplete draft or the wrong person,
    and ``RuleGateClosed`` naming the rules neither met nor explained; in both
    cases nothing changes. On success the rule outcomes are recorded, the
    status moves and alerts go to subscribers after commit.
    """
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        problems = OPPORTUNITY_WORKFLOW.check(locked, "publish", actor)
        if problems:
            raise TransitionError(problems)
        gate_require(actor=actor, obj=locked, step="opportunity_publish")
        published = transition(
            workflow=OPPORTUNITY_WORKFLOW,
            obj=locked,
            name="publish",
            actor=actor,
            changes={"published_at": clock.now(), "smallest_lot_value": _smallest_lot_value(locked)},
        )
        # The plan behind the record, if there is one, shows as advertised on the pipeline.
        plan_mark_advertised(published.record, actor=actor)
        notifications.published(published)
    return published


def opportunity_cancel(*, actor, opportunity: Opportunity, reason: str) -> Opportunity:
    """Cancel a draft that will not go ahead, with a reason."""
    return transition(
        workflow=OPPORTUNITY_WORKFLOW,
        obj=opportunity,
        name="cancel",
        actor=actor,
        changes={"status_reason": reason.strip()},
        reason=reason.strip(),
    )


def opportunity_withdraw(*, actor, opportunity: Opportunity, reason: str) -> Opportunity:
    """Withdraw a published opportunity, with a reason everyone interested is told."""
    with transaction.atomic():
        withdrawn = transition(
            workflow=OPPORTUNITY_WORKFLOW,
            obj=opportunity,
            name="withdraw",
            actor=actor,
            changes={"status_reason": reason.strip()},
            reason=reason.strip(),
        )
        notifications.withdrawn(withdrawn)
    return withdrawn


def opportunity_amend(
    *,
    actor,
    opportunity: Opportunity,
    changes: dict[str, Any],
    summary: str,
    material: bool,
    lead_time_explanation: str = "",
) -> Amendment:
    """Change a published opportunity by a numbered amendment that everyone interested is told of.

    Only the amendable fields change. The published times (questions close,
    bids close) only ever move later, and moving either makes the amendment
    material, whatever the commissioner ticked. A new deadline that leaves less
    than PL-3's least lead time from today needs an explanation, kept with the
    amendment. A material change with fewer than 5 working days left before
    the deadline must move the deadline so that at least 5 remain. Deadlines
    must stay coherent (questions close before bids). Everyone with a draft or
    a bid, every follower, alert subscriber and event booker is e-mailed the
    amendment with each time's old and new value, after commit.
    """
    _require_commissioner(actor, opportunity)
    summary = summary.strip()
    if not summary:
        raise OpportunityError.on("summary", "Say what changed, for everyone following the opportunity")
    unknown = set(changes) - set(AMENDABLE_FIELDS)
    if unknown:
        raise OpportunityError.on("", f"These cannot be amended: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.status != Status.PUBLISHED or not locked.is_open:
            raise OpportunityError.on("", "Only an open opportunity can be amended")
        changes = {k: v for k, v in changes.items() if v != getattr(locked, k)}
        _require_later_times(locked, changes)
        material = material or any(key in changes for key in PUBLISHED_TIMES)
        before = {k: getattr(locked, k) for k in changes}
        for key, value in changes.items():
            setattr(locked, key, value)
        deadline: datetime = locked.submission_deadline
        now = clock.now()
        if deadline <= now:
            raise OpportunityError.on("submission_deadline", "The submission deadline must be in the future")
        if locked.question_deadline and locked.question_deadline >= deadline:
            raise OpportunityError.on(
                "question_deadline", "The deadline for questions must be before the submission deadline"
            )
        if out_of_order := timeline_problems(locked):
            raise OpportunityError.on("submission_deadline", f"{out_of_order[0]}: move the later dates too")
        left = working_days_between_db(clock.today(), clock.london(deadline).date())
        if material and left < MATERIAL_NOTICE_WORKING_DAYS:
            raise OpportunityError.on(
                "submission_deadline",
                f"This is a material change with {left} working days left: move the deadline so that "
                f"at least {MATERIAL_NOTICE_WORKING_DAYS} working days remain",
            )
        explanation = _short_lead_time_explanation(locked, changes, left, lead_time_explanation)
        locked.save()
        number = (locked.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
        amendment = Amendment.objects.create(
            opportunity=locked,
            number=number,
            summary=summary,
            material=material,
            changes={k: {"from": _json(before[k]), "to": _json(v)} for k, v in changes.items()},
            new_deadline=deadline if "submission_deadline" in changes else None,
            lead_time_explanation=explanation,
            made_by=actor,
            made_at=now,
        )
        audit_record(
            actor=actor,
            verb="opportunity.amend",
            obj=locked,
            before={k: _json(v) for k, v in before.items()},
            after={k: _json(v) for k, v in changes.items()}
            | ({"lead_time_explanation": explanation} if explanation else {}),
            reason=summary,
        )
        notifications.amended(locked, amendment)
    return amendment


def _require_later_times(opportunity: Opportunity, changes: dict[str, Any]) -> None:
    """Refuse a published time that is taken away or moved earlier: bidders plan by it."""
    for key, label in PUBLISHED_TIMES.items():
        if key not in changes:
            continue
        old, new = getattr(opportunity, key), changes[key]
        if new is None:
            raise OpportunityError.on(key, f"{label}: enter a date and time")
        if old is not None and new < old:
            raise OpportunityError.on(
                key,
                f"{label} at {format_datetime(old)}. Once published, this can only move later: "
                f"choose a time after {format_datetime(old)}",
            )


def _short_lead_time_explanation(opportunity: Opportunity, changes: dict[str, Any], left: int, given: str) -> str:
    """The explanation kept when a moved deadline leaves less than PL-3's least lead time; "" otherwise.

    Raises when such a deadline comes without one.
    """
    if "submission_deadline" not in changes or not Rule.objects.filter(code="PL-3", active=True).exists():
        return ""
    needed = lead_days_required(Decimal(opportunity.total_value), rule_settings("PL-3"))
    if left >= needed:
        return ""
    given = (given or "").strip()
    if not given:
        raise OpportunityError.on(
            "lead_time_explanation",
            f"The new deadline leaves {left} working days from today; the Code (PL-3) expects at least {needed} "
            "for an opportunity of this value. Move the deadline later, or explain why less time is enough",
        )
    return given


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return _plain(value)


def _require_provider_member(actor, organisation: Organisation) -> None:
    if organisation.side != Side.PROVIDER or not organisation.is_verified:
        raise PermissionDenied("Only a verified provider can do this")
    if not actor.roles_for(organisation) & {Role.PROVIDER_ADMIN, Role.PROVIDER_MEMBER}:
        raise PermissionDenied("You do not act for that organisation")


def opportunity_rule_explain(*, actor, opportunity: Opportunity, rule_code: str, reason: str, confirmer) -> Explanation:
    """A commissioner explains why a rule of the Code does not apply to a draft, for a colleague to confirm.

    Guarantees: only a commissioner of the opportunity (``PermissionDenied``)
    and only while it is a draft (:class:`OpportunityError`); the explanation
    is given for the body the commissioner commissions it at (the lead body
    first) and is pending until ``confirmer`` confirms it, so publishing stays
    shut until then. Everything else is
    :func:`commissioning.practice.services.rule_explain`'s guarantee.
    """
    _require_commissioner(actor, opportunity)
    if opportunity.status != Status.DRAFT:
        raise OpportunityError.on("", "Rules are explained before publishing; this opportunity is no longer a draft")
    code = str(rule_code or "").strip().upper()
    status = next((item for item in evaluate(opportunity, "opportunity_publish").items if item.rule.code == code), None)
    if status is None:
        raise OpportunityError.on("rule", "Choose a rule of the Code that applies to publishing")
    if status.is_met:
        raise OpportunityError.on("rule", f"{status.rule.code} is met: there is nothing to explain")
    return rule_explain(
        actor=actor,
        rule_code=status.rule.code,
        obj=opportunity,
        body=commissioning_body_of(actor, opportunity),
        reason=reason,
        confirmer=confirmer,
        step="opportunity_publish",
    )


def clarification_ask(*, actor, organisation: Organisation, opportunity: Opportunity, question: str) -> Clarification:
    """A provider asks a clarification question, until the question deadline."""
    _require_provider_member(actor, organisation)
    question = question.strip()
    if not question:
        raise OpportunityError.on("question", "Enter your question")
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if not locked.is_open or locked.question_deadline is None or clock.now() >= locked.question_deadline:
            raise OpportunityError.on("question", "The deadline for clarification questions has passed")
        clarification = Clarification.objects.create(
            opportunity=locked, question=question, asked_by=actor, asked_for=organisation, asked_at=clock.now()
        )
        audit_record(actor=actor, verb="opportunity.clarification_ask", obj=clarification, after={"question": question})
    return clarification


QUESTION_MAX_LENGTH = 3000


def clarification_answer(
    *, actor, clarification: Clarification, answer: str, published_question: str | None = None
) -> Clarification:
    """Answer a question and publish both to everyone, without saying who asked.

    Guarantees: only a commissioner of the opportunity, only while it is
    published, and only once; a blank answer is refused. The question is
    published in ``published_question`` when given (for example with what
    identifies the asker taken out), else word for word; a blank or over-long
    wording is refused. The asker's own words are kept unchanged and are never
    published. An edited wording is audited with the original, and the asker
    is e-mailed both once it commits. Everything is saved in one transaction,
    so nothing is published if anything is refused.
    """
    opportunity = clarification.opportunity
    _require_commissioner(actor, opportunity)
    answer = answer.strip()
    errors: dict[str, list[str]] = {}
    if not answer:
        errors["answer"] = ["Enter the answer"]
    wording = None if published_question is None else published_question.strip()
    if wording is not None and not wording:
        errors["published_question"] = ["Enter the question as it will be published"]
    elif wording is not None and len(wording) > QUESTION_MAX_LENGTH:
        errors["published_question"] = [f"The question must be {QUESTION_MAX_LENGTH:,} characters or fewer"]
    if errors:
        raise OpportunityError(errors)
    with transaction.atomic():
        locked = Clarification.objects.select_for_update().get(pk=clarification.pk)
        if locked.published_at is not None:
            raise OpportunityError.on("answer", "This question has already been answered; the answer is published")
        if opportunity.status != Status.PUBLISHED:
            raise OpportunityError.on("answer", "Questions can only be answered while the opportunity is published")
        locked.published_question = wording if wording is not None else locked.question
        locked.answer, locked.answered_by, locked.published_at = answer, actor, clock.now()
        locked.save(update_fields=["published_question", "answer", "answered_by", "published_at"])
        if locked.wording_edited:
            audit_record(
                actor=actor,
                verb="opportunity.clarification_reword",
                obj=locked,
                before={"question": locked.question},
                after={"published_question": locked.published_question},
            )
            notifications.clarification_reworded(opportunity, locked)
        audit_record(
            actor=actor,
            verb="opportunity.clarification_answer",
            obj=locked,
            after={"answer": answer, "published_question": locked.published_question},
        )
        notifications.clarification_published(opportunity, locked)
    return locked


def interest_register(
    *, actor, organisation: Organisation, opportunity: Opportunity, following: bool = True
) -> Interest:
    """Register (or update) an organisation's interest; registering twice keeps one record."""
    _require_provider_member(actor, organisation)
    if not opportunity.is_open:
        raise OpportunityError.on("", "You can only register interest in an open opportunity")
    with transaction.atomic():
        interest, created = Interest.objects.get_or_create(
            opportunity=opportunity,
            organisation=organisation,
            defaults={"registered_by": actor, "registered_at": clock.now(), "following": following},
        )
        changed = not created and interest.following != following
        if changed:
            interest.following = following
            interest.save(update_fields=["following"])
        if created or changed:
            audit_record(
                actor=actor,
                verb="opportunity.interest",
                obj=opportunity,
                after={"organisation": organisation.pk, "following": following},
            )
    return interest


def event_register(
    *, actor, organisation: Organisation, event: EngagementEvent, attendees: int = 1, access_needs: str = ""
) -> EventRegistration:
    """Book an organisation's places at an event, within its capacity and before it starts."""
    _require_provider_member(actor, organisation)
    if attendees < 1:
        raise OpportunityError.on("attendees", "Book at least one place")
    with transaction.atomic():
        locked = (
            EngagementEvent.objects.select_for_update(of=("self", "opportunity"))
            .select_related("opportunity")
            .get(pk=event.pk)
        )
        if not locked.opportunity.is_open:
            raise OpportunityError.on("", "Places can only be booked while the opportunity is open")
        if clock.now() >= locked.starts_at:
            raise OpportunityError.on("", "This event has already started")
        if EventRegistration.objects.filter(event=locked, organisation=organisation).exists():
            raise OpportunityError.on("", "Your organisation is already registered for this event")
        taken = sum(locked.registrations.values_list("attendees", flat=True))
        if taken + attendees > locked.capacity:
            left = max(locked.capacity - taken, 0)
            raise OpportunityError.on(
                "attendees", f"There {'is' if left == 1 else 'are'} only {left} place{'s' if left != 1 else ''} left"
            )
        registration = EventRegistration.objects.create(
            event=locked,
            organisation=organisation,
            user=actor,
            attendees=attendees,
            access_needs=access_needs.strip(),
            created_at=clock.now(),
        )
        audit_record(
            actor=actor,
            verb="opportunity.event_register",
            obj=locked,
            after={"organisation": organisation.pk, "attendees": attendees},
        )
    return registration


def alerts_set(*, actor, service_areas: list, ward_codes: list[str]):
    """Set the actor's e-mail alerts; choosing nothing turns them off."""
    wards = _wards(ward_codes)
    with transaction.atomic():
        subscription, _ = AlertSubscription.objects.get_or_create(user=actor)
        subscription.active = bool(service_areas or wards)
        subscription.save(update_fields=["active"])
        subscription.service_areas.set(service_areas)
        subscription.wards.set(wards)
        audit_record(
            actor=actor,
            verb="opportunity.alerts_set",
            obj=subscription,
            after={"service_areas": [a.slug for a in service_areas], "wards": sorted(w.code for w in wards)},
        )
    return subscription


def document_add(*, actor, opportunity: Opportunity, kind: str, title: str, uploaded):
    """Attach a document to a draft, after checking its type, content and size."""
    _require_commissioner(actor, opportunity)
    if kind not in DocumentKind.values:
        raise OpportunityError.on("kind", "Choose what kind of document it is")
    title = title.strip()
    if not title:
        raise OpportunityError.on("title", "Enter a title for the document")
    try:
        checked = check_upload(uploaded)
    except DocumentError as exc:
        raise OpportunityError.on("file", str(exc)) from exc
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        _require_draft(locked)
        document = Document(
            opportunity=locked,
            kind=kind,
            title=title,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
            uploaded_at=clock.now(),
        )
        document.file.save(uploaded.name.rsplit("/", 1)[-1], uploaded, save=False)
        document.save()
        audit_record(
            actor=actor,
            verb="opportunity.document_add",
            obj=locked,
            after={"document": title, "sha256": checked.sha256, "size": checked.size},
        )
    return document
