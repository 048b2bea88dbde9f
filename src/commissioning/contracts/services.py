"""The only write path for agreements: drafted from awards or by hand, edited, issued, withdrawn, accepted.

- Drafting from an award makes one agreement per successful bid and lot, once
  the standstill has ended, however often or concurrently it runs.
- Issuing passes the Code's gate at "issuing an agreement" (PR-11 and CM-1
  to CM-4, each met or explained), fixes the exact document and its SHA-256,
  and tells the provider's administrators.
- Acceptance is by one of the provider's administrators, of the document
  with that digest, once; it fixes the monitoring plan (the returns due) and
  the payment schedule.

Returns, payments, feedback and variations have their own services modules
(:mod:`.returns`, :mod:`.payments`, :mod:`.beneficiaries`, :mod:`.variations`).
"""

import hashlib
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from commissioning.accounts.models import Organisation, OrganisationStatus, Side
from commissioning.accounts.permissions import commissioning_at
from commissioning.audit.services import audit_record
from commissioning.audit.transitions import TransitionError, transition
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.references import next_reference
from commissioning.core.workdays import closure_days
from commissioning.evaluation.models import Evaluation, Outcome
from commissioning.evaluation.services import may_conclude_contract
from commissioning.opportunities.documents import DocumentError, check_upload
from commissioning.opportunities.models import Kind, Regime
from commissioning.opportunities.permissions import is_commissioner_for
from commissioning.opportunities.services import thresholds_on
from commissioning.practice.catalogue import STEP_AGREEMENT_ISSUE
from commissioning.practice.checks import evaluate, rule_settings
from commissioning.practice.models import Explanation
from commissioning.practice.services import gate_require, rule_explain
from commissioning.records.models import CommissioningRecord

from . import documents, monitoring, notifications
from .models import (
    ALL_BREAKDOWNS,
    Agreement,
    AgreementKind,
    AgreementStatus,
    Measure,
    MonitoringReturn,
    Origin,
    Payment,
    PaymentBasis,
    Risk,
)
from .permissions import commissioner_body_for, is_agreement_commissioner, is_authorised_for_provider
from .wording import COMPACT_CLAUSE
from .workflow import AGREEMENT_WORKFLOW

KPI_THRESHOLD_KEY = "kpis_required"
PAYMENT_INTERVALS = (0, 1, 3, 6, 12)


class AgreementError(RefusedError):
    """An agreement change the rules refuse, with messages per field."""


def _require_commissioner(actor, agreement: Agreement) -> None:
    if not is_agreement_commissioner(actor, agreement):
        raise PermissionDenied("Only the agreement's commissioners can do this")


def _require_status(agreement: Agreement, *statuses: str, message: str) -> None:
    if agreement.status not in statuses:
        raise AgreementError.on("", message)


def monitoring_settings() -> dict:
    """CM-1's settings as they stand: the tiers, how often returns are due, how many measures."""
    return rule_settings("CM-1")


def plan_defaults(value: Decimal, starts_on: date, ends_on: date, risk: str) -> dict:
    """The tier, returns a year and what is asked, for a value, a term and a risk rating, by CM-1's settings."""
    values = monitoring_settings()
    annual = monitoring.annual_value(value, starts_on, ends_on)
    tier = monitoring.tier_for(annual, risk, values)
    allowance = monitoring.allowance_for(tier, value, values)
    return {
        "tier": tier.value,
        "returns_per_year": allowance.returns_per_year,
        "spend_reported": allowance.spend_reported,
        "claims_need_evidence": allowance.claims_need_evidence,
    }


def plan_allowance(agreement: Agreement) -> monitoring.TierAllowance:
    """What the agreement's tier allows (returns a year, measures) and asks (spend, evidence for claims)."""
    return monitoring.allowance_for(agreement.tier, agreement.value, monitoring_settings())


def kpis_required(agreement: Agreement) -> bool:
    """At least three KPIs must be set and published (Procurement Act 2023 s52): a contract over the
    threshold that is not light touch."""
    if agreement.kind != AgreementKind.CONTRACT or agreement.light_touch:
        return False
    threshold = thresholds_on(agreement.starts_on).get(KPI_THRESHOLD_KEY)
    return threshold is not None and agreement.value > threshold


def term_end(starts_on: date, months: int) -> date:
    """The last day of a term of ``months`` months from ``starts_on`` (1 April for 12 months: 31 March)."""
    return monitoring.add_months(starts_on, max(months, 1)) - timedelta(days=1)


def _save_new(agreement: Agreement) -> Agreement:
    """Save a new agreement under a fresh reference, drawing again if another writer took the same one."""
    for _ in range(5):
        agreement.reference = next_reference(Agreement, "AG")
        try:
            with transaction.atomic():
                agreement.save()
            return agreement
        except IntegrityError:
            if Agreement.objects.filter(reference=agreement.reference).exists():
                continue
            raise
    raise AgreementError.on("", "Could not give the agreement a reference: try again")


def agreements_draft_from_award(*, actor, evaluation: Evaluation, now=None) -> list[Agreement]:
    """Draft one agreement for each successful bid and lot of an award whose standstill has ended.

    Guarantees: nothing before the standstill ends (:class:`AgreementError`);
    never two agreements for one decision, however often or concurrently it
    runs (the decision is one-to-one with its agreement); each draft carries
    the Compact clause, every breakdown CM-4 asks for, and the tier CM-1's
    settings give its value at a medium risk. Returns the agreements it made.
    ``actor`` is None when the clock drafts them, at its moment ``now``.
    """
    if actor is not None and not is_commissioner_for(actor, evaluation.opportunity):
        raise PermissionDenied("Only the opportunity's commissioners can draft its agreements")
    if not may_conclude_contract(evaluation, now):
        raise AgreementError.on("", "Agreements are drafted once the standstill has ended")
    opportunity = evaluation.opportunity
    decisions = list(
        evaluation.decisions.filter(outcome=Outcome.AWARDED, agreement__isnull=True).select_related(
            "lot", "organisation", "submission"
        )
    )
    several_lots = opportunity.lots.count() > 1
    made = []
    for decision in decisions:
        starts_on = opportunity.service_start or clock.london(evaluation.standstill_ends).date()
        ends_on = term_end(starts_on, opportunity.duration_months)
        grant = opportunity.kind == Kind.GRANT
        agreement = Agreement(
            record=opportunity.record,
            kind=AgreementKind.GRANT if grant else AgreementKind.CONTRACT,
            origin=Origin.AWARD,
            opportunity=opportunity,
            lot=decision.lot,
            decision=decision,
            title=f"{opportunity.title}: {decision.lot.title}" if several_lots else opportunity.title,
            description=decision.lot.description or opportunity.summary,
            service_area=opportunity.service_area,
            outcomes=opportunity.outcomes,
            commissioner=opportunity.lead_commissioner,
            provider=decision.organisation,
            value=decision.amount,
            value_includes_vat=opportunity.value_includes_vat,
            light_touch=opportunity.regime == Regime.LIGHT_TOUCH,
            payment_basis=PaymentBasis.ADVANCE if grant else PaymentBasis.ARREARS,
            starts_on=starts_on,
            ends_on=ends_on,
            review_on=monitoring.add_months(starts_on, 12) if ends_on > monitoring.add_months(starts_on, 12) else None,
            risk=Risk.MEDIUM,
            breakdowns=list(ALL_BREAKDOWNS),
            compact_clause=COMPACT_CLAUSE,
            created_at=clock.now(),
            created_by=actor,
            **plan_defaults(decision.amount, starts_on, ends_on, Risk.MEDIUM),
        )
        agreement.needs_performance_assessment = kpis_required(agreement)
        with transaction.atomic():
            # Another run may have drafted this decision's agreement since it was read.
            if Agreement.objects.filter(decision=decision).exists():
                continue
            try:
                _save_new(agreement)
            except IntegrityError:
                continue
            audit_record(actor=actor, verb="agreement.draft", obj=agreement, after=_summary(agreement))
        made.append(agreement)
    return made


def _summary(agreement: Agreement) -> dict:
    return {
        "reference": agreement.reference,
        "provider": agreement.provider.name,
        "value": str(agreement.value),
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "tier": agreement.tier,
    }


EDITABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "outcomes",
        "department",
        "value",
        "value_includes_vat",
        "irrecoverable_vat",
        "payment_basis",
        "payment_interval_months",
        "starts_on",
        "ends_on",
        "review_on",
        "extension_months",
        "extension_terms",
        "special_conditions",
        "risk",
        "risk_reason",
        "returns_per_year",
        "breakdowns",
        "feedback_open",
        "coordination_note",
        "compact_confirmed",
        "needs_performance_assessment",
    }
)


def _term_problems(agreement: Agreement) -> list[tuple[str, str]]:
    problems = []
    if agreement.value is None or agreement.value <= 0:
        problems.append(("value", "The value must be more than £0"))
    if agreement.irrecoverable_vat is not None and agreement.irrecoverable_vat < 0:
        problems.append(("irrecoverable_vat", "Irrecoverable VAT cannot be negative"))
    if agreement.starts_on and agreement.ends_on and agreement.ends_on < agreement.starts_on:
        problems.append(("ends_on", "The end date must be on or after the start date"))
    if agreement.review_on and agreement.starts_on and agreement.review_on < agreement.starts_on:
        problems.append(("review_on", "The review date must be on or after the start date"))
    return problems


def _validate(agreement: Agreement) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    for name, message in _term_problems(agreement):
        add(name, message)
    if agreement.payment_interval_months not in PAYMENT_INTERVALS:
        add("payment_interval_months", "Choose how often it is paid")
    if not 1 <= int(agreement.returns_per_year or 0) <= 12:
        add("returns_per_year", "Returns a year must be from 1 to 12")
    if not set(agreement.breakdowns or []) <= set(ALL_BREAKDOWNS):
        add("breakdowns", "Choose breakdowns from the list")
    if agreement.risk == Risk.HIGH and not (agreement.risk_reason or "").strip():
        add("risk_reason", "Say why the risk is high")
    if agreement.origin != Origin.AWARD and not (agreement.origin_reason or "").strip():
        add("origin_reason", "Say why this agreement is made without a competition or a grant round")
    return errors


def agreement_create(
    *,
    actor,
    record: CommissioningRecord,
    commissioner: Organisation,
    provider: Organisation,
    kind: str,
    origin: str,
    origin_reason: str,
    **fields,
) -> Agreement:
    """A commissioner makes an agreement by hand: a direct award or a grant made outside a round, with why.

    Guarantees: only a commissioner at ``commissioner`` that is a body of
    ``record`` (``PermissionDenied``); never from an award (those are drafted
    from the award, after its standstill); the provider is a verified
    provider; the reason is recorded; the tier comes from CM-1's settings.
    """
    if commissioner.pk not in {body.pk for body in record.bodies} or commissioner.pk not in commissioning_at(actor):
        raise PermissionDenied("Only a commissioner of the record's bodies can make its agreements")
    if origin not in (Origin.DIRECT_AWARD, Origin.GRANT_OUTSIDE_ROUND):
        raise AgreementError.on("origin", "Choose a direct award or a grant made outside a round")
    if kind not in AgreementKind.values:
        raise AgreementError.on("kind", "Choose a contract or a grant agreement")
    if provider.side != Side.PROVIDER or provider.status != OrganisationStatus.VERIFIED:
        raise AgreementError.on("provider", "Choose a verified provider")
    unknown = set(fields) - EDITABLE_FIELDS - {"service_area"}
    if unknown:
        raise AgreementError.on("", f"Unknown fields: {', '.join(sorted(unknown))}")
    risk = fields.pop("risk", Risk.MEDIUM)
    agreement = Agreement(
        record=record,
        kind=kind,
        origin=origin,
        origin_reason=(origin_reason or "").strip(),
        commissioner=commissioner,
        provider=provider,
        risk=risk,
        breakdowns=fields.pop("breakdowns", list(ALL_BREAKDOWNS)),
        payment_basis=fields.pop(
            "payment_basis", PaymentBasis.ADVANCE if kind == AgreementKind.GRANT else PaymentBasis.ARREARS
        ),
        compact_clause=COMPACT_CLAUSE,
        created_at=clock.now(),
        created_by=actor,
        **fields,
    )
    if agreement.value and agreement.starts_on and agreement.ends_on and agreement.ends_on >= agreement.starts_on:
        defaults = plan_defaults(agreement.value, agreement.starts_on, agreement.ends_on, risk)
        if "returns_per_year" in fields:
            defaults.pop("returns_per_year")
        for name, value in defaults.items():
            setattr(agreement, name, value)
    errors = _validate(agreement)
    if errors:
        raise AgreementError(errors)
    agreement.needs_performance_assessment = kpis_required(agreement)
    with transaction.atomic():
        _save_new(agreement)
        audit_record(
            actor=actor,
            verb="agreement.create",
            obj=agreement,
            after={**_summary(agreement), "origin": origin},
            reason=agreement.origin_reason,
        )
    return agreement


def agreement_update(*, actor, agreement: Agreement, **fields) -> Agreement:
    """Change a draft agreement's terms; the tier and what it asks follow the value, term and risk.

    Guarantees: only the agreement's commissioners, only while a draft; the
    returns a year default to the tier's unless given (asking for more than
    the tier allows is CM-1's to judge at issue); refused changes save
    nothing.
    """
    _require_commissioner(actor, agreement)
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise AgreementError.on("", f"Unknown fields: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_status(locked, AgreementStatus.DRAFT, message="Only a draft agreement can be changed")
        before = {name: _plain(getattr(locked, name)) for name in fields}
        for name, value in fields.items():
            setattr(locked, name, value)
        if locked.value and locked.starts_on and locked.ends_on and locked.ends_on >= locked.starts_on:
            defaults = plan_defaults(locked.value, locked.starts_on, locked.ends_on, locked.risk)
            if "returns_per_year" in fields:
                defaults.pop("returns_per_year")
            for name, value in defaults.items():
                setattr(locked, name, value)
        errors = _validate(locked)
        if errors:
            raise AgreementError(errors)
        if "needs_performance_assessment" not in fields:
            locked.needs_performance_assessment = kpis_required(locked)
        locked.save()
        audit_record(
            actor=actor,
            verb="agreement.update",
            obj=locked,
            before=before,
            after={name: _plain(getattr(locked, name)) for name in fields},
        )
    return locked


def _plain(value):
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def measure_save(
    *, actor, agreement: Agreement, name: str, target, unit: str = "", published: bool = False, number=None
) -> Measure:
    """Add a KPI to a draft agreement, or change one (by ``number``): a name and a target of 0 or more."""
    _require_commissioner(actor, agreement)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = ["Enter what the KPI measures"]
    try:
        target = Decimal(str(target).replace(",", "").strip())
        if not target.is_finite() or target < 0 or target >= Decimal("1e12"):
            raise ValueError
    except (ValueError, ArithmeticError):
        errors["target"] = ["Enter the target as a number, 0 or more"]
    if errors:
        raise AgreementError(errors)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_status(locked, AgreementStatus.DRAFT, message="KPIs are set while the agreement is a draft")
        if number is None:
            number = (locked.measures.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        measure, _ = Measure.objects.update_or_create(
            agreement=locked,
            number=number,
            defaults={"name": name, "target": target, "unit": (unit or "").strip(), "published": bool(published)},
        )
        audit_record(actor=actor, verb="agreement.measure_save", obj=locked, after={"number": number, "name": name})
    return measure


def measure_remove(*, actor, measure: Measure) -> None:
    """Take a KPI off a draft agreement."""
    agreement = measure.agreement
    _require_commissioner(actor, agreement)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_status(locked, AgreementStatus.DRAFT, message="KPIs are set while the agreement is a draft")
        Measure.objects.filter(pk=measure.pk).delete()
        audit_record(actor=actor, verb="agreement.measure_remove", obj=locked, before={"number": measure.number})


def own_document_attach(*, actor, agreement: Agreement, uploaded) -> Agreement:
    """Attach the agreement's own document, written outside the hub, to a draft (PDF, Word or OpenDocument).

    Guarantees: only the agreement's commissioners, only while a draft; the
    file is checked by its name and first bytes and within the documents'
    size limit; its SHA-256 goes into the issued document, so the provider
    accepts that exact file. The Compact clause must then be confirmed
    (PR-11) before it is issued.
    """
    _require_commissioner(actor, agreement)
    try:
        checked = check_upload(uploaded)
    except DocumentError as exc:
        raise AgreementError.on("file", str(exc)) from exc
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_status(
            locked, AgreementStatus.DRAFT, message="The document is attached while the agreement is a draft"
        )
        locked.own_document.save(uploaded.name.rsplit("/", 1)[-1], uploaded, save=False)
        locked.compact_confirmed = False
        locked.save(update_fields=["own_document", "compact_confirmed", "updated_at"])
        audit_record(
            actor=actor,
            verb="agreement.own_document_attach",
            obj=locked,
            after={"file": locked.own_document.name, "sha256": checked.sha256, "size": checked.size},
        )
    return locked


def own_document_remove(*, actor, agreement: Agreement) -> Agreement:
    """Take the own document off a draft: the agreement the hub writes stands alone again."""
    _require_commissioner(actor, agreement)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_status(locked, AgreementStatus.DRAFT, message="The document is changed while the agreement is a draft")
        before = locked.own_document.name
        locked.own_document = ""
        locked.compact_confirmed = False
        locked.save(update_fields=["own_document", "compact_confirmed", "updated_at"])
        audit_record(actor=actor, verb="agreement.own_document_remove", obj=locked, before={"file": before})
    return locked


def issue_problems(agreement: Agreement) -> list[str]:
    """What stops an agreement being issued, apart from the Code's gate: the standstill, the provider, the law."""
    problems = []
    if agreement.origin == Origin.AWARD:
        evaluation = getattr(agreement.opportunity, "evaluation", None) if agreement.opportunity else None
        if evaluation is None or not may_conclude_contract(evaluation):
            problems.append("The standstill has not ended: nothing can be concluded until it does")
    if agreement.provider.status != OrganisationStatus.VERIFIED:
        problems.append(f"{agreement.provider.name} is not a verified provider")
    if kpis_required(agreement) and agreement.measures.filter(published=True).count() < 3:
        problems.append("A contract of this value needs at least three KPIs, published (Procurement Act 2023 s52)")
    return problems


def agreement_issue(*, actor, agreement: Agreement) -> Agreement:
    """Issue a draft agreement to the provider, through the Code's gate at "issuing an agreement".

    Guarantees: only the agreement's commissioners; never before the award's
    standstill has ended; at least three published KPIs where the law asks;
    every rule guarding the step (PR-11, CM-1 to CM-4) met or explained,
    else :class:`commissioning.practice.services.RuleGateClosed` and nothing
    written. The document issued is fixed with its SHA-256, and the
    provider's administrators are e-mailed after the commit.
    """
    _require_commissioner(actor, agreement)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        _require_status(locked, AgreementStatus.DRAFT, message="Only a draft agreement can be issued")
        problems = issue_problems(locked)
        if problems:
            raise AgreementError({"": problems})
        gate_require(actor=actor, obj=locked, step=STEP_AGREEMENT_ISSUE)
        content = documents.document_json(locked)
        issued = transition(
            workflow=AGREEMENT_WORKFLOW,
            obj=locked,
            name="issue",
            actor=actor,
            changes={
                "document": content,
                "document_digest": hashlib.sha256(content.encode()).hexdigest(),
                "issued_at": clock.now(),
                "issued_by": actor,
            },
        )
        transaction.on_commit(lambda: notifications.agreement_issued(issued))
    return issued


def agreement_withdraw(*, actor, agreement: Agreement, reason: str) -> Agreement:
    """Take an issued agreement back to draft to correct it, before the provider accepts it, with the reason."""
    _require_commissioner(actor, agreement)
    reason = (reason or "").strip()
    if not reason:
        raise AgreementError.on("reason", "Say why the agreement is withdrawn")
    try:
        withdrawn = transition(
            workflow=AGREEMENT_WORKFLOW,
            obj=agreement,
            name="withdraw",
            actor=actor,
            changes={"document": "", "document_digest": "", "issued_at": None, "issued_by": None},
            reason=reason,
        )
    except TransitionError as error:
        raise AgreementError.on("", "Only an issued agreement that is not yet accepted can be withdrawn") from error
    transaction.on_commit(lambda: notifications.agreement_withdrawn(withdrawn, reason))
    return withdrawn


def agreement_accept(*, actor, agreement: Agreement, name: str, role: str, digest: str) -> Agreement:
    """The provider's authorised person accepts the issued agreement: the exact document with ``digest``.

    Guarantees: only one of the provider's administrators
    (``PermissionDenied``); only while issued, so once (a second acceptance
    is refused); only the document as issued (a digest that does not match
    is refused); the name and role are recorded with the time. The
    monitoring plan's returns and the payment schedule are written with the
    acceptance, in the same transaction.
    """
    if not is_authorised_for_provider(actor, agreement):
        raise PermissionDenied("Only the provider's administrators can accept its agreements")
    errors = {}
    name, role = (name or "").strip(), (role or "").strip()
    if not name:
        errors["name"] = ["Enter your full name"]
    if not role:
        errors["role"] = ["Enter your role, for example Chief Executive"]
    if errors:
        raise AgreementError(errors)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status == AgreementStatus.ACCEPTED:
            raise AgreementError.on("", "This agreement has already been accepted")
        _require_status(locked, AgreementStatus.ISSUED, message="Only an issued agreement can be accepted")
        if (digest or "").strip().lower() != locked.document_digest:
            raise AgreementError.on(
                "", "The agreement has changed since you opened it: read it again before you accept it"
            )
        accepted = transition(
            workflow=AGREEMENT_WORKFLOW,
            obj=locked,
            name="accept",
            actor=actor,
            changes={
                "accepted_at": clock.now(),
                "accepted_by": actor,
                "accepted_name": name,
                "accepted_role": role,
                "accepted_digest": locked.document_digest,
            },
        )
        plan_write(accepted)
        transaction.on_commit(lambda: notifications.agreement_accepted(accepted))
    return accepted


def plan_write(agreement: Agreement) -> None:
    """Write the returns the monitoring plan asks for and the payment schedule, once (kept if already there)."""
    values = monitoring_settings()
    closures = closure_days()
    if not agreement.returns.exists():
        MonitoringReturn.objects.bulk_create(
            MonitoringReturn(
                agreement=agreement,
                number=period.number,
                period_start=period.start,
                period_end=period.end,
                due_on=monitoring.return_due_on(period.end, int(values["return_due_working_days"]), closures),
            )
            for period in monitoring.periods(agreement.starts_on, agreement.ends_on, agreement.returns_per_year)
        )
    if not agreement.payments.exists():
        Payment.objects.bulk_create(
            Payment(agreement=agreement, number=item.number, due_on=item.due_on, amount=item.amount)
            for item in monitoring.payment_schedule(
                agreement.value,
                agreement.starts_on,
                agreement.ends_on,
                agreement.payment_interval_months,
                agreement.payment_basis,
            )
        )


def agreement_rule_explain(*, actor, agreement: Agreement, rule_code: str, reason: str, confirmer) -> Explanation:
    """A commissioner explains why a rule at the agreement's gate does not apply, for a colleague to confirm.

    Guarantees: only the agreement's commissioners, only while a draft, only
    a rule at this gate that is not met; the explanation is pending until
    ``confirmer`` confirms it, so issuing stays shut until then.
    """
    _require_commissioner(actor, agreement)
    if agreement.status != AgreementStatus.DRAFT:
        raise AgreementError.on("", "Rules are explained before the agreement is issued")
    code = str(rule_code or "").strip().upper()
    status = next((item for item in evaluate(agreement, STEP_AGREEMENT_ISSUE).items if item.rule.code == code), None)
    if status is None:
        raise AgreementError.on("rule", "Choose a rule of the Code that applies to issuing an agreement")
    if status.is_met:
        raise AgreementError.on("rule", f"{status.rule.code} is met: there is nothing to explain")
    return rule_explain(
        actor=actor,
        rule_code=status.rule.code,
        obj=agreement,
        body=commissioner_body_for(actor, agreement),
        reason=reason,
        confirmer=confirmer,
        step=STEP_AGREEMENT_ISSUE,
    )


def document_digest(content: str) -> str:
    """The SHA-256 of a document's exact text, as the provider's acceptance records it."""
    return hashlib.sha256(content.encode()).hexdigest()


def payment_terms_days() -> int:
    """The days within which an invoice is to be paid (Procurement Act 2023 s68 implies 30)."""
    return int(settings.CONTRACTS["payment_terms_days"])
