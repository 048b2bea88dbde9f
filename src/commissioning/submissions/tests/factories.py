"""Bids built through the services, as a provider would make them."""

from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import IdentifierFactory, VerifiedProviderFactory, person_with_role
from commissioning.evidence.tests.factories import record
from commissioning.opportunities.tests.factories import commissioner_at, published
from commissioning.submissions import services

ITEMS = ["insurance_public", "safeguarding_adults"]


def tender(commissioner=None, **overrides):
    """An open tender with two floor-priced lots of £40,000 (floors £28,000) asking for two evidence items."""
    overrides.setdefault("standard_items", ITEMS)
    return published(commissioner or commissioner_at(), **overrides)


def bidder(organisation=None, role=Role.PROVIDER_ADMIN, *, evidence=True):
    """A person at a verified provider whose evidence store holds every item the tender asks for."""
    organisation = organisation or VerifiedProviderFactory()
    if not organisation.identifiers.exists():
        IdentifierFactory(organisation=organisation)
    person = person_with_role(role, organisation)
    if evidence:
        for item in ITEMS:
            record(person, organisation, item)
    return person, organisation


def fair_price(lot) -> Decimal | None:
    """Three quarters of the lot's value (above its floor), the maximum award of a grant, nothing when fixed."""
    if lot.pricing == "fixed":
        return None
    if lot.pricing == "max_award":
        return lot.max_award
    return (lot.value * Decimal("0.75")).quantize(Decimal("0.01"))


def complete(opportunity, person, organisation, *, price=None):
    """A bid for every lot with every section done, ready to submit."""
    submission = services.submission_start(actor=person, opportunity=opportunity, organisation=organisation)
    lots = list(opportunity.lots.all())
    services.lots_save(actor=person, submission=submission, prices={lot.pk: price or fair_price(lot) for lot in lots})
    services.evidence_confirm(
        actor=person, submission=submission, organisation=organisation, items=opportunity.standard_items
    )
    for question in opportunity.questions.all():
        services.answer_save(
            actor=person, submission=submission, question=question, text=f"Our answer to question {question.number}."
        )
    if opportunity.kind == "tender":
        services.commitment_add(
            actor=person,
            submission=submission,
            description="Recruit local volunteers",
            measure="Volunteers recruited in Leeds",
            target="20 a year",
        )
    submission.refresh_from_db()
    return submission


def submit(person, submission):
    return services.submission_submit(
        actor=person,
        submission=submission,
        declaration_name=person.full_name,
        declaration_role="Director",
        confirmed=True,
    )
