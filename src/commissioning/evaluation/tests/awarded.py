"""Tenders and grant rounds taken through evaluation to the award decision, through the services."""

from decimal import Decimal

from commissioning.evaluation import services

from .factories import moderate_everything, opened_tender, score_everything


def decide(opened, scores: dict, *, grant_decisions=None):
    """Score and moderate each bid's every answer at ``scores[submission.pk]``, recommend, approve, award."""
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    score_everything(evaluation, panelist, lambda submission, question: scores[submission.pk])
    evaluation.refresh_from_db()
    moderate_everything(evaluation, opened.commissioner, lambda submission, question: scores[submission.pk])
    evaluation = services.evaluation_recommend(
        actor=opened.commissioner,
        evaluation=evaluation,
        note="The highest scores win",
        grant_decisions=grant_decisions(evaluation) if grant_decisions else None,
    )
    evaluation = services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)
    return services.evaluation_award(actor=opened.commissioner, evaluation=evaluation)


def awarded_tender(scores=(4, 3, 2), **overrides):
    """A two-lot tender with three bids (30,000, 32,000 and 29,000 a lot) awarded to the first on both lots.

    Returns (opened, evaluation); the caller stops ``opened.travel``.
    """
    opened = opened_tender(**overrides)
    by_submission = {submission.pk: score for (_, _, submission), score in zip(opened.bidders, scores, strict=True)}
    return opened, decide(opened, by_submission)


def awarded_grant():
    """A two-lot grant round with two applications: the first approved on both lots, the second declined.

    Returns (opened, evaluation); the caller stops ``opened.travel``.
    """
    opened = opened_tender(prices=(Decimal("9000.00"), Decimal("8000.00")), kind="grant")
    first, second = (submission for _, _, submission in opened.bidders)

    def decisions(evaluation):
        lots = list(evaluation.opportunity.lots.all())
        made = {}
        for lot in lots:
            made[(first.pk, lot.pk)] = (True, Decimal("9000.00"), "Strong plan, well evidenced")
            made[(second.pk, lot.pk)] = (False, None, "Scored below the funding line for this round")
        return made

    return opened, decide(opened, {first.pk: 4, second.pk: 2}, grant_decisions=decisions)


def notice_published(opened, evaluation, published_at=None):
    """Record the award notice as published now (or at ``published_at``): the standstill starts."""
    from commissioning.core import clock

    return services.award_notice_record(
        actor=opened.commissioner, evaluation=evaluation, published_at=published_at or clock.now()
    )
