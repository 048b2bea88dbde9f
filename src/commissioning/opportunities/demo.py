"""Demo tenders and grant rounds from Leeds's two commissioning bodies.

Every opportunity is made through the services, as the demo commissioners and
providers made by :mod:`commissioning.accounts.demo` would make it: drafted,
checked against the Code (with explanations where a rule does not apply),
published, then asked about, booked, followed, amended, withdrawn or
cancelled. Names are fictional; wards, service areas, regimes and thresholds
are real. Dates are counted in working days from today, so the demo stays
current whenever it is loaded. An opportunity is found by its title, so
loading again makes nothing twice.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock
from commissioning.core.models import Ward
from commissioning.core.money import format_money
from commissioning.core.workdays import add_working_days, is_working_day
from commissioning.evidence.standard_items import DEFAULT_ITEMS, StandardItem
from commissioning.planning import appraisals
from commissioning.planning.handover import READY
from commissioning.planning.models import Plan
from commissioning.practice.services import explanation_confirm

from . import services
from .models import (
    AlertSubscription,
    Clarification,
    EngagementEvent,
    EventRegistration,
    Interest,
    Opportunity,
    ServiceArea,
)

# A grant round asks for less than a tender.
GRANT_ITEMS = [StandardItem.IDENTIFIERS, StandardItem.ACCOUNTS, StandardItem.SAFEGUARDING_CHILDREN]

COUNCIL = "Leeds City Council"
ICB = "NHS West Yorkshire Integrated Care Board (Leeds place)"

# Who acts in the demo: key -> (e-mail, organisation name).
PEOPLE = {
    "council": ("commissioner@leeds-council.example", COUNCIL),
    "head": ("head-of-commissioning@leeds-council.example", COUNCIL),
    "icb": ("commissioner@wy-icb.example", ICB),
    "armley_admin": ("admin@armley-carers.example", "Armley Young Carers Project"),
    "armley_worker": ("worker@armley-carers.example", "Armley Young Carers Project"),
    "wellbeing_admin": ("admin@leeds-mental-wellbeing.example", "Leeds Mental Wellbeing Partnership"),
}

# The e-mail alerts the two provider administrators asked for (PR-1).
ALERTS = {
    "armley_admin": {
        "service_areas": ["carers-support", "children-young-people-and-families"],
        "wards": ["Armley", "Bramley & Stanningley", "Farnley & Wortley"],
    },
    "wellbeing_admin": {
        "service_areas": ["mental-health-and-wellbeing", "public-health-and-prevention", "drug-and-alcohol-recovery"],
        "wards": [],
    },
}

SOCIAL_VALUE_QUESTION = (
    "social_value",
    "What social value will you add in Leeds, against the Leeds social value ambitions?",
    500,
)

EAST_LEEDS = ["Gipton & Harehills", "Burmantofts & Richmond Hill", "Killingbeck & Seacroft"]
SOUTH_LEEDS = ["Beeston & Holbeck", "Hunslet & Riverside", "Middleton Park"]
WEST_LEEDS = ["Armley", "Bramley & Stanningley", "Farnley & Wortley", "Kirkstall"]
NORTH_WEST_LEEDS = ["Horsforth", "Guiseley & Rawdon", "Weetwood", "Otley & Yeadon", "Adel & Wharfedale"]

OPPORTUNITIES: list[dict[str, Any]] = [
    {
        "title": "Crisis alternatives and peer support for adult mental health",
        "state": "open",
        "lead": "icb",
        "appraisal": {
            "options": [
                (
                    "contract",
                    "One city-wide contract for the café and every peer support group",
                    1_200_000,
                    36,
                    1,
                    "contract",
                    "One provider to hold to account; one referral route for the crisis line.",
                    "Only large providers could bid; peer-led groups would be subcontractors at best.",
                    "The least to manage: one contract and one set of returns.",
                ),
                (
                    "lots",
                    "Three lots: the crisis café, and peer support in east and south, and in west and north Leeds",
                    1_200_000,
                    36,
                    3,
                    "contract",
                    "Local peer-led organisations can bid for the groups in their area; the café can be bid for alone "
                    "or with the groups.",
                    "Three contracts to co-ordinate; the lots must share one referral route.",
                    "Three sets of returns, proportionate to each lot's value.",
                ),
                (
                    "grant",
                    "Grants to peer support groups, with the café bought separately",
                    1_200_000,
                    36,
                    8,
                    "grant",
                    "Easy for small groups to apply for.",
                    "A crisis service needs a contract's clinical governance; grants cannot specify it.",
                    "",
                ),
                (
                    "do_nothing",
                    "Carry on with A&E and the crisis line alone",
                    None,
                    None,
                    None,
                    "",
                    "No cost now.",
                    "People in crisis out of hours keep going to A&E, which they told us does not help them.",
                    "A&E attendances cost more than the café would.",
                ),
            ],
            "chosen": 1,
            "rationale": (
                "Lots let local peer-led organisations lead the groups in their own communities, which people with "
                "lived experience asked for, while the café keeps one clinical standard. Consortium bids across lots "
                "are welcome."
            ),
        },
        "kind": "tender",
        "area": "mental-health-and-wellbeing",
        "wards": "city-wide",
        "value": 1_200_000,
        "months": 36,
        "summary": (
            "An evening and weekend crisis café in the city centre and peer support groups across Leeds, "
            "for adults in mental distress who do not need hospital care."
        ),
        "description": (
            "People in Leeds told us that when they are in crisis out of hours, the only door open is A&E. "
            "We want a safe, welcoming alternative: a crisis café open every evening and at weekends, staffed "
            "by people with lived experience alongside mental health workers, and peer support groups in "
            "the communities where people live.\n\n"
            "This is an NHS health care service, commissioned under the Provider Selection Regime using the "
            "competitive process. The service links with the Leeds community mental health teams, the "
            "crisis line and the Local Care Partnerships."
        ),
        "outcomes": [
            "Fewer people attending A&E in mental health crisis out of hours",
            "More people in distress supported by peers in their own community",
            "People say they felt safe, listened to and helped to plan what happens next",
        ],
        "price_weight": 20,
        "find_a_tender": "041237",
        "questions": [
            ("quality", "How will you make the crisis café safe and welcoming for everyone who needs it?", 1000, 25),
            ("quality", "How will people with lived experience shape, staff and lead the service?", 750, 20),
            ("quality", "How will you work with NHS crisis services, A&E and the Local Care Partnerships?", 750, 20),
            (*SOCIAL_VALUE_QUESTION, 15),
        ],
        "lots": [
            {
                "title": "Crisis café, evenings and weekends",
                "description": "One café in or near the city centre, open 6pm to midnight every day.",
                "value": 540_000,
                "wards": "city-wide",
                "floor": 430_000,
            },
            {
                "title": "Peer support groups in east and south Leeds",
                "value": 360_000,
                "wards": EAST_LEEDS + SOUTH_LEEDS,
                "floor": 288_000,
            },
            {
                "title": "Peer support groups in west and north Leeds",
                "value": 300_000,
                "wards": WEST_LEEDS + ["Headingley & Hyde Park", "Chapel Allerton"],
                "floor": 240_000,
            },
        ],
        "events": [
            {
                "title": "Meet the commissioners: crisis alternatives",
                "in": 6,
                "mode": "online",
                "link": "https://meet.wy-icb.example/crisis-alternatives",
                "capacity": 80,
                "description": "What we heard from people who use crisis services, and what we want to buy.",
            },
            {
                "title": "Market engagement workshop: working as partners and consortia",
                "in": 9,
                "mode": "in_person",
                "address": "Wira House, West Park Ring Road, Leeds LS16 6EB",
                "capacity": 40,
                "description": "For organisations thinking of bidding together for one or more lots.",
            },
        ],
        "close_in": 40,
        "registrations": [("wellbeing_admin", 0, 2, "Live captions, please"), ("wellbeing_admin", 1, 3, "")],
        "interests": ["wellbeing_admin"],
        "clarifications": [
            (
                "wellbeing_admin",
                "Can one organisation bid for more than one lot, and be awarded more than one?",
                "Yes. You may bid for any or all of the lots, alone or as the lead of a consortium. Each lot is "
                "evaluated on its own and may be awarded to a different provider.",
                "icb",
            ),
            (
                "wellbeing_admin",
                "Will TUPE apply to the staff of the current out-of-hours service, and when will you share "
                "the staffing information?",
                None,
                None,
            ),
        ],
    },
    {
        "title": "Day opportunities for adults with learning disabilities",
        "state": "open",
        "lead": "council",
        "kind": "tender",
        "area": "adult-social-care",
        "wards": NORTH_WEST_LEEDS + EAST_LEEDS + ["Cross Gates & Whinmoor", "Temple Newsam"],
        "value": 950_000,
        "months": 48,
        "summary": (
            "Community-based day opportunities for adults with learning disabilities in north-west and east "
            "Leeds: learning, work experience, friendships and getting out and about."
        ),
        "description": (
            "We want day opportunities that happen in ordinary community places, not only in buildings: "
            "colleges, workplaces, sports clubs, allotments and cafés. People and their families helped write "
            "the specification and will sit on the evaluation panel.\n\n"
            "The contract is above the light-touch threshold and is procured under the light-touch regime "
            "of the Procurement Act 2023; the tender notice is on Find a Tender."
        ),
        "outcomes": [
            "People spend more of their week doing things they chose, in their own community",
            "More people gain work experience, volunteering or paid work",
            "Family carers get regular, reliable breaks",
        ],
        "price_weight": 30,
        "find_a_tender": "041502",
        "questions": [
            ("quality", "How will people choose and plan what they do each week?", 750, 20),
            ("quality", "How will you build links with employers, colleges and community groups?", 750, 20),
            ("quality", "How will you keep people safe while promoting independence?", 750, 20),
            (*SOCIAL_VALUE_QUESTION, 10),
        ],
        "lots": [
            {
                "title": "North-west Leeds",
                "value": 475_000,
                "wards": NORTH_WEST_LEEDS,
                "floor": 380_000,
            },
            {
                "title": "East Leeds",
                "value": 475_000,
                "wards": EAST_LEEDS + ["Cross Gates & Whinmoor", "Temple Newsam"],
                "floor": 380_000,
            },
        ],
        "events": [
            {
                "title": "Meet the buyer: day opportunities",
                "in": 7,
                "mode": "in_person",
                "address": "Civic Hall, Calverley Street, Leeds LS1 1UR",
                "capacity": 50,
                "description": "Hear from people who use day services and their families, and ask us anything.",
            },
        ],
        "close_in": 35,
        "registrations": [("wellbeing_admin", 0, 1, "Step-free access")],
        "interests": ["wellbeing_admin"],
        "clarifications": [
            (
                "wellbeing_admin",
                "Are the costs of transport to and from activities included in the lot values?",
                "Yes. Transport is part of the service and is included in each lot's value. Amendment 1 adds "
                "the transport section of the specification and moves the deadline.",
                "council",
            ),
        ],
        "amendment": {
            "summary": (
                "We have added the transport section of the specification, which was missing, and moved the "
                "deadlines by five working days so that bidders have time to take it into account."
            ),
            "description_add": (
                "Transport: the provider arranges and pays for transport to and from activities where a person "
                "cannot travel independently, and supports people to learn to travel on their own where they "
                "want to."
            ),
            "extend_by": 5,
            "material": True,
        },
    },
    {
        "title": "Young carers breaks and activities in west Leeds",
        "state": "open",
        "lead": "council",
        "appraisal": {
            "options": [
                (
                    "grant",
                    "A grant round for local groups, awards of up to £15,000",
                    60_000,
                    24,
                    4,
                    "grant",
                    "Small and new groups that young carers already trust can apply; the application is short.",
                    "Several small grants to monitor; gaps if no group applies in a ward.",
                    "Light-touch monitoring, in proportion to grants of this size.",
                ),
                (
                    "contract",
                    "One contract for breaks and one-to-one support across west Leeds",
                    60_000,
                    24,
                    1,
                    "contract",
                    "One provider covers every ward.",
                    "A tender is a heavy process for £60,000 and favours larger organisations from outside the area.",
                    "A tender's cost to bidders is out of proportion to the value.",
                ),
                (
                    "in_house",
                    "Run the breaks through the council's youth service",
                    60_000,
                    24,
                    None,
                    "",
                    "No procurement.",
                    "Young carers told the needs assessment they want support from groups they know, not the council.",
                    "Staff costs above the budget.",
                ),
            ],
            "chosen": 0,
            "rationale": (
                "The needs assessment found that young carers trust the local groups they already go to. A grant round "
                "lets those groups apply with a short form, which a tender would not."
            ),
        },
        "kind": "grant",
        "area": "carers-support",
        "wards": WEST_LEEDS,
        "value": 60_000,
        "months": 24,
        "summary": (
            "Grants of up to £15,000 for breaks, activities and one-to-one support for young carers aged 8 to 18 "
            "in Armley, Bramley, Farnley, Wortley and Kirkstall."
        ),
        "description": (
            "Young carers told us they want time to be young: trips, clubs and someone to talk to who "
            "understands. This round funds local groups to provide it. Small and new groups are welcome to "
            "apply; the application is short and we will help you with it at the drop-in session."
        ),
        "outcomes": [
            "Young carers have regular breaks from caring",
            "Young carers feel less isolated and know where to get help",
            "Schools and GPs identify more young carers",
        ],
        "questions": [
            ("quality", "What will you do with young carers, and how did young carers help plan it?", 500, 40),
            ("quality", "How will you find young carers who are not known to any service yet?", 400, 30),
            ("quality", "How will you keep young people safe?", 300, 20),
            (*SOCIAL_VALUE_QUESTION[:2], 300, 10),
        ],
        "lots": [
            {
                "title": "Breaks and activities for young carers aged 8 to 13",
                "value": 30_000,
                "wards": WEST_LEEDS,
                "max_award": 15_000,
            },
            {
                "title": "One-to-one support for young carers aged 14 to 18",
                "value": 30_000,
                "wards": WEST_LEEDS,
                "max_award": 15_000,
            },
        ],
        "events": [
            {
                "title": "Drop-in for small groups: applying for a young carers grant",
                "in": 5,
                "mode": "in_person",
                "address": "Community room, Town Street, Armley, Leeds LS12 3HT",
                "capacity": 25,
                "description": "Bring your ideas; we will go through the application form with you.",
            },
        ],
        "close_in": 25,
        "registrations": [("armley_admin", 0, 2, "")],
        "interests": ["armley_admin"],
        "clarifications": [
            (
                "armley_worker",
                "Can a grant pay for volunteers' expenses and for taxis to take young carers to activities?",
                "Yes. Volunteers' out-of-pocket expenses and transport to activities are eligible costs.",
                "council",
            ),
            (
                "armley_admin",
                "Can one group apply for both lots?",
                "Yes, with a separate application for each lot.",
                "council",
            ),
            (
                "armley_admin",
                "We are Armley Young Carers Project and already run the Tuesday group at Armley library. "
                "Can we keep running it if we apply?",
                "Yes. A group that already runs activities for young carers may carry on while it applies, "
                "and may include them in its application.",
                "council",
                # Published in other words: the original says who asked.
                "Can a group that already runs activities for young carers in the area keep running them "
                "if it applies?",
            ),
        ],
    },
    {
        "title": "Social prescribing and community connectors",
        "state": "open",
        "lead": "council",
        "joint": ["icb"],
        "kind": "tender",
        "area": "public-health-and-prevention",
        "wards": EAST_LEEDS + ["Cross Gates & Whinmoor", "Temple Newsam"] + SOUTH_LEEDS + WEST_LEEDS,
        "value": 420_000,
        "months": 36,
        "summary": (
            "Community connectors who help people referred by their GP practice, or who come forward "
            "themselves, find local groups, activities and support."
        ),
        "description": (
            "Commissioned jointly by Leeds City Council and the NHS in Leeds. Connectors work with the Local "
            "Care Partnerships and spend time in GP practices, community hubs and libraries. The service "
            "should build up the small local groups people are connected to, not only refer to them."
        ),
        "outcomes": [
            "People feel more in control of their health and less lonely",
            "Fewer repeat GP appointments for needs that are not medical",
            "Small community groups get the support they need to welcome new people",
        ],
        "price_weight": 25,
        "questions": [
            ("quality", "How will connectors reach people who do not go to their GP?", 750, 20),
            ("quality", "How will you support the community groups that people are connected to?", 750, 20),
            ("quality", "How will you work with the Local Care Partnerships and GP practices?", 750, 20),
            (*SOCIAL_VALUE_QUESTION, 15),
        ],
        "lots": [
            {
                "title": "East and outer east Leeds",
                "value": 210_000,
                "wards": EAST_LEEDS + ["Cross Gates & Whinmoor", "Temple Newsam"],
                "floor": 170_000,
            },
            {
                "title": "South and west Leeds",
                "value": 210_000,
                "wards": SOUTH_LEEDS + WEST_LEEDS,
                "floor": 170_000,
            },
        ],
        "events": [
            {
                "title": "Meet the commissioners: social prescribing",
                "in": 8,
                "mode": "online",
                "link": "https://meet.leeds-council.example/social-prescribing",
                "capacity": 100,
                "description": "Council and NHS commissioners together, with two connectors from the current service.",
            },
        ],
        "close_in": 30,
        "registrations": [("wellbeing_admin", 0, 2, "")],
        "interests": ["wellbeing_admin", "armley_admin"],
        "clarifications": [
            (
                "wellbeing_admin",
                "Will connectors be based in GP practices, and will they use the practices' clinical system?",
                "Connectors will spend part of each week in GP practices in their Local Care Partnership and will "
                "be given read and write access to the practices' clinical system for the people they support.",
                "icb",
            ),
        ],
    },
    {
        "title": "Community meals and warm spaces: micro grants",
        "state": "open",
        "lead": "council",
        "kind": "grant",
        "area": "community-development-and-infrastructure",
        "wards": ["Burmantofts & Richmond Hill", "Gipton & Harehills", "Middleton Park"],
        "value": 8_000,
        "months": 4,
        "summary": "Micro grants of up to £2,000 for community groups running shared meals and warm, welcoming spaces.",
        "description": (
            "A small, quick round for volunteer-led groups. The application has {questions}; a decision is "
            "made within ten working days of the deadline and the money is paid in one instalment."
        ),
        "outcomes": [
            "More people eat a hot meal with others each week",
            "People who are cold or alone at home have somewhere welcoming to go",
        ],
        "questions": [
            ("quality", "What will you run, where and when, and who will come?", 300, 45),
            ("quality", "How will people find out about it and feel welcome?", 300, 45),
            (*SOCIAL_VALUE_QUESTION[:2], 200, 10),
        ],
        "lots": [
            {
                "title": "Micro grants for community meals and warm spaces",
                "value": 8_000,
                "wards": ["Burmantofts & Richmond Hill", "Gipton & Harehills", "Middleton Park"],
                "max_award": 2_000,
            },
        ],
        "events": [
            {
                "title": "Ask us anything: micro grants",
                "in": 3,
                "mode": "online",
                "link": "https://meet.leeds-council.example/micro-grants",
                "capacity": 30,
            },
        ],
        "close_in": 12,
        "explain": [
            (
                "PL-3",
                "The fund is one-off money that must be committed within the quarter. The application has "
                "{short_questions}, groups were told about the round at the community committees before it opened, "
                "and the Third Sector Partnership agreed that {close_in} is enough for awards of up to "
                "{max_award}.",
                "head",
                "Agreed with the Third Sector Partnership's small groups representatives on 3 November.",
            ),
        ],
    },
    {
        "title": "Getting online: devices, data and digital skills in east Leeds",
        "state": "open",
        "lead": "council",
        "kind": "tender",
        "area": "digital-inclusion",
        "wards": EAST_LEEDS,
        "value": 75_000,
        "months": 24,
        "summary": (
            "A fixed-price contract to lend devices and data and teach digital skills to people getting online "
            "for the first time in Gipton, Harehills, Burmantofts, Richmond Hill and Seacroft."
        ),
        "description": (
            "The price is fixed at the lot's value, so bids compete on quality and social value alone. We want "
            "help that happens where people already go: community hubs, food pantries, GP surgeries and "
            "children's centres."
        ),
        "outcomes": [
            "People can use online services for health, money and work on their own",
            "Fewer people are shut out of services because they are not online",
        ],
        "price_weight": 0,
        "questions": [
            ("quality", "How will you reach people who are not online and would not come to a class?", 500, 30),
            ("quality", "How will you lend devices and data safely, and make sure they are used?", 500, 30),
            ("quality", "How will you know people can carry on on their own?", 400, 25),
            (*SOCIAL_VALUE_QUESTION[:2], 400, 15),
        ],
        "lots": [
            {
                "title": "Devices, data and digital skills",
                "value": 75_000,
                "wards": EAST_LEEDS,
                "fixed": 75_000,
            },
        ],
        "events": [
            {
                "title": "Meet the buyer: digital inclusion",
                "in": 6,
                "mode": "in_person",
                "address": "Community room, Kentmere Avenue, Seacroft, Leeds LS14 6HA",
                "capacity": 30,
            },
        ],
        "close_in": 28,
    },
    {
        "title": "Peer-led recovery community for drug and alcohol use",
        "state": "open",
        "lead": "council",
        "kind": "tender",
        "area": "drug-and-alcohol-recovery",
        "wards": "city-wide",
        "value": 600_000,
        "months": 36,
        "summary": (
            "A city-wide recovery community led by people in recovery: peer mentoring, mutual aid groups, "
            "recovery cafés and help into volunteering and work."
        ),
        "description": (
            "The recovery community works alongside the city's treatment service. People in recovery and "
            "their families designed it with us at four co-production sessions. Partnership and consortium "
            "bids are welcome, and the lead provider may subcontract to small peer-led groups."
        ),
        "outcomes": [
            "More people stay in recovery a year after treatment ends",
            "More people in recovery volunteer, train or work",
            "Families affected by drug and alcohol use get support in their own right",
        ],
        "price_weight": 30,
        "questions": [
            ("quality", "How will people in recovery lead the service and its decisions?", 750, 20),
            ("quality", "How will you work with the treatment service so nobody falls between the two?", 750, 20),
            ("quality", "How will you support families and children affected by drug and alcohol use?", 750, 20),
            (*SOCIAL_VALUE_QUESTION, 10),
        ],
        "lots": [
            {
                "title": "Peer-led recovery community",
                "value": 600_000,
                "wards": "city-wide",
                "floor": 480_000,
            },
        ],
        "events": [
            {
                "title": "Meet the buyer: recovery community",
                "in": 7,
                "mode": "online",
                "link": "https://meet.leeds-council.example/recovery-community",
                "capacity": 60,
            },
        ],
        "close_in": 35,
        "explain": [
            (
                "PR-3",
                "Lots by area and by substance were considered. People in recovery told us at the co-production "
                "sessions that they move across the city and want one recovery community with one set of peer "
                "mentors; splitting it would break that. Instead, consortium bids are welcome and the lead "
                "provider may subcontract to small peer-led groups.",
                "head",
                "Discussed with the Chief Officer, Public Health, who supports one city-wide service.",
            ),
        ],
        "registrations": [("wellbeing_admin", 0, 1, "")],
        "interests": ["wellbeing_admin"],
        "clarifications": [
            (
                "wellbeing_admin",
                "May the lead provider subcontract peer mentoring to small groups that are not yet registered "
                "charities?",
                "Yes. Subcontractors need not be registered charities; the lead provider is responsible for "
                "their safeguarding arrangements and must pay them within 30 days.",
                "council",
            ),
        ],
    },
    {
        "title": "Befriending for isolated older people in Wharfedale and Aireborough",
        "state": "closed",
        "lead": "council",
        "kind": "tender",
        "area": "older-people",
        "wards": ["Otley & Yeadon", "Adel & Wharfedale", "Guiseley & Rawdon", "Horsforth"],
        "value": 45_000,
        "months": 24,
        "summary": "Volunteer befriending, by phone and at home, for older people living alone in the north-west of Leeds.",
        "description": (
            "Older people in the outer north-west of Leeds are among the most isolated in the city, with few "
            "buses between villages. We want volunteer befrienders who visit or call every week and help "
            "people back into local groups when they are ready."
        ),
        "outcomes": [
            "Older people living alone feel less lonely",
            "More older people take part in local groups and activities",
        ],
        "price_weight": 30,
        "questions": [
            ("quality", "How will you recruit, train and support volunteer befrienders?", 500, 30),
            ("quality", "How will you find older people who are isolated and not known to services?", 500, 30),
            (*SOCIAL_VALUE_QUESTION[:2], 300, 10),
        ],
        "lots": [
            {
                "title": "Befriending in Wharfedale and Aireborough",
                "value": 45_000,
                "wards": ["Otley & Yeadon", "Adel & Wharfedale", "Guiseley & Rawdon", "Horsforth"],
                "floor": 36_000,
            },
        ],
        "events": [
            {
                "title": "Meet the buyer: befriending",
                "in": 5,
                "mode": "online",
                "link": "https://meet.leeds-council.example/befriending",
                "capacity": 30,
            },
        ],
        "close_in": 20,
        "closed_days_ago": 3,
        "interests": ["wellbeing_admin"],
        "clarifications": [
            (
                "wellbeing_admin",
                "Can befriending be by video call as well as by phone and at home?",
                "Yes, where the older person prefers it.",
                "council",
            ),
        ],
    },
    {
        "title": "Holiday activities and food in south Leeds",
        "state": "withdrawn",
        "lead": "council",
        "kind": "grant",
        "area": "children-young-people-and-families",
        "wards": SOUTH_LEEDS,
        "value": 150_000,
        "months": 12,
        "summary": (
            "Grants of up to £25,000 for holiday clubs with a healthy meal for children on free school meals "
            "in Beeston, Holbeck, Hunslet, Riverside and Middleton."
        ),
        "description": (
            "Clubs run in the Easter, summer and Christmas holidays, with a healthy meal, physical activity "
            "and something new to try every day."
        ),
        "outcomes": [
            "Children eat healthily and stay active in the school holidays",
            "Families on low incomes have less pressure on food budgets in the holidays",
        ],
        "questions": [
            ("quality", "What will a day at your holiday club look like?", 500, 40),
            ("quality", "How will you reach the children who would benefit most?", 500, 30),
            ("quality", "How will you keep children safe and meet food standards?", 400, 20),
            (*SOCIAL_VALUE_QUESTION[:2], 300, 10),
        ],
        "lots": [
            {
                "title": "Beeston and Holbeck",
                "value": 75_000,
                "wards": ["Beeston & Holbeck"],
                "max_award": 25_000,
            },
            {
                "title": "Hunslet, Riverside and Middleton",
                "value": 75_000,
                "wards": ["Hunslet & Riverside", "Middleton Park"],
                "max_award": 25_000,
            },
        ],
        "events": [
            {
                "title": "Information session: holiday activities and food",
                "in": 6,
                "mode": "online",
                "link": "https://meet.leeds-council.example/holiday-activities",
                "capacity": 50,
            },
        ],
        "close_in": 30,
        "interests": ["armley_admin"],
        "reason": (
            "The national funding for next year's programme has not been confirmed. We are withdrawing this "
            "round so that nobody spends time on an application that may not be funded, and will publish it "
            "again when the funding is confirmed."
        ),
    },
    {
        "title": "Hospital appointment transport for older people",
        "state": "cancelled",
        "lead": "icb",
        "kind": "tender",
        "area": "community-transport",
        "wards": "city-wide",
        "value": 90_000,
        "months": 24,
        "summary": "Door-to-door transport to hospital outpatient appointments for older people who cannot use buses.",
        "description": "A draft that was stopped before publishing.",
        "outcomes": ["Fewer missed outpatient appointments"],
        "price_weight": 30,
        "questions": [],
        "lots": [],
        "events": [],
        "close_in": 30,
        "reason": (
            "The eligibility criteria of the NHS non-emergency patient transport service have been widened to "
            "cover these journeys, so no separate contract is needed."
        ),
    },
    {
        "title": "Memory cafés and carers' groups in north-west Leeds",
        "state": "draft",
        "lead": "council",
        "kind": "grant",
        "area": "older-people",
        "wards": ["Horsforth", "Guiseley & Rawdon", "Weetwood", "Kirkstall"],
        "value": 36_000,
        "months": 24,
        "summary": "Grants of up to £12,000 for memory cafés and groups for people living with dementia and their carers.",
        "description": (
            "Memory cafés give people living with dementia and their carers a regular, friendly place to meet "
            "others and get advice. This round funds new cafés and helps existing ones open more often."
        ),
        "outcomes": [
            "People living with dementia and their carers feel less isolated",
            "Carers know where to get advice and support",
        ],
        "questions": [
            ("quality", "What will your memory café or group offer, and where and when will it meet?", 400, 45),
            ("quality", "How will people living with dementia and their carers shape it?", 400, 45),
            (*SOCIAL_VALUE_QUESTION[:2], 300, 10),
        ],
        "lots": [
            {
                "title": "Memory cafés and carers' groups",
                "value": 36_000,
                "wards": ["Horsforth", "Guiseley & Rawdon", "Weetwood", "Kirkstall"],
                "max_award": 12_000,
            },
        ],
        "events": [
            {
                "title": "Drop-in: memory café grants",
                "in": 10,
                "mode": "in_person",
                "address": "Community room, Town Street, Horsforth, Leeds LS18 5LJ",
                "capacity": 20,
            },
        ],
        "close_in": 30,
    },
    {
        "title": "Welfare rights and debt advice in community hubs",
        "state": "draft",
        "lead": "council",
        "kind": "tender",
        "area": "advice-debt-and-welfare-rights",
        "wards": EAST_LEEDS + SOUTH_LEEDS,
        "value": 280_000,
        "months": 36,
        "summary": "Face-to-face welfare rights and debt advice in community hubs in east and south Leeds.",
        "description": (
            "Advisers at community hubs on fixed days each week, with appointments and drop-in, and home "
            "visits for people who cannot travel."
        ),
        "outcomes": [
            "People claim the benefits they are entitled to",
            "Fewer people face eviction or enforcement for debt",
        ],
        # Price carries more weight than quality: PR-5 is not met, so this draft
        # cannot be published until the weights change or the rule is explained.
        # An explanation is written and waits for the head of commissioning to confirm it.
        "price_weight": 50,
        "explain": [
            (
                "PR-5",
                "Advice quality is assured by the advice quality standard every bidder must hold, so the "
                "evaluation weights price more heavily to reach more people with the same budget.",
                "head",
                None,
            ),
        ],
        "questions": [
            ("quality", "How will you make advice easy to reach for people who need it most?", 750, 20),
            ("quality", "How will you make sure advice is accurate and up to date?", 500, 20),
            (*SOCIAL_VALUE_QUESTION, 10),
        ],
        "lots": [
            {"title": "East Leeds community hubs", "value": 140_000, "wards": EAST_LEEDS, "floor": 112_000},
            {"title": "South Leeds community hubs", "value": 140_000, "wards": SOUTH_LEEDS, "floor": 112_000},
        ],
        "events": [
            {
                "title": "Meet the buyer: advice in community hubs",
                "in": 8,
                "mode": "online",
                "link": "https://meet.leeds-council.example/advice-hubs",
                "capacity": 40,
            },
        ],
        "close_in": 30,
    },
]


def _rerun(first: str, **changes) -> dict[str, Any]:
    """The spec of opportunity ``first`` run again within its commissioning record, with ``changes``."""
    spec = next(spec for spec in OPPORTUNITIES if spec["title"] == first)
    return {key: value for key, value in spec.items() if key != "reason"} | changes | {"rerun_of": first}


# The withdrawn holiday round published again once its funding was confirmed: two opportunities, one record.
OPPORTUNITIES.append(
    _rerun(
        "Holiday activities and food in south Leeds",
        title="Holiday clubs and meals in south Leeds, now the funding is confirmed",
        state="open",
        close_in=35,
    )
)


def load() -> list[dict]:
    """Create (or find) the demo opportunities; the accounts are printed by the accounts loader."""
    cast = demo_cast()
    _alerts(cast)
    for spec in OPPORTUNITIES:
        if Opportunity.objects.filter(title=spec["title"]).exists():
            continue
        with transaction.atomic():
            build(spec, cast)
    return []


def demo_cast() -> dict[str, tuple[User, Organisation]]:
    """The demo people who act in the opportunities' stories, by key, with their organisations."""
    return {
        key: (User.objects.get(email=email), Organisation.objects.get(name=organisation))
        for key, (email, organisation) in PEOPLE.items()
    }


def _ward_codes(names) -> list[str]:
    if names == "city-wide":
        return []
    codes = dict(Ward.objects.filter(name__in=names).values_list("name", "code"))
    return [codes[name] for name in dict.fromkeys(names)]


def _alerts(cast) -> None:
    for key, choice in ALERTS.items():
        user = cast[key][0]
        # Set once: alerts a person changed since the first load are theirs to keep.
        if AlertSubscription.objects.filter(user=user).exists():
            continue
        services.alerts_set(
            actor=user,
            service_areas=list(ServiceArea.objects.filter(slug__in=choice["service_areas"])),
            ward_codes=_ward_codes(choice["wards"]),
        )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.LONDON)


def _first_working_day_of_next_month(day: date) -> date:
    start = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    while not is_working_day(start):
        start += timedelta(days=1)
    return start


def _working_days_ago(days: int) -> date:
    day = clock.today()
    while days:
        day -= timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def _timeline(close_in: int) -> dict[str, Any]:
    """Deadlines ``close_in`` working days from today at noon; questions close five working days earlier."""
    today = clock.today()
    deadline_day = add_working_days(today, close_in)
    return {
        "question_deadline": _at(add_working_days(today, max(close_in - 5, 1)), 17),
        "submission_deadline": _at(deadline_day, 12),
        **_after_deadline(deadline_day),
    }


def _after_deadline(deadline_day: date) -> dict[str, date]:
    """Evaluation the next working day, award four weeks later, the service from a month's first working day."""
    award = add_working_days(deadline_day, 20)
    return {
        "evaluation_from": add_working_days(deadline_day, 1),
        "expected_award": award,
        "service_start": _first_working_day_of_next_month(add_working_days(award, 20)),
    }


def _pricing(lot: dict) -> dict[str, Any]:
    if "floor" in lot:
        return {"pricing": "floor", "floor_price": Decimal(lot["floor"])}
    if "fixed" in lot:
        return {"pricing": "fixed", "fixed_price": Decimal(lot["fixed"])}
    return {"pricing": "max_award", "max_award": Decimal(lot["max_award"])}


def _count(number: int, noun: str) -> str:
    """A count the GOV.UK way: "one question", "3 questions"."""
    return f"one {noun}" if number == 1 else f"{number} {noun}s"


def _with_facts(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the facts its words state taken from its own data, so no sentence can say otherwise.

    A description or an explanation says ``{questions}``, ``{short_questions}``,
    ``{lots}``, ``{close_in}`` or ``{max_award}`` where it states one of them.
    """
    lots = spec.get("lots", [])
    awards = [lot["max_award"] for lot in lots if lot.get("max_award")]
    facts = {
        "questions": _count(len(spec.get("questions", [])), "question"),
        "short_questions": _count(len(spec.get("questions", [])), "short question"),
        "lots": _count(len(lots), "lot"),
        "close_in": _count(spec["close_in"], "working day"),
        "max_award": format_money(Decimal(max(awards))) if awards else "",
    }

    def filled(text: str) -> str:
        for name, value in facts.items():
            text = text.replace("{" + name + "}", value)
        return text

    return {
        **spec,
        "summary": filled(spec["summary"]),
        "description": filled(spec["description"]),
        "explain": [(code, filled(reason), *rest) for code, reason, *rest in spec.get("explain", [])],
    }


def build(spec: dict[str, Any], cast) -> Opportunity:
    """Make one opportunity from its spec through the services, as its commissioner would, dated from today."""
    spec = _with_facts(spec)
    commissioner, _ = cast[spec["lead"]]
    opportunity, events = _draft(spec, cast)
    state = spec["state"]
    if state == "cancelled":
        return services.opportunity_cancel(actor=commissioner, opportunity=opportunity, reason=spec["reason"])
    _appraise(spec, cast, opportunity)
    _explain(spec, cast, opportunity)
    if state == "draft":
        return opportunity
    opportunity = services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    _while_open(spec, cast, opportunity, events)
    if state == "withdrawn":
        return services.opportunity_withdraw(actor=commissioner, opportunity=opportunity, reason=spec["reason"])
    if state == "closed":
        _let_time_pass(opportunity, spec["closed_days_ago"])
    opportunity.refresh_from_db()
    return opportunity


def _draft(spec: dict[str, Any], cast) -> tuple[Opportunity, list[EngagementEvent]]:
    """The draft with its lots, questions and events, as the lead commissioner writes it."""
    commissioner, body = cast[spec["lead"]]
    grant = spec["kind"] == "grant"
    price_weight = Decimal(0) if grant else Decimal(spec.get("price_weight", 0))
    data = {
        "kind": spec["kind"],
        "title": spec["title"],
        "summary": spec["summary"],
        "description": spec["description"],
        "service_area": ServiceArea.objects.get(slug=spec["area"]),
        "city_wide": spec["wards"] == "city-wide",
        "outcomes": "\n".join(spec["outcomes"]),
        "total_value": Decimal(spec["value"]),
        "value_includes_vat": True,
        "duration_months": spec["months"],
        "price_weight": price_weight,
        "price_method": "none" if grant or price_weight == 0 else "lowest_proportional",
        "social_value_ambitions_referenced": True,
        "compact_clause_in_terms": True,
        # What bidders confirm from their evidence stores instead of answering again (PR-8).
        "standard_items": [str(item) for item in (GRANT_ITEMS if grant else DEFAULT_ITEMS)],
        **_timeline(spec["close_in"]),
    }
    if spec.get("find_a_tender"):
        data["find_a_tender_reference"] = f"{spec['find_a_tender']}-{clock.today().year}"
    opportunity = services.opportunity_create(
        actor=commissioner,
        lead_commissioner=body,
        data=data,
        ward_codes=_ward_codes(spec["wards"]),
        joint_commissioners=[cast[key][1] for key in spec.get("joint", [])],
        record=_record_of(spec),
    )
    for lot in spec["lots"]:
        services.lot_save(
            actor=commissioner,
            opportunity=opportunity,
            data={
                "title": lot["title"],
                "description": lot.get("description", ""),
                "value": Decimal(lot["value"]),
                "city_wide": lot["wards"] == "city-wide",
                **_pricing(lot),
            },
            ward_codes=_ward_codes(lot["wards"]),
        )
    for kind, text, word_limit, weight in spec["questions"]:
        services.question_save(
            actor=commissioner,
            opportunity=opportunity,
            data={"kind": kind, "text": text, "word_limit": word_limit, "weight": Decimal(weight)},
        )
    return opportunity, [_event(commissioner, opportunity, event) for event in spec["events"]]


# Opportunities whose options were weighed before the hub kept appraisals say so, confirmed by the head of
# commissioning, rather than showing an appraisal nobody wrote.
APPRAISED_ELSEWHERE = (
    "The options were appraised in the service's commissioning strategy, approved by the Executive Board before "
    "options appraisals were kept in the hub; the report is published with the Board's papers."
)


def _appraise(spec: dict[str, Any], cast, opportunity: Opportunity) -> None:
    """The options appraisal behind the opportunity, written by its lead commissioner (PL-2).

    A spec without one that is to be published explains PL-2 instead, confirmed by the head of commissioning.
    """
    commissioner, _ = cast[spec["lead"]]
    appraisal = spec.get("appraisal")
    if appraisal is None:
        if spec["state"] != "cancelled" and spec["lead"] == "council":
            spec["explain"] = [*spec.get("explain", []), ("PL-2", APPRAISED_ELSEWHERE, "head", "Agreed.")]
        return
    names = ("kind", "description", "value", "length_months", "contracts", "funding_type", "benefits", "risks", "costs")
    options = [
        appraisals.option_save(
            actor=commissioner, record=opportunity.record, data=dict(zip(names, values, strict=True))
        )
        for values in appraisal["options"]
    ]
    appraisals.appraisal_choose(
        actor=commissioner,
        record=opportunity.record,
        option_id=options[appraisal["chosen"]].pk,
        rationale=appraisal["rationale"],
    )


def _record_of(spec: dict[str, Any]):
    """The record the opportunity is started in: the earlier round's when it is run again, or its plan's
    when the pipeline demo planned it (a plan approved there is advertised by this publishing)."""
    if spec.get("rerun_of"):
        return Opportunity.objects.get(title=spec["rerun_of"]).record
    plan = Plan.objects.filter(record__title=spec["title"], status__in=READY).select_related("record").first()
    return plan.record if plan else None


def _explain(spec: dict[str, Any], cast, opportunity: Opportunity) -> None:
    """Each explanation is written by the lead commissioner and confirmed by the colleague it names,
    with their words; one whose words are None is left waiting for them."""
    commissioner, _ = cast[spec["lead"]]
    for code, reason, confirmer_key, words in spec.get("explain", []):
        confirmer = cast[confirmer_key][0]
        explanation = services.opportunity_rule_explain(
            actor=commissioner, opportunity=opportunity, rule_code=code, reason=reason, confirmer=confirmer
        )
        if words is not None:
            explanation_confirm(actor=confirmer, explanation=explanation, words=words)


def _while_open(spec: dict[str, Any], cast, opportunity: Opportunity, events: list[EngagementEvent]) -> None:
    """What providers and the commissioner do while it is open: bookings, interest, questions, an amendment."""
    commissioner, _ = cast[spec["lead"]]
    for key, index, attendees, access_needs in spec.get("registrations", []):
        user, organisation = cast[key]
        services.event_register(
            actor=user, organisation=organisation, event=events[index], attendees=attendees, access_needs=access_needs
        )
    for key in spec.get("interests", []):
        user, organisation = cast[key]
        services.interest_register(actor=user, organisation=organisation, opportunity=opportunity)
    asked = []
    for key, question, answer, answerer, *wording in spec.get("clarifications", []):
        user, organisation = cast[key]
        clarification = services.clarification_ask(
            actor=user, organisation=organisation, opportunity=opportunity, question=question
        )
        asked.append((clarification, answer, answerer, wording[0] if wording else None))
    if spec.get("amendment"):
        _amend(commissioner, opportunity, spec["amendment"])
    for clarification, answer, answerer, wording in asked:
        if answer:
            services.clarification_answer(
                actor=cast[answerer][0], clarification=clarification, answer=answer, published_question=wording
            )


def _event(commissioner, opportunity: Opportunity, event: dict) -> EngagementEvent:
    day = add_working_days(clock.today(), event["in"])
    data = {
        "title": event["title"],
        "starts_at": _at(day, 10),
        "ends_at": _at(day, 12),
        "mode": event["mode"],
        "address": event.get("address", ""),
        "link": event.get("link", ""),
        "capacity": event["capacity"],
        "description": event.get("description", ""),
    }
    return services.event_save(actor=commissioner, opportunity=opportunity, data=data)


def _amend(commissioner, opportunity: Opportunity, amendment: dict) -> None:
    opportunity.refresh_from_db()
    days = amendment["extend_by"]
    deadline_day = add_working_days(clock.london(opportunity.submission_deadline).date(), days)
    questions_day = add_working_days(clock.london(opportunity.question_deadline).date(), days)
    changes = {
        "description": f"{opportunity.description}\n\n{amendment['description_add']}",
        "question_deadline": _at(questions_day, 17),
        "submission_deadline": _at(deadline_day, 12),
        **_after_deadline(deadline_day),
    }
    services.opportunity_amend(
        actor=commissioner,
        opportunity=opportunity,
        changes=changes,
        summary=amendment["summary"],
        material=amendment["material"],
    )


def _let_time_pass(opportunity: Opportunity, days_ago: int) -> None:
    """Move a just-published opportunity's timeline back so its deadline passed ``days_ago`` working days ago.

    This stands for time passing in the demo: publishing needs a deadline in
    the future, so the opportunity is published as it would have been weeks
    ago and its dates are then moved back by the same amount, so what people
    did while it was open (questions, bookings, interest) still comes before
    the deadline.
    """
    opportunity.refresh_from_db()
    deadline_day = _working_days_ago(days_ago)
    shift = opportunity.submission_deadline - _at(deadline_day, 12)
    Opportunity.objects.filter(pk=opportunity.pk).update(
        question_deadline=opportunity.question_deadline - shift,
        submission_deadline=opportunity.submission_deadline - shift,
        published_at=opportunity.published_at - shift,
        **_after_deadline(deadline_day),
    )
    for event in EngagementEvent.objects.filter(opportunity=opportunity):
        EngagementEvent.objects.filter(pk=event.pk).update(
            starts_at=event.starts_at - shift, ends_at=event.ends_at - shift
        )
    for registration in EventRegistration.objects.filter(event__opportunity=opportunity):
        EventRegistration.objects.filter(pk=registration.pk).update(created_at=registration.created_at - shift)
    for interest in Interest.objects.filter(opportunity=opportunity):
        Interest.objects.filter(pk=interest.pk).update(registered_at=interest.registered_at - shift)
    for clarification in Clarification.objects.filter(opportunity=opportunity):
        Clarification.objects.filter(pk=clarification.pk).update(
            asked_at=clarification.asked_at - shift,
            published_at=clarification.published_at - shift if clarification.published_at else None,
        )
