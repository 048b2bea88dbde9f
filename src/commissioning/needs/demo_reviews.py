"""The demo's open reviews: one completed and answered in public, one still open for comment.

- "Young carers' needs in west Leeds": the council put its needs assessment
  out for comment from 60 to 25 days ago. Six comments came, from members of
  the public, two charities and a young carers' group; one was removed as
  abusive and the other five are answered in three "You said, we did"
  groups, published. The assessment is then completed if its other rules
  are met, through the assessments' own service when there is one; else it
  stays a draft.
- "Loneliness among older people in east Leeds": open for comment until 14
  days from now, with two comments.

Each assessment is found by its title, or made with that title for Leeds
City Council, so this loads before or after the assessments' demo. Safe to
run again: each review is found by its title. Everything past is told
through the services with the clock replayed.
"""

import importlib
from datetime import timedelta

from django.db import transaction

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock
from commissioning.core.models import Ward
from commissioning.core.references import next_reference
from commissioning.records.models import ServiceArea

from . import reviews
from .models import Assessment, Review, ReviewKind

COUNCIL = "Leeds City Council"
COMMISSIONER = "commissioner@leeds-council.example"
YOUNG_CARERS = "Young carers' needs in west Leeds"
LONELINESS = "Loneliness among older people in east Leeds"
WEST = ["E05011389", "E05011391", "E05011396", "E05011406"]  # Armley, Bramley, Farnley, Kirkstall
EAST = ["E05011404", "E05011398", "E05011395", "E05011416"]  # Seacroft, Harehills, Cross Gates, Temple Newsam

COMPLETED_REVIEW = {
    "kind": ReviewKind.NEEDS_ASSESSMENT,
    "title": "Young carers' needs in west Leeds: have your say",
    "summary": (
        "We have looked at what young carers aged 8 to 17 in Armley, Bramley, Farnley and Kirkstall need, "
        "from school attendance, GP records, the young carers' census and what three charities told us."
    ),
    "text": (
        "About 1,100 children and young people in west Leeds look after someone at home: a parent with a "
        "long-term illness, a brother or sister with a disability, or someone who drinks or uses drugs.\n"
        "Most are not known to any service. Those who are tell us they miss school, have little time for "
        "themselves, and that nobody at school or the GP asks how they are.\n"
        "We think the needs are: breaks and activities with other young carers; someone at school who "
        "knows; help in the family so they care less; and support when they turn 18."
    ),
    "questions": (
        "Have we understood what young carers in west Leeds need?\n"
        "What have we missed?\n"
        "Which groups of young carers are hardest to reach, and how could we reach them?"
    ),
}
OPEN_REVIEW = {
    "kind": ReviewKind.NEEDS_ASSESSMENT,
    "title": "Loneliness among older people in east Leeds: tell us what you think",
    "summary": "What we have learned about older people who are lonely or cut off in east Leeds, and what helps.",
    "text": (
        "One in five people over 65 in Seacroft, Harehills, Cross Gates and Temple Newsam say they are often "
        "lonely. Bus routes have been cut, two lunch clubs have closed, and more people live alone.\n"
        "We think older people need: company close to home, help to get out, and someone to notice when "
        "they stop coming."
    ),
    "questions": "Does this match what you see?\nWhat helps most?",
}

# (who, what they said): a member of the public by name and e-mail, or a provider's demo account signed in.
COMMENTS = [
    (
        {"name": "Jade Turner", "email": "jade.turner@example.org"},
        "I was a young carer for my mum from age 10. Nobody at school knew. A named teacher would have "
        "changed everything.",
    ),
    (
        {"account": "admin@armley-carers.example", "organisation_name": "Armley Young Carers Project"},
        "Our group has a waiting list of 34. Breaks matter, but so does transport: many young carers cannot "
        "get to us after school.",
    ),
    (
        {"name": "Gary Holt", "email": "gary.holt@example.org"},
        "You lot are useless and should all be sacked, every last one of you idiots.",
    ),
    (
        {"account": "admin@leeds-mental-wellbeing.example", "organisation_name": "Leeds Mental Wellbeing Partnership"},
        "Young carers of parents with mental ill health are missing from the figures. They are the hardest "
        "to find and the least likely to say anything.",
    ),
    (
        {"name": "Bramley Young Carers' Council", "email": "youngcarers.bramley@example.org"},
        "We are young carers. We want to meet others like us, have days out, and have someone to talk to "
        "who gets it. And help when we turn 18 and everything stops.",
    ),
    (
        {
            "name": "Aisha Begum",
            "email": "aisha.begum@example.org",
            "organisation_name": "Farnley Mosque women's group",
        },
        "Families in our community often do not use the word carer. Please work with faith groups to reach them.",
    ),
]
ANSWERS = [
    (
        (0, 4),
        "Young carers want someone at school who knows, and time with others like them.",
        "Every school in the four wards will name a young carers' lead, and the new service must offer "
        "breaks and activities at least monthly.",
    ),
    (
        (1, 5),
        "Transport stops young carers getting to support, and some families do not call themselves carers.",
        "The service will include transport, and we will fund outreach through faith and community groups.",
    ),
    (
        (3,),
        "Young carers of parents with mental ill health are missed.",
        "We have added figures from adult mental health services to the assessment and named them as a group to reach.",
    ),
]
OPEN_COMMENTS = [
    (
        {"name": "Maureen Kelly", "email": "maureen.kelly@example.org"},
        "Since the 56 bus was cut I can only get to the shops once a week.",
    ),
    (
        {"account": "admin@armley-carers.example", "organisation_name": "Armley Young Carers Project"},
        "Many of the older people in east Leeds we meet are cared for by grandchildren.",
    ),
]


def _assessment(title: str, area_slug: str, wards: list[str], question: str, actor: User) -> Assessment:
    """The assessment with this title, or a minimal draft of it for the council."""
    found = Assessment.objects.filter(title=title).first()
    if found is not None:
        return found
    assessment = Assessment.objects.create(
        reference=next_reference(Assessment, "LNA"),
        body=Organisation.objects.get(name=COUNCIL),
        title=title,
        service_area=ServiceArea.objects.get(slug=area_slug),
        question=question,
        created_by=actor,
    )
    assessment.wards.set(Ward.objects.filter(code__in=wards))
    return assessment


def _post(review: Review, who: dict, text: str):
    """A comment through the service: signed in as a demo account, or by e-mail and then confirmed."""
    if "account" in who:
        actor = User.objects.get(email=who["account"])
        made, _ = reviews.comment_post(
            review=review, actor=actor, text=text, organisation_name=who.get("organisation_name", "")
        )
        return made
    _, token = reviews.comment_post(
        review=review,
        text=text,
        name=who["name"],
        email=who["email"],
        organisation_name=who.get("organisation_name", ""),
    )
    return reviews.comment_confirm(token=token)


def _complete_if_allowed(assessment: Assessment, actor: User) -> None:
    """Complete the assessment through the assessments' service when there is one and its rules allow it."""
    try:
        services = importlib.import_module("commissioning.needs.services")
    except ImportError:
        return
    complete = getattr(services, "assessment_complete", None)
    if complete is None or assessment.is_completed:
        return
    try:
        with transaction.atomic():
            complete(actor=actor, assessment=assessment)
    except Exception:  # noqa: BLE001 - a rule not met or explained leaves the assessment a draft
        return


def _completed_review(actor: User) -> None:
    assessment = _assessment(
        YOUNG_CARERS, "carers-support", WEST, "What do young carers aged 8 to 17 in west Leeds need?", actor
    )
    if not Review.objects.filter(title=COMPLETED_REVIEW["title"]).exists():
        now = clock.now()
        opens, closes = now - timedelta(days=60), now - timedelta(days=25)
        with clock.replaying(opens - timedelta(days=1)):
            review = reviews.review_create(
                actor=actor,
                body=assessment.body,
                data=COMPLETED_REVIEW | {"assessment": assessment, "opens_at": opens, "closes_at": closes},
            )
            review = reviews.review_publish(actor=actor, review=review)
        made = []
        for number, (who, text) in enumerate(COMMENTS):
            with clock.replaying(opens + timedelta(days=3 + 4 * number)):
                made.append(_post(review, who, text))
        with clock.replaying(opens + timedelta(days=20)):
            reviews.comment_remove(actor=actor, comment=made[2], reason="abusive")
        with clock.replaying(closes + timedelta(days=5)):
            for picks, you_said, we_did in ANSWERS:
                reviews.answer_save(
                    actor=actor,
                    review=review,
                    you_said=you_said,
                    we_did=we_did,
                    comment_ids=[made[i].pk for i in picks],
                )
            reviews.answers_publish(actor=actor, review=review)
    _complete_if_allowed(assessment, actor)


def _open_review(actor: User) -> None:
    assessment = _assessment(
        LONELINESS, "older-people", EAST, "Which older people in east Leeds are lonely, and what helps?", actor
    )
    if Review.objects.filter(title=OPEN_REVIEW["title"]).exists():
        return
    now = clock.now()
    opens = now - timedelta(days=16)
    with clock.replaying(opens - timedelta(hours=2)):
        review = reviews.review_create(
            actor=actor,
            body=assessment.body,
            data=OPEN_REVIEW | {"assessment": assessment, "opens_at": opens, "closes_at": now + timedelta(days=14)},
        )
        review = reviews.review_publish(actor=actor, review=review)
    for number, (who, text) in enumerate(OPEN_COMMENTS):
        with clock.replaying(opens + timedelta(days=2 + 5 * number)):
            _post(review, who, text)


def load() -> list[dict]:
    """Load both reviews once, as the council's commissioner. Adds no accounts."""
    actor = User.objects.get(email=COMMISSIONER)
    _completed_review(actor)
    _open_review(actor)
    return []
