"""Demo agreements, told through the services at the moments they happened.

- "Home from hospital" (the council's tender awarded five weeks ago): its
  agreement was drafted when the standstill ended, given its KPIs, issued the
  next working day and accepted by Seacroft Digital's administrator two days
  later; it runs from the service start.
- "Digital inclusion after a hospital stay" (the ICB's grant made outside a
  round to the same provider, fourteen months ago, paid quarterly in advance):
  running, with quarterly returns, more than its tier allows, explained and
  confirmed (CM-1). Seacroft Digital sees both agreements, from two
  commissioners, on one calendar.
- "Young carers' wellbeing sessions": its standstill is still running, so its
  agreement is drafted by the clock once it ends.
- "Young carers' short breaks" (the council's direct award to Armley Young
  Carers Project): issued, waiting for the provider's acceptance.
- Variations: the ICB's inflation uplift of the digital inclusion grant,
  proposed three weeks ago and approved by its head of commissioning; the
  council's six-month extension of home from hospital, proposed yesterday and
  waiting for the council's head of commissioning to decide.

Each story runs inside ``clock.replaying``; an agreement is found by its
title, so loading again makes nothing twice.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock
from commissioning.core.models import Ward
from commissioning.core.workdays import add_working_days
from commissioning.evaluation import demo as evaluation_demo
from commissioning.evaluation.models import Evaluation
from commissioning.opportunities.demo import COUNCIL, ICB
from commissioning.practice.services import explanation_confirm
from commissioning.records import services as record_services
from commissioning.records.models import CommissioningRecord, ServiceArea

from . import assessments, beneficiaries, inflation, monitoring, payments, returns, services, sharing, variations
from .models import Agreement, Origin, Rating, ReturnStatus

COUNCIL_COMMISSIONER = "commissioner@leeds-council.example"
COUNCIL_APPROVER = "head-of-commissioning@leeds-council.example"
ICB_COMMISSIONER = "commissioner@wy-icb.example"
ICB_APPROVER = "head-of-commissioning@wy-icb.example"
SEACROFT_ADMIN = "admin@seacroft-digital.example"
ARMLEY_ADMIN = "admin@armley-carers.example"

DIGITAL_INCLUSION = "Digital inclusion after a hospital stay"
SHORT_BREAKS = "Young carers' short breaks"
DROP_INS = "Digital drop-ins at Seacroft library"


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), clock.LONDON)


def _provider_of(email: str) -> Organisation:
    return next(m.organisation for m in _user(email).memberships.select_related("organisation"))


def _record(title: str, summary: str, lead: str, commissioner: User, start: date, end: date) -> CommissioningRecord:
    existing = CommissioningRecord.objects.filter(title=title).first()
    if existing:
        return existing
    return record_services.record_create(
        actor=commissioner,
        lead_body=Organisation.objects.get(name=lead),
        data={"title": title, "summary": summary, "expected_start": start, "expected_end": end},
    )


def _home_from_hospital() -> Agreement | None:
    """Draft at the standstill's end, KPIs, issue the next working day, acceptance two days later."""
    evaluation = (
        Evaluation.objects.filter(opportunity__title=evaluation_demo.HOME_FROM_HOSPITAL)
        .select_related("opportunity")
        .first()
    )
    if evaluation is None or evaluation.standstill_ends is None or evaluation.standstill_ends > clock.now():
        return None
    existing = Agreement.objects.filter(opportunity=evaluation.opportunity).first()
    if existing:
        return existing
    commissioner = _user(COUNCIL_COMMISSIONER)
    with clock.replaying(evaluation.standstill_ends + timedelta(hours=9)):
        (agreement,) = services.agreements_draft_from_award(actor=None, evaluation=evaluation)
        agreement = services.agreement_update(
            actor=commissioner,
            agreement=agreement,
            department="Adults and Health",
            review_on=monitoring.add_months(agreement.starts_on, 12),
            extension_months=12,
            extension_terms="May be extended once, by up to 12 months, on the same terms.",
        )
        for name, target, unit in (
            ("People supported in their first six weeks home", Decimal("400"), "people"),
            ("People not readmitted within 30 days", Decimal("85"), "%"),
        ):
            services.measure_save(actor=commissioner, agreement=agreement, name=name, target=target, unit=unit)
    issue_day = add_working_days(clock.london(evaluation.standstill_ends).date(), 1)
    with clock.replaying(_at(issue_day)):
        agreement = services.agreement_issue(actor=commissioner, agreement=agreement)
    with clock.replaying(_at(add_working_days(issue_day, 2), 15)):
        agreement = services.agreement_accept(
            actor=_user(SEACROFT_ADMIN),
            agreement=agreement,
            name="Jo Whitaker",
            role="Chief Executive",
            digest=agreement.document_digest,
        )
    return agreement


def _digital_inclusion() -> Agreement:
    """The ICB's grant made outside a round, fourteen months ago: quarterly returns, explained (CM-1)."""
    existing = Agreement.objects.filter(title=DIGITAL_INCLUSION).first()
    if existing:
        return existing
    commissioner, approver = _user(ICB_COMMISSIONER), _user(ICB_APPROVER)
    made = clock.today() - timedelta(days=440)
    starts_on = date(made.year, made.month, 1) + timedelta(days=31)
    starts_on = date(starts_on.year, starts_on.month, 1)
    ends_on = services.term_end(starts_on, 24)
    with clock.replaying(_at(made)):
        record = _record(
            DIGITAL_INCLUSION,
            "Devices, data and a patient volunteer for people going home from hospital without the internet",
            ICB,
            commissioner,
            starts_on,
            ends_on,
        )
        agreement = services.agreement_create(
            actor=commissioner,
            record=record,
            commissioner=Organisation.objects.get(name=ICB),
            provider=_provider_of(SEACROFT_ADMIN),
            kind="grant",
            origin=Origin.GRANT_OUTSIDE_ROUND,
            origin_reason=(
                "A two-year pilot funded from the ICB's health inequalities money; Seacroft Digital is the only "
                "provider lending devices to hospital patients in Leeds, as the market engagement in the spring found."
            ),
            title=DIGITAL_INCLUSION,
            description=(
                "Lend a tablet with data to people going home from hospital who are not online, and help them "
                "use it for appointments, prescriptions and keeping in touch."
            ),
            service_area=ServiceArea.objects.get(slug="digital-inclusion"),
            outcomes="People can manage appointments online\nFewer missed outpatient appointments",
            department="Leeds Health and Care Partnership",
            value=Decimal("120000.00"),
            starts_on=starts_on,
            ends_on=ends_on,
            payment_interval_months=3,
            returns_per_year=4,
            coordination_note=(
                "Seacroft Digital also holds the council's home from hospital contract: the two commissioners "
                "read each other's returns, and agree one return a year covering both."
            ),
        )
        # Not a contract over the Procurement Act's KPI threshold, but the ICB's board asked for a yearly
        # assessment of the pilot against its KPIs, as the Act asks of larger contracts.
        agreement = services.agreement_update(
            actor=commissioner, agreement=agreement, needs_performance_assessment=True, returns_per_year=4
        )
        for name, target, unit in (
            ("Tablets lent", Decimal("300"), "tablets"),
            ("People still online three months later", Decimal("70"), "%"),
        ):
            services.measure_save(actor=commissioner, agreement=agreement, name=name, target=target, unit=unit)
        explanation = services.agreement_rule_explain(
            actor=commissioner,
            agreement=agreement,
            rule_code="CM-1",
            reason=(
                "A pilot: the board asked for quarterly returns in the first two years to learn quickly; "
                "Seacroft Digital agreed, and each return is short."
            ),
            confirmer=approver,
        )
    with clock.replaying(_at(made, 14)):
        explanation_confirm(actor=approver, explanation=explanation)
        agreement = services.agreement_issue(actor=commissioner, agreement=agreement)
    with clock.replaying(_at(add_working_days(made, 3), 11)):
        agreement = services.agreement_accept(
            actor=_user(SEACROFT_ADMIN),
            agreement=agreement,
            name="Jo Whitaker",
            role="Chief Executive",
            digest=agreement.document_digest,
        )
    return agreement


def _return_data(agreement: Agreement, people: int, period: int) -> dict:
    """A return that adds up: ``people`` reached across four wards, each characteristic and two communities."""
    wards = [w.code for w in Ward.objects.filter(name__in=WARD_NAMES).order_by("name")]
    data = {
        "measure_1_actual": str(60 + 8 * period),
        "measure_1_note": "Tablets lent in the quarter",
        "measure_2_actual": str(64 + period),
        "measure_2_note": "Of those lent a tablet three months before",
        "narrative": NARRATIVES[(period - 1) % len(NARRATIVES)],
        "spend_budget": "15,000",
        "spend_actual": f"{14_200 + 150 * period:,}",
        "people_reached": str(people),
    }
    shares = _split(people, len(wards))
    data.update({f"ward_{code}": str(n) for code, n in zip(wards, shares, strict=True)})
    for characteristic, cats in returns.categories().items():
        counts = _split(people, min(3, len(cats)))
        for category, n in zip([cats[0], cats[1], cats[-1]][: len(counts)], counts, strict=True):
            data[f"{characteristic}__{category.key}"] = str(n)
    communities = returns.communities()
    data[f"community__{communities[0].key}"] = str(max(people // 10, 1))
    data[f"community__{communities[4].key}"] = str(max(people // 8, 1))
    return data


def _split(total: int, parts: int) -> list[int]:
    """``total`` in ``parts`` that add up to it exactly, larger first."""
    base, left = divmod(total, parts)
    return [base + (1 if i < left else 0) for i in range(parts)]


def _monitoring(agreement: Agreement) -> None:
    """A year of the grant: returns in each state, payments on time and late, feedback with a response."""
    if agreement.returns.exclude(status=ReturnStatus.NOT_STARTED).exists():
        return
    provider, commissioner = _user(SEACROFT_ADMIN), _user(ICB_COMMISSIONER)
    today = clock.today()
    ended = [r for r in agreement.returns.order_by("number") if r.period_end < today]
    plan = {1: ["accept"], 2: ["query", "accept"], 3: ["query"], 4: []}
    for r in ended[:4]:
        submitted_on = r.due_on - timedelta(days=3)
        with clock.replaying(_at(submitted_on, 11)):
            r = returns.return_submit(
                actor=provider, monitoring_return=r, data=_return_data(agreement, 40 + 6 * r.number, r.number)
            )
        for step, outcome in enumerate(plan[r.number]):
            with clock.replaying(_at(submitted_on + timedelta(days=4 + 6 * step), 15)):
                note = QUERIES[r.number % len(QUERIES)] if outcome == "query" else ""
                returns.return_review(
                    actor=commissioner,
                    monitoring_return=r,
                    outcome="queried" if outcome == "query" else "accepted",
                    note=note,
                )
            if outcome == "query" and step + 1 < len(plan[r.number]):
                r.refresh_from_db()
                with clock.replaying(_at(submitted_on + timedelta(days=7 + 6 * step), 10)):
                    r = returns.return_submit(
                        actor=provider, monitoring_return=r, data={"narrative": ANSWER + " " + r.draft["narrative"]}
                    )
    current = agreement.returns.filter(period_start__lte=today, period_end__gte=today).first()
    if current is not None:
        returns.return_save(
            actor=provider,
            monitoring_return=current,
            data={"narrative": "Half way through the quarter: 31 tablets lent so far.", "measure_1_actual": "31"},
        )
    _payments(agreement, today)
    _feedback(agreement)


def _payments(agreement: Agreement, today: date) -> None:
    """Quarterly in advance: most paid within the terms, one 45 days after its claim, the latest still unpaid."""
    commissioner = _user(ICB_COMMISSIONER)
    days = [9, 12, 45, 20]
    due = [p for p in agreement.payments.order_by("number") if p.due_on <= today]
    for payment, taken in zip(due, days, strict=False):
        paid_on = payment.due_on + timedelta(days=taken)
        with clock.replaying(_at(paid_on, 16)):
            payments.payment_record(
                actor=commissioner,
                payment=payment,
                invoice_received_on=payment.due_on,
                paid_on=paid_on,
                invoice_reference=f"SDI-{payment.due_on:%Y%m}",
            )
    for payment in due[len(days) :]:
        with clock.replaying(_at(payment.due_on, 9)):
            payments.payment_record(
                actor=commissioner,
                payment=payment,
                invoice_received_on=payment.due_on,
                invoice_reference=f"SDI-{payment.due_on:%Y%m}",
            )


def _feedback(agreement: Agreement) -> None:
    """What people who borrowed a tablet said through the service's page, and Seacroft Digital's response."""
    for days_ago, text, rating, name, contact in FEEDBACK:
        moment = clock.now() - timedelta(days=days_ago)
        with clock.replaying(moment - timedelta(minutes=4)):
            stamp = beneficiaries.form_stamp(agreement)
        with clock.replaying(moment):
            item = beneficiaries.feedback_give(
                agreement=agreement,
                text=text,
                rating=rating,
                name=name,
                contact=contact,
                stamp=stamp,
                client=f"demo-{days_ago}",
            )
    with clock.replaying(clock.now() - timedelta(days=FEEDBACK[-1][0] - 2)):
        beneficiaries.feedback_respond(
            actor=_user(SEACROFT_ADMIN),
            feedback=item,
            response="Thank you. We now lend a stand and a large-print guide with every tablet, and call after a week.",
        )


WARD_NAMES = ["Armley", "Burmantofts & Richmond Hill", "Gipton & Harehills", "Killingbeck & Seacroft"]
NARRATIVES = [
    "We lent tablets to people leaving St James's and the LGI, set them up at home and showed them the NHS App.",
    "A volunteer now visits the discharge lounge twice a week; more people were lent a tablet before going home.",
    "We started a weekly drop-in at Seacroft library for people who borrowed a tablet and want more help.",
    "Fewer people needed a home visit: most were confident after one session and a phone call a week later.",
]
QUERIES = [
    "Thank you. Could you say how many of the people reached were referred by the wards, and how many found you?",
    "The spend is under budget: is anything held back for the winter?",
]
ANSWER = "About two in three were referred from the wards; the rest came through the library drop-ins."
FEEDBACK = [
    (200, "I had no idea how to book my appointments online. Now I can, and I can see my letters.", 5, "", ""),
    (120, "The volunteer was patient and kind. The tablet was a bit heavy for me to hold.", 4, "Margaret", ""),
    (60, "Very good service. I video call my grandchildren now.", 5, "", ""),
    (20, "I struggled to read the screen and nobody called back for two weeks.", 2, "Ken", "0113 496 0000"),
]


def _short_breaks() -> Agreement:
    """The council's direct award to Armley Young Carers Project, issued yesterday and waiting for acceptance."""
    existing = Agreement.objects.filter(title=SHORT_BREAKS).first()
    if existing:
        return existing
    commissioner = _user(COUNCIL_COMMISSIONER)
    issued = add_working_days(clock.today() - timedelta(days=3), 1)
    starts_on = date(clock.today().year + (1 if clock.today().month == 12 else 0), clock.today().month % 12 + 1, 1)
    ends_on = services.term_end(starts_on, 12)
    with clock.replaying(_at(issued - timedelta(days=2))):
        record = _record(
            SHORT_BREAKS,
            "Short breaks in the school holidays for young carers in west Leeds",
            COUNCIL,
            commissioner,
            starts_on,
            ends_on,
        )
        agreement = services.agreement_create(
            actor=commissioner,
            record=record,
            commissioner=Organisation.objects.get(name=COUNCIL),
            provider=_provider_of(ARMLEY_ADMIN),
            kind="contract",
            origin=Origin.DIRECT_AWARD,
            origin_reason=(
                "Below the council's threshold for competition (£25,000), and the only young carers' service in "
                "Armley: a direct award under the contract procedure rules."
            ),
            title=SHORT_BREAKS,
            description="Four short breaks a year for young carers aged 8 to 18, with transport.",
            service_area=ServiceArea.objects.get(slug="carers-support"),
            department="Children and Families",
            value=Decimal("18000.00"),
            starts_on=starts_on,
            ends_on=ends_on,
            payment_interval_months=6,
        )
    with clock.replaying(_at(issued)):
        agreement = services.agreement_issue(actor=commissioner, agreement=agreement)
    return agreement


def _assessment(agreement: Agreement) -> None:
    """The grant's first year assessed from its accepted returns, two weeks ago: one KPI's rating changed."""
    if agreement.assessments.exists():
        return
    start = agreement.starts_on
    end = monitoring.add_months(start, 12) - timedelta(days=1)
    on = clock.today() - timedelta(days=14)
    if end >= on:
        return
    with clock.replaying(_at(on, 11)):
        assessments.assessment_record(
            actor=_user(ICB_COMMISSIONER),
            agreement=agreement,
            period_start=start,
            period_end=end,
            # The tablets' target is for a year, not a quarter: on course at the half-year, so not rated against it.
            measure_ratings={1: Rating.OTHER, 2: Rating.APPROACHING},
            rating=Rating.APPROACHING,
            note=(
                "Tablets lent: the target of 300 is for the year, and 144 were lent in the two quarters accepted so "
                "far, so it is on course; rated Other until the year's returns are in.\n"
                "People still online three months later is just below the 70% sought. Seacroft Digital will add a "
                "follow-up call at six weeks; we will look at it again at the next assessment."
            ),
        )


def _drop_ins(grant: Agreement) -> Agreement | None:
    """A small council grant to Seacroft Digital for library drop-ins, from three months before the ICB's
    latest submitted return's period, with two returns a year: its first is for the same time as that one."""
    existing = Agreement.objects.filter(title=DROP_INS).first()
    if existing:
        return existing
    covering = grant.returns.filter(status=ReturnStatus.SUBMITTED).order_by("number").last()
    if covering is None:
        return None
    commissioner = _user(COUNCIL_COMMISSIONER)
    starts_on = monitoring.add_months(covering.period_start, -3)
    ends_on = services.term_end(starts_on, 12)
    made = starts_on - timedelta(days=30)
    with clock.replaying(_at(made)):
        record = _record(
            DROP_INS, "Weekly digital drop-ins at Seacroft library", COUNCIL, commissioner, starts_on, ends_on
        )
        agreement = services.agreement_create(
            actor=commissioner,
            record=record,
            commissioner=Organisation.objects.get(name=COUNCIL),
            provider=_provider_of(SEACROFT_ADMIN),
            kind="grant",
            origin=Origin.GRANT_OUTSIDE_ROUND,
            origin_reason="A small grant from the council's community hubs budget to carry on the ICB pilot's drop-ins.",
            title=DROP_INS,
            description="A weekly drop-in at Seacroft library for people who want help getting online.",
            service_area=ServiceArea.objects.get(slug="digital-inclusion"),
            department="Communities, Housing and Environment",
            value=Decimal("30000.00"),
            starts_on=starts_on,
            ends_on=ends_on,
            payment_basis="advance",
            payment_interval_months=6,
            coordination_note=(
                "Seacroft Digital reports the drop-ins to the ICB too: we agree a shared return with the ICB for "
                "each period its quarterly return covers."
            ),
        )
        services.measure_save(
            actor=commissioner, agreement=agreement, name="Tablets lent", target=Decimal("100"), unit="tablets"
        )
    with clock.replaying(_at(made, 14)):
        agreement = services.agreement_issue(actor=commissioner, agreement=agreement)
    with clock.replaying(_at(add_working_days(made, 2), 11)):
        agreement = services.agreement_accept(
            actor=_user(SEACROFT_ADMIN),
            agreement=agreement,
            name="Jo Whitaker",
            role="Chief Executive",
            digest=agreement.document_digest,
        )
    return agreement


def _shared_return(contract: Agreement | None, grant: Agreement) -> None:
    """The council's first drop-ins return covered by the ICB's submitted return for the same time: proposed by
    the council's commissioner, agreed by the ICB's (CM-3)."""
    if contract is None or contract.status != "accepted" or contract.returns.exclude(covered_by=None).exists():
        return
    for own in contract.returns.filter(status__in=sharing.COVERABLE).order_by("number"):
        candidates = list(sharing.share_candidates(own).filter(agreement=grant))
        if candidates:
            break
    else:
        return
    today = clock.today()
    with clock.replaying(_at(today - timedelta(days=2), 10)):
        own = sharing.share_propose(actor=_user(COUNCIL_COMMISSIONER), monitoring_return=own, covering=candidates[-1])
    with clock.replaying(_at(today - timedelta(days=1), 15)):
        sharing.share_agree(actor=_user(ICB_COMMISSIONER), monitoring_return=own)


def _uplift(agreement: Agreement) -> None:
    """The ICB's inflation uplift of the grant, proposed three weeks ago and approved by its head of commissioning."""
    if agreement.variations.exists():
        return
    commissioner, approver = _user(ICB_COMMISSIONER), _user(ICB_APPROVER)
    proposed_on = clock.today() - timedelta(days=21)
    with clock.replaying(_at(proposed_on)):
        against = inflation.against_inflation(agreement, agreement.value)
        latest = inflation.rates_by_year()
        percent = against.uplift_percent or latest[max(latest)].rate
        uplift = variations.variation_propose(
            actor=commissioner,
            agreement=agreement,
            kind="uplift",
            uplift_percent=percent,
            reason=(
                f"The board's policy is to keep pilots' value against inflation: {against.sentence}. "
                "The uplift applies to the instalments still to pay."
            ),
        )
    with clock.replaying(_at(add_working_days(proposed_on, 2), 14)):
        variations.variation_decide(
            actor=approver, variation=uplift, approve=True, note="Within the health inequalities budget"
        )


def _term_change(agreement: Agreement | None) -> None:
    """The council's proposed six-month extension of home from hospital, waiting for its head of commissioning."""
    if agreement is None or agreement.variations.exists():
        return
    with clock.replaying(_at(clock.today() - timedelta(days=1), 11)):
        variations.variation_propose(
            actor=_user(COUNCIL_COMMISSIONER),
            agreement=agreement,
            kind="term",
            new_ends_on=monitoring.add_months(agreement.ends_on, 6),
            reason=(
                "The new integrated discharge service starts six months later than planned; extending keeps people "
                "supported home until it does, on the same terms (the contract allows up to 12 months)."
            ),
        )


def load() -> list[dict]:
    """Tell the demo agreements (idempotent). Adds no accounts."""
    with transaction.atomic():
        _term_change(_home_from_hospital())
        grant = _digital_inclusion()
        _monitoring(grant)
        _assessment(grant)
        _uplift(grant)
        _shared_return(_drop_ins(grant), grant)
        _short_breaks()
    return []
