"""Opportunities in each state, built through the services as a commissioner would."""

from datetime import timedelta
from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
from commissioning.core import clock
from commissioning.core.workdays import add_working_days
from commissioning.opportunities import services
from commissioning.planning import appraisals
from commissioning.practice.services import explanation_confirm
from commissioning.records.models import ServiceArea


def commissioner_at(body=None):
    return person_with_role(Role.COMMISSIONER, body or CommissionerOrgFactory())


def draft(commissioner=None, *, value=Decimal(80_000), kind="tender", lots=2, questions=None, **overrides):
    """A complete draft that meets every Code rule at publishing, unless ``overrides`` say otherwise."""
    commissioner = commissioner or commissioner_at()
    body = commissioner.memberships.get(role=Role.COMMISSIONER).organisation
    now = clock.now()
    deadline_day = add_working_days(clock.today(), 30)
    deadline = clock.london(now).replace(
        year=deadline_day.year,
        month=deadline_day.month,
        day=deadline_day.day,
        hour=12,
        minute=0,
        second=0,
        microsecond=0,
    )
    award = add_working_days(deadline_day, 15)
    data = {
        "kind": kind,
        "title": "Community mental health peer support",
        "summary": "Peer support groups for adults with mental health needs in east Leeds.",
        "description": "We want peer-led groups that meet weekly.",
        "service_area": ServiceArea.objects.get(slug="mental-health-and-wellbeing"),
        "city_wide": False,
        "outcomes": "Fewer people in crisis\nMore people connected to their community",
        "total_value": value,
        "value_includes_vat": True,
        "duration_months": 24,
        "regime": "grant" if kind == "grant" else "below_threshold",
        "question_deadline": deadline - timedelta(days=10),
        "submission_deadline": deadline,
        "expected_award": award,
        "service_start": add_working_days(award, 25),
        "price_weight": Decimal(0) if kind == "grant" else Decimal(30),
        "price_method": "none" if kind == "grant" else "lowest_proportional",
        "social_value_ambitions_referenced": True,
        "compact_clause_in_terms": True,
    }
    data.update({k: v for k, v in overrides.items() if k in services.DRAFT_FIELDS})
    opportunity = services.opportunity_create(
        actor=commissioner, lead_commissioner=body, data=data, ward_codes=overrides.get("ward_codes", ["E05011398"])
    )
    per_lot = (Decimal(value) / max(lots, 1)).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
    for n in range(lots):
        lot = {"title": f"Lot {n + 1}", "value": per_lot}
        if kind == "grant":
            lot.update(pricing="max_award", max_award=min(per_lot, Decimal(10_000)))
        else:
            lot.update(pricing="floor", floor_price=(per_lot * Decimal("0.7")).quantize(Decimal("0.01")))
        services.lot_save(actor=commissioner, opportunity=opportunity, data=lot, ward_codes=["E05011398"])
    quality_total = Decimal(90) if kind == "grant" else Decimal(60)
    for spec in questions or [
        {
            "kind": "quality",
            "text": "How will you reach people who do not use services now?",
            "word_limit": 500,
            "weight": quality_total / 2,
        },
        {
            "kind": "quality",
            "text": "How will you involve people with lived experience?",
            "word_limit": 500,
            "weight": quality_total / 2,
        },
        {
            "kind": "social_value",
            "text": "What social value will you add in Leeds?",
            "word_limit": 300,
            "weight": Decimal(10),
        },
    ]:
        services.question_save(actor=commissioner, opportunity=opportunity, data=spec)
    services.event_save(
        actor=commissioner,
        opportunity=opportunity,
        data={
            "title": "Meet the buyer",
            "starts_at": now + timedelta(days=7),
            "ends_at": now + timedelta(days=7, hours=2),
            "mode": "online",
            "link": "https://meet.example.org/leeds",
            "capacity": 40,
        },
    )
    appraise(commissioner, opportunity.record)
    opportunity.refresh_from_db()
    return opportunity


def appraise(commissioner, record, *, choose=True):
    """An options appraisal of ``record`` that meets PL-2: a grant and a contract weighed, the grant chosen."""
    options = [
        appraisals.option_save(
            actor=commissioner,
            record=record,
            data={
                "kind": kind,
                "description": description,
                "value": Decimal(80_000),
                "length_months": 24,
                "contracts": contracts,
                "funding_type": kind,
                "benefits": "Reaches the groups people already use",
                "risks": "Gaps where no group applies",
                "costs": "",
            },
        )
        for kind, description, contracts in (("grant", "Grants to local groups", 4), ("contract", "One contract", 1))
    ]
    if choose:
        appraisals.appraisal_choose(
            actor=commissioner, record=record, option_id=options[0].pk, rationale="Small groups can apply"
        )
    return options


def published(commissioner=None, **kwargs):
    commissioner = commissioner or commissioner_at()
    opportunity = draft(commissioner, **kwargs)
    return services.opportunity_publish(actor=commissioner, opportunity=opportunity)


def colleague_of(commissioner):
    """Another commissioner of ``commissioner``'s body: the second person who confirms an explanation."""
    return commissioner_at(commissioner.memberships.get(role=Role.COMMISSIONER).organisation)


def explain_pending(commissioner, opportunity, code, reason="Agreed with the Third Sector Partnership", confirmer=None):
    """An explanation of rule ``code`` for a draft, waiting for ``confirmer`` (a colleague) to confirm it."""
    return services.opportunity_rule_explain(
        actor=commissioner,
        opportunity=opportunity,
        rule_code=code,
        reason=reason,
        confirmer=confirmer or colleague_of(commissioner),
    )


def explain(commissioner, opportunity, code, reason="Agreed with the Third Sector Partnership"):
    """An explanation of rule ``code`` for a draft, written and then confirmed by a colleague."""
    confirmer = colleague_of(commissioner)
    explanation = explain_pending(commissioner, opportunity, code, reason, confirmer=confirmer)
    return explanation_confirm(actor=confirmer, explanation=explanation)
