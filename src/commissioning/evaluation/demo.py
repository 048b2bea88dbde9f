"""Demo evaluations, told through the services at the moments they happened.

- "Home from hospital" was published three months ago, closed, scored by a
  panel of two, moderated, recommended, approved by a second commissioner and
  awarded five weeks ago: the letters went the next morning, then the award
  notice was published and recorded; the standstill is over.
- "Young carers' wellbeing sessions" was awarded three working days ago; its
  letters went and its award notice was published the next working day, so
  its standstill (eight working days beginning with that day, as the
  Procurement Act 2023 counts it; a voluntary one, below the threshold) is
  running.
- The befriending tender (closed three working days ago, its bids opened) is
  being evaluated: its evaluator has declared and scored one bid so far.

The letters are feedback's (:mod:`commissioning.feedback.demo`): it sends
them the morning after each award, then asks :func:`award_notice_publish`
to record the notice, so that loading evaluation's demo alone leaves both
standstills waiting for their notice.

Each story runs inside ``clock.replaying`` so every date is where it would
be, and through the same services and rules as the pages. An opportunity is
found by its title, so loading again makes nothing twice.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock
from commissioning.core.workdays import is_working_day
from commissioning.opportunities.demo import SOCIAL_VALUE_QUESTION, build, demo_cast
from commissioning.opportunities.models import Opportunity
from commissioning.submissions import services as submission_services
from commissioning.submissions.demo import BEFRIENDING, _draft, _submit

from . import services
from .models import Evaluation, EvaluationStatus

COUNCIL_COMMISSIONER = "commissioner@leeds-council.example"
APPROVER = "head-of-commissioning@leeds-council.example"
EVALUATOR = "evaluator@leeds-council.example"

HOME_FROM_HOSPITAL = "Home from hospital: settling-in support for older people"
YOUNG_CARERS_WELLBEING = "Young carers' wellbeing sessions in west Leeds"

SPECS = {
    HOME_FROM_HOSPITAL: {
        "title": HOME_FROM_HOSPITAL,
        "state": "open",
        "lead": "council",
        "kind": "tender",
        "area": "older-people",
        "wards": "city-wide",
        "value": 90_000,
        "months": 24,
        "summary": "Practical and emotional support for older people in the first weeks home from hospital.",
        "description": (
            "Volunteers and a small paid team meet people on the ward or at home, check the house is warm "
            "and stocked, and call or visit for up to six weeks while confidence comes back."
        ),
        "outcomes": ["Fewer readmissions within 30 days", "People feel safe and supported at home"],
        "price_weight": 30,
        "questions": [
            ("quality", "How will you make sure nobody goes home from hospital to a cold, empty house?", 500, 30),
            ("quality", "How will you recruit, train and support your volunteers?", 500, 30),
            (*SOCIAL_VALUE_QUESTION[:2], 300, 10),
        ],
        "lots": [{"title": "Home from hospital, city-wide", "value": 90_000, "wards": "city-wide", "floor": 72_000}],
        "events": [
            {
                "title": "Meet the buyer: home from hospital",
                "in": 5,
                "mode": "online",
                "link": "https://meet.leeds-council.example/home-from-hospital",
                "capacity": 30,
            }
        ],
        "close_in": 20,
    },
    YOUNG_CARERS_WELLBEING: {
        "title": YOUNG_CARERS_WELLBEING,
        "state": "open",
        "lead": "council",
        "kind": "tender",
        "area": "carers-support",
        "wards": ["Armley", "Bramley & Stanningley", "Farnley & Wortley", "Kirkstall"],
        "value": 48_000,
        "months": 24,
        "summary": "Weekly wellbeing sessions and one-to-one time for young carers aged 11 to 18 in west Leeds.",
        "description": (
            "Young carers told us they want somewhere to talk to people who understand, and a trusted adult "
            "who will speak up for them at school."
        ),
        "outcomes": ["Young carers feel less alone", "Schools know and support their young carers"],
        "price_weight": 30,
        "questions": [
            ("quality", "How will young carers shape the sessions?", 500, 30),
            ("quality", "How will you work with schools in west Leeds?", 500, 30),
            (*SOCIAL_VALUE_QUESTION[:2], 300, 10),
        ],
        "lots": [
            {
                "title": "Young carers' wellbeing, west Leeds",
                "value": 48_000,
                "wards": ["Armley", "Bramley & Stanningley", "Farnley & Wortley", "Kirkstall"],
                "floor": 38_400,
            }
        ],
        "events": [
            {
                "title": "Drop-in: young carers' wellbeing",
                "in": 4,
                "mode": "in_person",
                "address": "Armley Library, Stocks Hill, Leeds LS12 1UQ",
                "capacity": 20,
            }
        ],
        "close_in": 20,
    },
}


def _person(email: str) -> tuple[User, Organisation]:
    user = User.objects.get(email=email)
    return user, next(m.organisation for m in user.memberships.select_related("organisation"))


def _noon(day) -> datetime:
    return datetime.combine(day, time(12), clock.LONDON)


def _score_all(evaluation: Evaluation, panelist, scores: dict[int, int], justification: str) -> None:
    bids = services.bids_for(evaluation)
    services.conflicts_declare(actor=panelist.user, panelist=panelist, declarations={b.submission.pk: "" for b in bids})
    for bid in bids:
        for question in evaluation.opportunity.questions.all():
            services.score_save(
                actor=panelist.user,
                panelist=panelist,
                submission=bid.submission,
                question=question,
                score=scores[bid.submission.organisation_id],
                justification=justification,
            )
    services.scores_submit(actor=panelist.user, panelist=panelist)


# What the panel agreed about an answer at each score, by the kind of question: the reasons a bidder reads
# for its own scores in its letter.
RATIONALES = {
    "quality": {
        4: "An excellent answer: a clear plan, evidenced from the bidder's current work in Leeds",
        3: "A good answer, with less detail than the strongest on how the service would work from day to day",
        2: "An adequate answer: the approach was described but not evidenced, and the main risks were not addressed",
        1: "A weak answer: it did not show how the requirement would be met",
        0: "The answer did not address the question",
    },
    "social_value": {
        4: "Specific, measurable commitments tied to the Leeds social value ambitions",
        3: "Good commitments, though some of the targets could not be measured",
        2: "Commitments described in general terms, with no targets to measure them by",
        1: "Few commitments, and none tied to the Leeds social value ambitions",
        0: "No social value commitments were made",
    },
}


def _rationale(question, score: int) -> str:
    """The moderation rationale for one answer: it fits that answer's own score, so each bidder reads its own."""
    by_score = RATIONALES.get(question.kind, RATIONALES["quality"])
    return by_score[max(0, min(score, 4))]


def _evaluate_and_award(opportunity: Opportunity, scores: dict, *, decided: datetime) -> None:
    commissioner, _ = _person(COUNCIL_COMMISSIONER)
    approver, _ = _person(APPROVER)
    evaluator, _ = _person(EVALUATOR)
    with clock.replaying(opportunity.submission_deadline + timedelta(hours=20)):
        submission_services.submissions_open(actor=commissioner, opportunity=opportunity)
        evaluation = services.evaluation_start(actor=commissioner, opportunity=opportunity)
        first = services.panelist_appoint(actor=commissioner, evaluation=evaluation, user=evaluator)
        second = services.panelist_appoint(actor=commissioner, evaluation=evaluation, user=approver)
    with clock.replaying(opportunity.submission_deadline + timedelta(days=3)):
        _score_all(evaluation, first, scores, "Clear and evidenced, with local examples")
        _score_all(
            evaluation,
            second,
            {org: max(score - 1, 0) for org, score in scores.items()},
            "Sound, though some of the plan rests on volunteers not yet recruited",
        )
    evaluation.refresh_from_db()
    with clock.replaying(opportunity.submission_deadline + timedelta(days=6)):
        for bid in services.bids_for(evaluation):
            for question in opportunity.questions.all():
                services.moderated_score_save(
                    actor=commissioner,
                    evaluation=evaluation,
                    submission=bid.submission,
                    question=question,
                    score=scores[bid.submission.organisation_id],
                    rationale=_rationale(question, scores[bid.submission.organisation_id]),
                )
        services.evaluation_recommend(
            actor=commissioner,
            evaluation=evaluation,
            note="The first-ranked bid scored highest on quality and was within the budget.",
        )
    with clock.replaying(decided - timedelta(hours=3)):
        services.evaluation_approve(actor=approver, evaluation=evaluation)
    with clock.replaying(decided):
        services.evaluation_award(actor=commissioner, evaluation=Evaluation.objects.get(pk=evaluation.pk))


def morning_after(evaluation: Evaluation) -> datetime:
    """Half past nine on the working day after the demo award's decision: when its letters go."""
    decided = clock.london(evaluation.decided_at)
    return datetime.combine(_working_days_forward(decided.date(), 1), time(9, 30), clock.LONDON)


def award_notice_publish(evaluation: Evaluation) -> None:
    """Record the demo award's notice, published an hour after its letters went (once: again does nothing).

    Feedback's demo calls it once it has sent the letters, so the letters go
    first, as they did; the notice starts the standstill under the Act's counting.
    """
    evaluation = Evaluation.objects.select_related("opportunity").get(pk=evaluation.pk)
    if evaluation.notice_published_at is not None or not evaluation.standstill_days:
        return
    commissioner, _ = _person(COUNCIL_COMMISSIONER)
    published = morning_after(evaluation) + timedelta(hours=1)
    with clock.replaying(published + timedelta(minutes=25)):
        services.award_notice_record(
            actor=commissioner,
            evaluation=evaluation,
            published_at=published,
            reference=f"{evaluation.opportunity.pk:06d}-{published.year}",
        )


def demo_awards() -> list[Evaluation]:
    """The demo's awarded evaluations, by title (none before they are told)."""
    return list(
        Evaluation.objects.filter(
            opportunity__title__in=[HOME_FROM_HOSPITAL, YOUNG_CARERS_WELLBEING], status=EvaluationStatus.AWARDED
        )
        .select_related("opportunity")
        .order_by("decided_at")
    )


def _tell(title: str, *, published: datetime, bidders: dict, scores: dict, decided) -> None:
    if Opportunity.objects.filter(title=title).exists():
        return
    cast = demo_cast()
    with transaction.atomic():
        with clock.replaying(published):
            opportunity = build(SPECS[title], cast)
        with clock.replaying(opportunity.submission_deadline - timedelta(days=2, hours=4)):
            for email, price in bidders.items():
                person, organisation = _person(email)
                _submit(person, _draft(person, organisation, opportunity, lots={1: price}))
        organisations = {_person(email)[1].pk: score for email, score in scores.items()}
        _evaluate_and_award(opportunity, organisations, decided=decided)


def load() -> list[dict]:
    """Tell the demo evaluations (idempotent). Adds no accounts."""
    today = clock.today()
    _tell(
        HOME_FROM_HOSPITAL,
        published=_noon(today - timedelta(days=95)),
        bidders={
            "admin@seacroft-digital.example": Decimal("79500.00"),
            "admin@leeds-mental-wellbeing.example": Decimal("86000.00"),
        },
        scores={"admin@seacroft-digital.example": 4, "admin@leeds-mental-wellbeing.example": 3},
        decided=_noon(_working_days_back(today, 25)),
    )
    decided = _noon(_working_days_back(today, 3))
    _tell(
        YOUNG_CARERS_WELLBEING,
        published=decided - timedelta(days=45),
        bidders={
            "admin@armley-carers.example": Decimal("44000.00"),
            "admin@leeds-mental-wellbeing.example": Decimal("41000.00"),
        },
        scores={"admin@armley-carers.example": 4, "admin@leeds-mental-wellbeing.example": 2},
        decided=decided,
    )
    _befriending_under_way()
    return []


def _working_days_forward(day, days: int):
    """The working day ``days`` working days after ``day``."""
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def _working_days_back(day, days: int):
    """The working day ``days`` working days before ``day``."""
    while days:
        day -= timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def _befriending_under_way() -> None:
    """The evaluator has declared and scored the first bid; the second is still to score."""
    opportunity = Opportunity.objects.filter(title=BEFRIENDING).first()
    if opportunity is None or Evaluation.objects.filter(opportunity=opportunity).exists():
        return
    if not hasattr(opportunity, "opening"):
        return
    commissioner, _ = _person(COUNCIL_COMMISSIONER)
    evaluator, _ = _person(EVALUATOR)
    with transaction.atomic():
        evaluation = services.evaluation_start(actor=commissioner, opportunity=opportunity)
        panelist = services.panelist_appoint(actor=commissioner, evaluation=evaluation, user=evaluator)
        bids = services.bids_for(evaluation)
        services.conflicts_declare(actor=evaluator, panelist=panelist, declarations={b.submission.pk: "" for b in bids})
        first = bids[0]
        for question in opportunity.questions.all():
            services.score_save(
                actor=evaluator,
                panelist=panelist,
                submission=first.submission,
                question=question,
                score=3,
                justification="A clear plan for recruiting befrienders in the villages, with training in place",
            )
