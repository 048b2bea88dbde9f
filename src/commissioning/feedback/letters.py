"""The letters written at the award decision: what each bidder is told, fixed when it is written.

- A successful tender bidder gets an award letter; an unsuccessful one a
  feedback letter (PR-10) with, for each lot it bid for, its own scores
  against the winner's on every criterion, the panel's reasons for its own
  scores, its rank, and the standstill: the rule it is counted by and,
  once the award notice's publication is recorded, when it ends.
- A grant applicant gets an offer letter carrying the Compact for Leeds clause
  (PR-11), or a decision letter with the same feedback.

A letter never names or scores another unsuccessful bidder. Its content is
kept as written (the record of what was said); pages and DOCX render it.
"""

from decimal import Decimal

from commissioning.core import clock
from commissioning.core.workdays import add_working_days_db
from commissioning.evaluation.models import Decision, Evaluation, Outcome
from commissioning.evaluation.selectors import moderated_scores, results_for
from commissioning.practice.checks import rule_setting

from .models import LetterKind

COMPACT_CLAUSE = (
    "This grant is offered in line with the Compact for Leeds, the agreement between the public sector and "
    "the third sector in Leeds. Both parties will work to its principles: respecting the independence of the "
    "third sector, being open and fair in funding, and working together for the best outcomes for the people "
    "of Leeds."
)


def _money(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def feedback_due(evaluation: Evaluation):
    """The day by which letters must be sent: the PR-10 setting, in working days after the decision."""
    days = int(rule_setting("PR-10", "feedback_working_days"))
    return add_working_days_db(clock.london(evaluation.decided_at).date(), days)


def standstill_content(evaluation: Evaluation) -> dict:
    """What a letter says about the standstill: its length, the rule it is counted by, and (once the
    notice's publication is recorded) when the notice was published and when the standstill ends."""
    return {
        "standstill_days": evaluation.standstill_days,
        "standstill_rule": evaluation.standstill_rule or {},
        "notice_published_at": (evaluation.notice_published_at.isoformat() if evaluation.notice_published_at else None),
        "notice_reference": evaluation.notice_reference,
        "standstill_ends": evaluation.standstill_ends.isoformat() if evaluation.standstill_ends else None,
    }


def _criteria_rows(questions, mine, winner, moderated, submission_id, winner_id) -> list[dict]:
    rows = []
    for question in questions:
        key = str(question.pk)
        own = moderated.get((submission_id, question.pk))
        rows.append(
            {
                "question": question.number,
                "text": question.text,
                "kind": question.kind,
                "weight": f"{question.weight:.2f}",
                "score": own.score if own else None,
                "points": f"{mine.components[key]:.2f}",
                "winner_points": f"{winner.components[key]:.2f}" if winner and winner_id != submission_id else None,
                "reason": own.rationale if own else "",
            }
        )
    return rows


def letter_contents(evaluation: Evaluation) -> list[tuple[int, str, dict]]:
    """What each bidder's letter says, from the decisions and the results: (submission id, kind, content).

    A plain read: :func:`commissioning.feedback.services.letters_write` keeps it.
    """
    opportunity = evaluation.opportunity
    questions = list(opportunity.questions.all())
    moderated = moderated_scores(evaluation)
    decisions = list(evaluation.decisions.select_related("lot", "organisation", "submission"))
    by_submission: dict[int, list[Decision]] = {}
    for decision in decisions:
        by_submission.setdefault(decision.submission_id, []).append(decision)
    results = {lr.lot.pk: lr for lr in results_for(evaluation)}
    winners = {d.lot_id: d.submission_id for d in decisions if d.outcome == Outcome.AWARDED}
    grant = opportunity.kind == "grant"
    contents = []
    for submission_id, own in by_submission.items():
        successful = [d for d in own if d.outcome == Outcome.AWARDED]
        if grant:
            kind = LetterKind.OFFER if successful else LetterKind.DECLINE
        else:
            kind = LetterKind.AWARD if successful else LetterKind.FEEDBACK
        lots = []
        for decision in own:
            lot_results = results[decision.lot_id]
            by_key = {r.key: r for r in lot_results.results}
            mine = by_key[str(submission_id)]
            winner_id = winners.get(decision.lot_id)
            winner = by_key.get(str(winner_id)) if winner_id else None
            lots.append(
                {
                    "number": decision.lot.number,
                    "title": decision.lot.title,
                    "outcome": decision.outcome,
                    "amount": _money(decision.amount),
                    "rank": decision.rank,
                    "bids": len(lot_results.results),
                    "reason": decision.reason,
                    "total": f"{mine.total:.2f}",
                    "price_points": f"{mine.price:.2f}" if mine.price is not None else None,
                    "winner_total": f"{winner.total:.2f}" if winner and winner_id != submission_id else None,
                    "winner_price_points": (
                        f"{winner.price:.2f}"
                        if winner and winner.price is not None and winner_id != submission_id
                        else None
                    ),
                    "criteria": _criteria_rows(questions, mine, winner, moderated, submission_id, winner_id),
                }
            )
        organisation = own[0].organisation
        content = {
            "opportunity": {
                "reference": opportunity.reference,
                "title": opportunity.title,
                "kind": opportunity.kind,
            },
            "organisation": organisation.name,
            "decided_at": evaluation.decided_at.isoformat(),
            **standstill_content(evaluation),
            "lots": lots,
            "compact_clause": COMPACT_CLAUSE if kind == LetterKind.OFFER else "",
            "price_weight": f"{opportunity.price_weight:.2f}",
            "scale": evaluation.scale,
        }
        contents.append((submission_id, kind, content))
    return contents
