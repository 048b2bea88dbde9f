"""Demo organisations and people. Names are fictional; wards and registers are real.

Leeds City Council and NHS West Yorkshire Integrated Care Board (Leeds place)
commission; 28 fictional providers cover every size band, legal form and many
wards; one person holds each role. Every demo account shares one password and
has a known API token, both printed by ``make demo``.
"""

from decimal import Decimal

from commissioning.core.models import Ward

from . import services
from .models import (
    Membership,
    Organisation,
    OrganisationIdentifier,
    OrganisationStatus,
    Role,
    Side,
    User,
)

DEMO_PASSWORD = "leeds-demo-2026"

COMMISSIONERS = [
    {
        "key": "council",
        "name": "Leeds City Council",
        "legal_form": "local_authority",
        "identifiers": [("GB-LAE", "LDS")],
        "address_line_1": "Civic Hall, Calverley Street",
        "postcode": "LS1 1UR",
        "description": "The local authority for the city of Leeds.",
    },
    {
        "key": "icb",
        "name": "NHS West Yorkshire Integrated Care Board (Leeds place)",
        "legal_form": "nhs_body",
        "identifiers": [("GB-NHS", "QWO")],
        "address_line_1": "Wira House, West Park Ring Road",
        "postcode": "LS16 6EB",
        "description": "Commissions NHS health care for the people of Leeds, as part of West Yorkshire's integrated care board.",
    },
]

# name, legal form, income (pounds), identifiers, ward names (or "city-wide"), in Leeds, postcode, what it does
PROVIDERS = [
    (
        "Burmantofts Community Kitchen",
        "community_group",
        6_500,
        [],
        ["Burmantofts & Richmond Hill"],
        True,
        "LS9 7HD",
        "A weekly community meal and food pantry run by volunteers.",
    ),
    (
        "Armley Young Carers Project",
        "registered_charity",
        48_000,
        [("GB-CHC", "1190001")],
        ["Armley", "Bramley & Stanningley"],
        True,
        "LS12 3AX",
        "Support, breaks and activities for young carers aged 8 to 18.",
    ),
    (
        "Seacroft Digital Inclusion CIC",
        "cic",
        82_000,
        [("GB-COH", "11900002")],
        ["Killingbeck & Seacroft", "Cross Gates & Whinmoor"],
        True,
        "LS14 6HA",
        "Devices, data and patient help for people getting online for the first time.",
    ),
    (
        "Chapeltown Elders Lunch Club",
        "community_group",
        4_200,
        [],
        ["Chapel Allerton"],
        True,
        "LS7 3HB",
        "A lunch club and friendship group for older people of Caribbean heritage.",
    ),
    (
        "Harehills Women's Centre",
        "cio",
        310_000,
        [("GB-CHC", "1190003")],
        ["Gipton & Harehills"],
        True,
        "LS8 5QR",
        "Advice, English classes and wellbeing support for women and their families.",
    ),
    (
        "Leeds Mental Wellbeing Partnership",
        "clg",
        2_400_000,
        [("GB-CHC", "1190004"), ("GB-COH", "11900004")],
        "city-wide",
        True,
        "LS2 8JS",
        "Community mental health support, crisis cafés and peer groups across Leeds.",
    ),
    (
        "Beeston & Holbeck Youth Trust",
        "registered_charity",
        145_000,
        [("GB-CHC", "1190005")],
        ["Beeston & Holbeck", "Hunslet & Riverside"],
        True,
        "LS11 8PL",
        "Youth clubs, detached youth work and mentoring.",
    ),
    (
        "Middleton Food Pantry",
        "cio",
        38_500,
        [("GB-CHC", "1190006")],
        ["Middleton Park", "Ardsley & Robin Hood"],
        True,
        "LS10 4JA",
        "A membership food pantry with money advice.",
    ),
    (
        "Otley Wharfedale Befriending",
        "registered_charity",
        27_000,
        [("GB-CHC", "1190007")],
        ["Otley & Yeadon", "Adel & Wharfedale"],
        True,
        "LS21 3AN",
        "Volunteer befriending for isolated older people.",
    ),
    (
        "Kirkstall Valley Green Spaces",
        "cic",
        15_800,
        [("GB-COH", "11900008")],
        ["Kirkstall", "Headingley & Hyde Park"],
        True,
        "LS5 3BY",
        "Community gardening and green-space volunteering.",
    ),
    (
        "Leeds Refugee Welcome",
        "cio",
        690_000,
        [("GB-CHC", "1190009")],
        "city-wide",
        True,
        "LS6 1PF",
        "Advice, housing support and English for people seeking sanctuary.",
    ),
    (
        "Morley Men's Shed",
        "community_group",
        3_100,
        [],
        ["Morley North", "Morley South"],
        True,
        "LS27 9DY",
        "A workshop and social space for men over 50.",
    ),
    (
        "Garforth & Kippax Carers Support",
        "registered_charity",
        96_000,
        [("GB-CHC", "1190011")],
        ["Garforth & Swillington", "Kippax & Methley"],
        True,
        "LS25 1DU",
        "Support groups, respite and advice for unpaid carers.",
    ),
    (
        "Pudsey Community Transport",
        "clg",
        220_000,
        [("GB-CHC", "1190012"), ("GB-COH", "11900012")],
        ["Pudsey", "Calverley & Farsley", "Farnley & Wortley"],
        True,
        "LS28 7BE",
        "Door-to-door accessible transport for people who cannot use buses.",
    ),
    (
        "Horsforth Dementia Friends",
        "community_group",
        8_900,
        [],
        ["Horsforth", "Guiseley & Rawdon"],
        True,
        "LS18 5AD",
        "Memory cafés and carers' groups.",
    ),
    (
        "Roundhay Sports for All",
        "cic",
        64_000,
        [("GB-COH", "11900014")],
        ["Roundhay", "Moortown", "Alwoodley"],
        True,
        "LS8 2HH",
        "Inclusive sport sessions for disabled children and adults.",
    ),
    (
        "Little London Tenants & Residents",
        "community_group",
        2_400,
        [],
        ["Little London & Woodhouse"],
        True,
        "LS2 9NX",
        "A residents' association running a community hub.",
    ),
    (
        "Yorkshire Advocacy Services",
        "clg",
        4_800_000,
        [("GB-CHC", "1190016"), ("GB-COH", "11900016")],
        "city-wide",
        False,
        "WF1 2EB",
        "Independent advocacy under the Care Act and the Mental Health Act.",
    ),
    (
        "Northern Housing Support Group",
        "mutual",
        18_500_000,
        [("GB-MPR", "30016R")],
        "city-wide",
        False,
        "BD1 4RS",
        "Supported housing and tenancy sustainment across the north of England.",
    ),
    (
        "Rothwell Hearing Support",
        "registered_charity",
        12_000,
        [("GB-CHC", "1190018")],
        ["Rothwell"],
        True,
        "LS26 0AB",
        "Hearing-aid maintenance clinics and lip-reading classes.",
    ),
    (
        "Wetherby Rural Connect",
        "cio",
        54_000,
        [("GB-CHC", "1190019")],
        ["Wetherby", "Harewood"],
        True,
        "LS22 6NE",
        "Volunteer drivers and rural isolation projects.",
    ),
    (
        "Temple Newsam Family Hub",
        "social_enterprise",
        410_000,
        [("GB-COH", "11900020")],
        ["Temple Newsam", "Killingbeck & Seacroft"],
        True,
        "LS15 8AS",
        "Parenting support, play sessions and a community café.",
    ),
    (
        "Leeds Recovery Cooperative",
        "mutual",
        1_350_000,
        [("GB-MPR", "30021R")],
        "city-wide",
        True,
        "LS9 8AG",
        "Peer-led recovery from drug and alcohol use.",
    ),
    (
        "Weetwood Counselling Service",
        "registered_charity",
        175_000,
        [("GB-CHC", "1190022")],
        ["Weetwood", "Headingley & Hyde Park"],
        True,
        "LS16 5NA",
        "Low-cost counselling for adults.",
    ),
    (
        "Great North Care Services Ltd",
        "private_company",
        125_000_000,
        [("GB-COH", "11900023")],
        "city-wide",
        False,
        "M1 4BT",
        "Home care and supported living across the north of England.",
    ),
    (
        "Hyde Park Arts Collective",
        "cic",
        21_000,
        [("GB-COH", "11900024")],
        ["Headingley & Hyde Park", "Little London & Woodhouse"],
        True,
        "LS6 1HG",
        "Arts for wellbeing workshops and exhibitions.",
    ),
    (
        "Cross Gates Debt Advice",
        "cio",
        88_000,
        [("GB-CHC", "1190025")],
        ["Cross Gates & Whinmoor", "Temple Newsam"],
        True,
        "LS15 8ZB",
        "Free, confidential debt and benefits advice.",
    ),
    (
        "Leeds Voluntary Sector Forum",
        "cio",
        520_000,
        [("GB-CHC", "1190026")],
        "city-wide",
        True,
        "LS1 2HJ",
        "The network of Leeds's third sector, hosting the Third Sector Partnership.",
    ),
    (
        "South Leeds Tenancy Trust",
        "registered_charity",
        0,
        [("GB-CHC", "1190027")],
        ["Hunslet & Riverside", "Middleton Park"],
        True,
        "LS10 1JF",
        "A new charity helping people keep their homes.",
    ),
]


PEOPLE = [
    # e-mail, full name, organisation key, role, label for the printed list
    ("admin@leeds-hub.example", "Asha Patel", "council", Role.ADMINISTRATOR, "Administrator"),
    (
        "commissioner@leeds-council.example",
        "Daniel Okafor",
        "council",
        Role.COMMISSIONER,
        "Commissioner, Leeds City Council",
    ),
    (
        "head-of-commissioning@leeds-council.example",
        "Ruth Adeyemi",
        "council",
        Role.COMMISSIONER,
        "Commissioner who approves awards, Leeds City Council",
    ),
    ("commissioner@wy-icb.example", "Helen Brooks", "icb", Role.COMMISSIONER, "Commissioner, NHS West Yorkshire ICB"),
    (
        "head-of-commissioning@wy-icb.example",
        "Marcus Reid",
        "icb",
        Role.COMMISSIONER,
        "Commissioner who confirms explanations and variations, NHS West Yorkshire ICB",
    ),
    ("evaluator@leeds-council.example", "Imran Hussain", "council", Role.EVALUATOR, "Evaluator, Leeds City Council"),
    (
        "reviewer@leeds-forum.example",
        "Grace Mensah",
        "Leeds Voluntary Sector Forum",
        Role.PARTNERSHIP_REVIEWER,
        "Partnership reviewer",
    ),
    (
        "admin@armley-carers.example",
        "Sophie Walsh",
        "Armley Young Carers Project",
        Role.PROVIDER_ADMIN,
        "Provider administrator, Armley Young Carers Project",
    ),
    (
        "worker@armley-carers.example",
        "Tom Baker",
        "Armley Young Carers Project",
        Role.PROVIDER_MEMBER,
        "Provider member, Armley Young Carers Project",
    ),
    (
        "admin@leeds-mental-wellbeing.example",
        "Priya Sharma",
        "Leeds Mental Wellbeing Partnership",
        Role.PROVIDER_ADMIN,
        "Provider administrator, Leeds Mental Wellbeing Partnership",
    ),
    (
        "admin@bramley-baths-club.example",
        "Kate Lawson",
        "Bramley Baths Swimming Club",
        Role.PROVIDER_ADMIN,
        "Provider administrator, waiting for verification",
    ),
]


def demo_token(email: str) -> str:
    """The fixed API token of a demo account (demo only: real tokens are random)."""
    local = email.split("@")[0].replace(".", "-")
    domain = email.split("@")[1].split(".")[0]
    return f"lch_demo_{local}_{domain}"


def _ward_codes(wards) -> list[str]:
    if wards == "city-wide":
        return []
    names = dict(Ward.objects.values_list("name", "code"))
    return [names[name] for name in wards]


def _organisation(name: str, side: str, fields: dict, identifiers, ward_codes, verified: bool) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing is None and identifiers:
        match = OrganisationIdentifier.objects.filter(scheme=identifiers[0][0], value=identifiers[0][1]).first()
        existing = match.organisation if match else None
    if existing:
        return existing
    return services.organisation_create(
        actor=None,
        side=side,
        organisation={"name": name, **fields},
        ward_codes=ward_codes,
        identifiers=identifiers,
        verified=verified,
    )


def load() -> list[dict]:
    """Create (or find) the demo organisations and people; return the accounts to print."""
    orgs: dict[str, Organisation] = {}
    for spec in COMMISSIONERS:
        fields = {k: spec[k] for k in ("legal_form", "address_line_1", "postcode", "description")}
        fields.update(town="Leeds", based_in_leeds=True, city_wide=True)
        orgs[spec["key"]] = _organisation(spec["name"], Side.COMMISSIONER, fields, spec["identifiers"], [], True)
    for name, form, income, identifiers, wards, in_leeds, postcode, about in PROVIDERS:
        fields = {
            "legal_form": form,
            "latest_income": Decimal(income),
            "based_in_leeds": in_leeds,
            "city_wide": wards == "city-wide",
            "address_line_1": f"{len(name) + 1} {name.split()[0]} Road",
            "town": "Leeds" if in_leeds else "",
            "postcode": postcode,
            "description": about,
        }
        orgs[name] = _organisation(name, Side.PROVIDER, fields, identifiers, _ward_codes(wards), True)
    orgs["Bramley Baths Swimming Club"] = _organisation(
        "Bramley Baths Swimming Club",
        Side.PROVIDER,
        {
            "legal_form": "registered_charity",
            "latest_income": Decimal(31_000),
            "address_line_1": "Broad Lane",
            "town": "Leeds",
            "postcode": "LS13 3DF",
            "description": "Swimming lessons and sessions for all ages.",
        },
        [("GB-CHC", "1190028")],
        _ward_codes(["Bramley & Stanningley"]),
        False,
    )
    accounts = []
    for email, full_name, org_key, role, label in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
        Membership.objects.get_or_create(user=user, organisation=orgs[org_key], role=role)
        token = demo_token(email)
        if not user.api_tokens.filter(name="Demo token").exists():
            services.api_token_create(actor=user, name="Demo token", secret=token)
        accounts.append({"email": email, "role": label, "token": token})
    assert Organisation.objects.filter(side=Side.PROVIDER, status=OrganisationStatus.VERIFIED).count() >= 25
    return accounts
