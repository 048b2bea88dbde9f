"""The demo's pipeline: a dozen plans by Leeds City Council and the ICB over the next 18 months.

From ideas to approved ones (the opportunities demo advertises one of them), one plan still a draft; a pair of
plans by the two bodies that overlap and are still to be co-ordinated (both
bodies see it); another pair co-ordinated as a joint commission; partners on
two plans; one plan resting on the young carers' needs assessment when the
needs demo has made it. Safe to run again: each plan is found by its title.
"""

from datetime import date, timedelta
from decimal import Decimal

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock
from commissioning.needs.models import Assessment, AssessmentStatus
from commissioning.records.models import ServiceArea

from . import services
from .models import Coordination, Overlap, Plan, PlanStatus

COUNCIL = ("Leeds City Council", "commissioner@leeds-council.example")
ICB = ("NHS West Yorkshire Integrated Care Board (Leeds place)", "commissioner@wy-icb.example")
ASSESSMENT_TITLE = "Young carers' needs in west Leeds"
ARMLEY, BEESTON, BRAMLEY, CHAPEL_ALLERTON = "E05011389", "E05011390", "E05011391", "E05011394"
HAREHILLS, GUISELEY, HUNSLET, KILLINGBECK, OTLEY = "E05011398", "E05011399", "E05011403", "E05011404", "E05011412"
FARNLEY, KIRKSTALL = "E05011396", "E05011406"

# body, title, outcome area, wards (empty: city-wide), value, funding, months to the advert, status, published
PLANS = [
    (
        COUNCIL,
        "Young carers' support in west Leeds",
        "carers-support",
        [ARMLEY, BRAMLEY],
        360_000,
        "grant",
        2,
        "planned",
        True,
    ),
    (
        ICB,
        "Young carers' health and wellbeing checks",
        "carers-support",
        [ARMLEY],
        180_000,
        "contract",
        3,
        "idea",
        True,
    ),
    (
        COUNCIL,
        "Community mental health drop-ins in south Leeds",
        "mental-health-and-wellbeing",
        [BEESTON, HUNSLET],
        450_000,
        "either",
        5,
        "planned",
        True,
    ),
    (
        ICB,
        "Peer support for mental wellbeing in Beeston",
        "mental-health-and-wellbeing",
        [BEESTON],
        300_000,
        "grant",
        6,
        "idea",
        True,
    ),
    (
        COUNCIL,
        "Debt and welfare advice in east Leeds",
        "advice-debt-and-welfare-rights",
        [HAREHILLS, KILLINGBECK],
        520_000,
        "contract",
        1,
        "approved",
        True,
    ),
    (COUNCIL, "Digital inclusion for older people", "digital-inclusion", [], 90_000, "grant", 8, "idea", False),
    (
        ICB,
        "Drug and alcohol recovery community hubs",
        "drug-and-alcohol-recovery",
        [],
        1_200_000,
        "contract",
        9,
        "planned",
        True,
    ),
    (
        COUNCIL,
        "Employment support for young people in Chapel Allerton",
        "employment-and-skills",
        [CHAPEL_ALLERTON],
        240_000,
        "grant",
        11,
        "idea",
        True,
    ),
    (
        ICB,
        "Housing support for people leaving hospital",
        "housing-and-homelessness-support",
        [],
        650_000,
        "contract",
        12,
        "idea",
        True,
    ),
    (
        COUNCIL,
        "Community transport to day centres in Wharfedale",
        "community-transport",
        [OTLEY, GUISELEY],
        150_000,
        "contract",
        14,
        "planned",
        True,
    ),
    (
        ICB,
        "Community health outreach in Harehills",
        "community-health-services",
        [HAREHILLS],
        400_000,
        "contract",
        16,
        "idea",
        True,
    ),
    # Approved here; the opportunities demo starts its grant round in the plan's record and publishes it,
    # which marks the plan advertised.
    (
        COUNCIL,
        "Young carers breaks and activities in west Leeds",
        "carers-support",
        [BRAMLEY, FARNLEY, KIRKSTALL],
        60_000,
        "grant",
        0,
        "approved",
        True,
    ),
]
PARTNERS = {
    "Debt and welfare advice in east Leeds": [
        ("Cross Gates Debt Advice", "scoping", "Mapped where people go for advice today"),
        ("Harehills Women's Centre", "design", "Co-designed outreach sessions with the women who use the centre"),
        ("Yorkshire Advocacy Services", "evaluation", "Will gather the views of people who use the service"),
    ],
    "Young carers breaks and activities in west Leeds": [
        ("Garforth & Kippax Carers Support", "scoping", "Shared what young carers in its groups ask for"),
        ("Leeds Voluntary Sector Forum", "design", "Tested the short application form with small groups"),
        ("Yorkshire Advocacy Services", "evaluation", "Will ask young carers what difference the breaks made"),
    ],
    "Young carers' support in west Leeds": [
        ("Armley Young Carers Project", "scoping", "Brought young carers to the scoping workshops"),
        ("Armley Young Carers Project", "design", "Young carers helped design the support offer"),
    ],
}


def _month(offset: int) -> date:
    today = clock.today()
    months = today.month - 1 + offset + 1  # the first of next month, then ``offset`` months on
    return date(today.year + months // 12, months % 12 + 1, 1)


def _people() -> dict:
    return {
        body: (Organisation.objects.get(name=body), User.objects.get(email=email)) for body, email in (COUNCIL, ICB)
    }


def _make(spec, people) -> Plan:
    (body, _email), title, area, wards, value, funding, months, _status, _published = spec
    organisation, commissioner = people[body]
    existing = Plan.objects.filter(record__title=title).first()
    if existing is not None:
        return existing
    advert = _month(months)
    start = advert + timedelta(days=120)
    assessment = None
    if title == "Young carers' support in west Leeds":
        assessment = Assessment.objects.filter(title=ASSESSMENT_TITLE, status=AssessmentStatus.COMPLETED).first()
    return services.plan_create(
        actor=commissioner,
        lead_body=organisation,
        data={
            "title": title,
            "summary": f"{title}: planned for the third sector to deliver.",
            "client_groups": "",
            "city_wide": not wards,
            "estimated_value": Decimal(value),
            "service_area": ServiceArea.objects.get(slug=area),
            "funding_type": funding,
            "expected_advert": advert,
            "expected_start": start,
            "expected_end": date(start.year + 3, start.month, 1) - timedelta(days=1),
            "contact_name": commissioner.full_name,
            "contact_email": commissioner.email,
        },
        ward_codes=wards,
        assessment=assessment if assessment is not None and assessment.body_id == organisation.pk else None,
    )


def _partners(plan: Plan, commissioner) -> None:
    named = {(p.organisation.name, p.stage) for p in plan.partners.select_related("organisation")}
    for name, stage, what in PARTNERS.get(plan.record.title, []):
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None or not organisation.is_third_sector or (name, stage) in named:
            continue
        services.partner_add(actor=commissioner, plan=plan, organisation=organisation, stage=stage, involvement=what)


def _move(plan: Plan, status: str, commissioner) -> None:
    if status == "planned" and plan.status == PlanStatus.IDEA:
        services.plan_mark_planned(actor=commissioner, plan=plan)
    elif status == "approved" and plan.status in (PlanStatus.IDEA, PlanStatus.PLANNED):
        services.plan_approve(actor=commissioner, plan=plan)
    elif status == "advertised":
        services.plan_mark_advertised(plan.record, actor=commissioner)


def load() -> list[dict]:
    """Make the pipeline once, as the two bodies' commissioners. Adds no accounts."""
    people = _people()
    for spec in PLANS:
        commissioner = people[spec[0][0]][1]
        plan = _make(spec, people)
        _partners(plan, commissioner)
        if spec[8]:
            plan = services.plan_publish(actor=commissioner, plan=plan)
        _move(Plan.objects.get(pk=plan.pk), spec[7], commissioner)
    joint = Overlap.objects.filter(
        first__record__title="Community mental health drop-ins in south Leeds",
        second__record__title="Peer support for mental wellbeing in Beeston",
        resolved_at__isnull=True,
    ).first()
    if joint is not None:
        services.overlap_resolve(
            actor=people[ICB[0]][1],
            overlap=joint,
            coordination=Coordination.JOINT,
            note="The council and the ICB will commission one programme of drop-ins and peer support together.",
        )
    return []
