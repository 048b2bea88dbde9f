"""An opened tender with bids, and evaluation steps done through the services."""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core.tests.travel import builder_travel
from commissioning.evaluation import services
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.submissions import services as submission_services
from commissioning.submissions.tests.factories import bidder, complete, submit, tender


@dataclass
class Opened:
    """A tender after its deadline, its bids opened; the clock stays after the deadline while in use."""

    opportunity: object
    commissioner: object
    second_commissioner: object
    bidders: list = field(default_factory=list)  # (person, organisation, submission)
    travel: object = None

    @property
    def body(self):
        return self.opportunity.lead_commissioner

    def evaluator(self):
        return person_with_role(Role.EVALUATOR, self.body)


def opened_tender(prices=(Decimal("30000.00"), Decimal("32000.00"), Decimal("29000.00")), **overrides) -> Opened:
    """A two-lot tender (lots of £40,000, floors £28,000) with one bid per price, opened after its deadline.

    The clock stays after the deadline until the test ends (the root conftest ends the travel).
    """
    commissioner = commissioner_at()
    body = commissioner.memberships.get(role=Role.COMMISSIONER).organisation
    second = person_with_role(Role.COMMISSIONER, body)
    opportunity = tender(commissioner, **overrides)
    bids = []
    for price in prices:
        person, organisation = bidder()
        submission = complete(opportunity, person, organisation, price=price)
        submit(person, submission)
        bids.append((person, organisation, submission))
    travel = builder_travel(opportunity.submission_deadline + timedelta(hours=1))
    submission_services.submissions_open(actor=commissioner, opportunity=opportunity)
    return Opened(opportunity, commissioner, second, bids, travel)


def score_everything(evaluation, panelist, score_for):
    """Declare no conflicts and score every answer with ``score_for(submission, question)``, then submit."""
    user = panelist.user
    bids = [bid for bid in services.bids_for(evaluation)]
    services.conflicts_declare(actor=user, panelist=panelist, declarations={b.submission.pk: "" for b in bids})
    for bid in bids:
        for question in evaluation.opportunity.questions.all():
            services.score_save(
                actor=user,
                panelist=panelist,
                submission=bid.submission,
                question=question,
                score=score_for(bid.submission, question),
                justification="Clear, evidenced answer",
            )
    return services.scores_submit(actor=user, panelist=panelist)


def moderate_everything(evaluation, commissioner, score_for, rationale_for=None):
    """Agree every answer's score with ``score_for(submission, question)``, and its rationale with
    ``rationale_for`` (the same words for every answer when not given)."""
    for bid in services.bids_for(evaluation):
        for question in evaluation.opportunity.questions.all():
            services.moderated_score_save(
                actor=commissioner,
                evaluation=evaluation,
                submission=bid.submission,
                question=question,
                score=score_for(bid.submission, question),
                rationale=rationale_for(bid.submission, question) if rationale_for else "Agreed at moderation",
            )
