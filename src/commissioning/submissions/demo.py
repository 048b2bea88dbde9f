"""Demo bids and applications, made through the services by the demo providers' own people.

- Armley Young Carers Project has a draft application for the young carers
  grant round, half written, for its demo people to finish.
- Leeds Mental Wellbeing Partnership leads a consortium bid with Seacroft
  Digital Inclusion CIC for the crisis alternatives tender (submitted, sealed
  until the deadline), and has withdrawn and resubmitted its bid for social
  prescribing.
- The befriending tender closed three working days ago with two bids, made
  while it was open; Leeds City Council's commissioner has opened them.

Evidence comes from the stores :mod:`commissioning.evidence.demo` filled; the
items a bidder still lacks are added by its own people first. A bid is found
by its opportunity and organisation, so loading again makes nothing twice.
"""

from datetime import timedelta
from decimal import Decimal

from commissioning.accounts.models import Organisation, User
from commissioning.core import clock
from commissioning.evidence import services as evidence_services
from commissioning.evidence.demo import pdf_upload, sample_data
from commissioning.evidence.models import EvidenceItem
from commissioning.evidence.specs import spec_for
from commissioning.opportunities.models import Opportunity

from . import services
from .models import Opening, Submission

CRISIS = "Crisis alternatives and peer support for adult mental health"
YOUNG_CARERS = "Young carers breaks and activities in west Leeds"
SOCIAL_PRESCRIBING = "Social prescribing and community connectors"
BEFRIENDING = "Befriending for isolated older people in Wharfedale and Aireborough"

# Answers written in the voice of each organisation: (opening, how, proof).
VOICES = {
    "Leeds Mental Wellbeing Partnership": (
        "We have run peer-led mental health support in Leeds for eleven years, and half of our staff and "
        "volunteers have used mental health services themselves.",
        "We will build on the groups we already run in Harehills, Seacroft and Beeston, with a paid peer "
        "worker in each area, weekly supervision from a clinical lead, and a shared plan agreed with each "
        "person who comes to us.",
        "Last year 86% of the people we supported said they felt safer and better able to plan what "
        "happens next, and A&E attendances among our regular members fell by a third.",
    ),
    "Seacroft Digital Inclusion CIC": (
        "We are a community interest company in Seacroft helping people get online and stay connected.",
        "Volunteers will call or visit every week, and help people use a tablet to keep in touch with "
        "family and join groups online when getting out is hard.",
        "Our volunteers made 4,100 calls last year, and 70% of the people we support now use video calls.",
    ),
    "Armley Young Carers Project": (
        "Young carers in Armley, Bramley and Farnley planned this with us over three evenings in the summer.",
        "Fortnightly activity sessions, a residential weekend each year, and a named worker for each young "
        "carer who needs one, working with schools to find young carers early.",
    ),
}


def _answer(organisation: Organisation, question, *, partial: bool = False) -> str:
    voice = VOICES[organisation.name]
    text = "\n\n".join(voice if not partial else voice[:1])
    words = text.split()
    return " ".join(words[: max(question.word_limit - 5, 1)])


def _person(email: str) -> tuple[User, Organisation]:
    user = User.objects.get(email=email)
    return user, next(m.organisation for m in user.memberships.select_related("organisation"))


def _fill_evidence(person: User, organisation: Organisation, items: list[str]) -> None:
    """Add what the organisation's store lacks for ``items``, as its own people would."""
    kept = set(EvidenceItem.objects.current().filter(organisation=organisation).values_list("item", flat=True))
    for item in items:
        if item in kept:
            continue

        upload = (
            pdf_upload(f"{organisation.slug}-{item}.pdf", f"{organisation.name}: {item}")
            if spec_for(item).takes_file
            else None
        )
        evidence_services.evidence_item_record(
            actor=person,
            organisation=organisation,
            item=item,
            data=sample_data(item, clock.today(), organisation=organisation),
            upload=upload,
        )


def _draft(person, organisation, opportunity, *, lots: dict[int, Decimal | None], partial=False, commit=True):
    """A bid with the given lots (number -> price), evidence confirmed and every question answered."""
    submission = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    by_number = {lot.number: lot for lot in opportunity.lots.all()}
    services.lots_save(actor=person, submission=submission, prices={by_number[n].pk: p for n, p in lots.items()})
    services.evidence_confirm(
        actor=person, submission=submission, organisation=organisation, items=list(opportunity.standard_items)
    )
    questions = list(opportunity.questions.all())
    for question in questions[:1] if partial else questions:
        services.answer_save(
            actor=person,
            submission=submission,
            question=question,
            text=_answer(organisation, question, partial=partial),
        )
    if commit and opportunity.kind == "tender":
        services.commitment_add(
            actor=person,
            submission=submission,
            description="Recruit and train volunteers from the neighbourhoods the service works in",
            measure="Local volunteers trained and active",
            target="30 a year",
        )
        services.commitment_add(
            actor=person,
            submission=submission,
            description="Offer paid placements to people with lived experience",
            measure="Placements completed",
            target="6 a year",
        )
    return submission


def _submit(person, submission):
    return services.submission_submit(
        actor=person,
        submission=submission,
        declaration_name=person.full_name,
        declaration_role=person.job_title or "Chief executive",
        confirmed=True,
    )


def _has_bid(opportunity, organisation) -> bool:
    return Submission.objects.filter(opportunity=opportunity, organisation=organisation).exists()


def load() -> list[dict]:
    """Make the demo bids (idempotent). Adds no accounts."""
    opportunities = {
        o.title: o
        for o in Opportunity.objects.filter(title__in=[CRISIS, YOUNG_CARERS, SOCIAL_PRESCRIBING, BEFRIENDING])
    }
    if len(opportunities) < 4:
        return []
    armley_worker, armley = _person("worker@armley-carers.example")
    wellbeing_admin, wellbeing = _person("admin@leeds-mental-wellbeing.example")
    seacroft_admin, seacroft = _person("admin@seacroft-digital.example")
    for person, organisation in ((wellbeing_admin, wellbeing), (seacroft_admin, seacroft)):
        _fill_evidence(
            person,
            organisation,
            sorted({i for o in opportunities.values() for i in o.standard_items if o.kind == "tender"}),
        )

    young_carers = opportunities[YOUNG_CARERS]
    if not _has_bid(young_carers, armley):
        first = young_carers.lots.order_by("number").first()
        _draft(armley_worker, armley, young_carers, lots={first.number: Decimal("12500.00")}, partial=True)

    crisis = opportunities[CRISIS]
    if not _has_bid(crisis, wellbeing):
        submission = _draft(wellbeing_admin, wellbeing, crisis, lots={2: Decimal("336000.00"), 3: Decimal("279500.00")})
        member = services.member_invite(
            actor=wellbeing_admin,
            submission=submission,
            organisation=seacroft,
            role="Digital support and online peer groups for people who cannot get to a group in person",
        )
        services.member_answer(actor=seacroft_admin, member=member, accept=True)
        services.evidence_confirm(
            actor=seacroft_admin, submission=submission, organisation=seacroft, items=list(crisis.standard_items)
        )
        services.attachment_add(
            actor=wellbeing_admin,
            submission=submission,
            title="Mobilisation plan",
            upload=pdf_upload("mobilisation-plan.pdf", "Leeds Mental Wellbeing Partnership: mobilisation plan"),
        )
        _submit(wellbeing_admin, submission)

    prescribing = opportunities[SOCIAL_PRESCRIBING]
    if not _has_bid(prescribing, wellbeing):
        submission = _draft(wellbeing_admin, wellbeing, prescribing, lots={1: Decimal("196000.00")})
        _submit(wellbeing_admin, submission)
        services.submission_withdraw(actor=wellbeing_admin, submission=submission)
        services.lots_save(
            actor=wellbeing_admin,
            submission=submission,
            prices={lot.pk: Decimal("189500.00") for lot in prescribing.lots.filter(number=1)},
        )
        _submit(wellbeing_admin, submission)

    befriending = opportunities[BEFRIENDING]
    if not _has_bid(befriending, wellbeing) and befriending.submission_deadline < clock.now():
        # Bids made while it was open, two days before its deadline.
        with clock.replaying(befriending.submission_deadline - timedelta(days=2, hours=3)):
            _submit(wellbeing_admin, _draft(wellbeing_admin, wellbeing, befriending, lots={1: Decimal("41800.00")}))
            _submit(seacroft_admin, _draft(seacroft_admin, seacroft, befriending, lots={1: Decimal("38250.00")}))
    if befriending.submission_deadline < clock.now() and not Opening.objects.filter(opportunity=befriending).exists():
        commissioner = User.objects.get(email="commissioner@leeds-council.example")
        services.submissions_open(actor=commissioner, opportunity=befriending)
    return []
