"""The demo's needs assessments: young carers in west Leeds, and loneliness among older people in east Leeds.

Both are left as drafts by Leeds City Council's commissioner. The young
carers' assessment has evidence from the council, the ICB and two
charities, ward figures for two indicators over two years, and a
lived-experience panel of young carers (the reviews' demo, which runs after
this one, publishes it for comment and then completes it). The loneliness
assessment has evidence from the public body only, so NA-1 is not met yet.
Safe to run again: each assessment is found by its title.
"""

from datetime import date, timedelta
from decimal import Decimal

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock
from commissioning.records.models import ServiceArea

from . import services
from .models import Assessment, Sector

COMMISSIONER = "commissioner@leeds-council.example"
COUNCIL = "Leeds City Council"
ICB = "NHS West Yorkshire Integrated Care Board (Leeds place)"
ARMLEY_PROJECT = "Armley Young Carers Project"
CARERS_CHARITY = "Garforth & Kippax Carers Support"

YOUNG_CARERS = {
    "title": "Young carers' needs in west Leeds",
    "question": (
        "How many children and young people in west Leeds care for someone at home, how many are known to "
        "services, and what support would help them stay well and keep up at school?"
    ),
    "findings": (
        "Far more young carers live in west Leeds than are known to services: schools and GPs identify "
        "fewer than one in three.\n"
        "Young carers told us they most want regular breaks, someone to talk to who understands, and "
        "teachers who know."
    ),
    "needs_identified": (
        "Regular breaks from caring, including in the school holidays\n"
        "One-to-one support from someone who understands caring\n"
        "A named young carers lead in every school\n"
        "Earlier identification by GPs and schools"
    ),
}
WEST_WARDS = [
    "E05011389",
    "E05011391",
    "E05011406",
    "E05011396",
]  # Armley, Bramley & Stanningley, Kirkstall, Farnley & Wortley

LONELINESS = {
    "title": "Loneliness among older people in east Leeds",
    "question": "Which older people in east Leeds are lonely or isolated, and what keeps them from company and help?",
    "findings": "",
    "needs_identified": "",
}
EAST_WARDS = ["Killingbeck & Seacroft", "Cross Gates & Whinmoor", "Gipton & Harehills", "Temple Newsam"]

# ward code: (young carers known to services, estimated young carers) for two years
FIGURES = {
    "E05011389": ((41, 45), (160, 165)),
    "E05011391": ((28, 33), (120, 124)),
    "E05011406": ((19, 22), (95, 97)),
    "E05011396": ((24, 26), (130, 133)),
}


def _days_ago(days: int) -> date:
    return clock.today() - timedelta(days=days)


def _young_carers(commissioner: User, council: Organisation) -> None:
    assessment = services.assessment_create(
        actor=commissioner,
        body=council,
        data=YOUNG_CARERS | {"service_area": ServiceArea.objects.get(slug="carers-support")},
        ward_codes=WEST_WARDS,
    )
    for source, sector, days, link, shows in (
        (
            COUNCIL,
            Sector.PUBLIC_BODY,
            200,
            "https://observatory.leeds.gov.uk/young-carers",
            "Children's services know 112 young carers in the four wards; the census suggests over 500.",
        ),
        (
            "NHS West Yorkshire ICB",
            Sector.PUBLIC_BODY,
            150,
            "https://www.westyorkshire.icb.nhs.uk/leeds/carers",
            "Few GP practices in west Leeds flag young carers on their records.",
        ),
        (
            ARMLEY_PROJECT,
            Sector.THIRD_SECTOR,
            120,
            "https://armley-carers.example/what-young-carers-told-us",
            "Of 60 young carers it supports, 38 say caring makes them late for or miss school.",
        ),
        (
            CARERS_CHARITY,
            Sector.THIRD_SECTOR,
            90,
            "https://garforth-kippax-carers.example/young-carers-survey",
            "Young carers who get a break at least monthly report better wellbeing a year on.",
        ),
    ):
        services.evidence_add(
            actor=commissioner,
            assessment=assessment,
            data={"source": source, "sector": sector, "dated": _days_ago(days), "link": link, "shows": shows},
        )
    last = clock.today().year - 1
    for code, (known, estimated) in FIGURES.items():
        for index, year in enumerate((last - 1, last)):
            for indicator, values in (
                ("Young carers known to services", known),
                ("Estimated young carers (census-based)", estimated),
            ):
                services.ward_figure_add(
                    actor=commissioner,
                    assessment=assessment,
                    ward_code=code,
                    indicator=indicator,
                    year=year,
                    value=Decimal(values[index]),
                )
    services.coproduction_add(
        actor=commissioner,
        assessment=assessment,
        data={
            "kind": "lived_experience_panel",
            "title": "Young carers' lived-experience panel",
            "held_on": _days_ago(60),
            "participants": 14,
            "communities": "Young carers aged 11 to 17 from Armley, Bramley, Kirkstall and Farnley",
            "what_changed": (
                "Breaks in the school holidays became the first need, and a named lead in every school was "
                "added to the needs identified."
            ),
        },
        organisations=list(Organisation.objects.filter(name__in=[ARMLEY_PROJECT, CARERS_CHARITY])),
    )


def _loneliness(commissioner: User, council: Organisation) -> None:
    assessment = services.assessment_create(
        actor=commissioner,
        body=council,
        data=LONELINESS | {"service_area": ServiceArea.objects.get(slug="older-people")},
        ward_codes=EAST_WARDS,
    )
    services.evidence_add(
        actor=commissioner,
        assessment=assessment,
        data={
            "source": COUNCIL,
            "sector": Sector.PUBLIC_BODY,
            "dated": _days_ago(45),
            "link": "https://observatory.leeds.gov.uk/older-people",
            "shows": "One in four people over 75 in these wards lives alone; adult social care sees most only in a crisis.",
        },
    )


def load() -> list[dict]:
    """Write the two draft assessments once, as the council's commissioner. Adds no accounts."""
    commissioner = User.objects.get(email=COMMISSIONER)
    council = Organisation.objects.get(name=COUNCIL)
    if not Assessment.objects.filter(title=YOUNG_CARERS["title"]).exists():
        _young_carers(commissioner, council)
    if not Assessment.objects.filter(title=LONELINESS["title"]).exists():
        _loneliness(commissioner, council)
    return []
