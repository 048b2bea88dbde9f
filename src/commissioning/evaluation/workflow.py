"""The evaluation's moves: scoring → moderation → recommended → approved → awarded.

Guards are plain functions of the evaluation and the actor; each returns a
sentence when the move may not happen. Approval must come from a second
commissioner, never the one who recommended. Scoring ends with the last
evaluator's submission, so that move is the evaluator's.
"""

from commissioning.audit.transitions import Workflow, t
from commissioning.opportunities.permissions import is_commissioner_for

from .models import EvaluationStatus as S


def _commissioner(evaluation, actor) -> str | None:
    if not is_commissioner_for(actor, evaluation.opportunity):
        return "Only a commissioner of this opportunity can do this"
    return None


def _the_last_evaluator(evaluation, actor) -> str | None:
    # Scoring ends when the last evaluator submits: the move is theirs, and the audit log says so.
    if not evaluation.panelists.filter(user_id=getattr(actor, "pk", None), scores_submitted_at__isnull=False).exists():
        return "Only an evaluator who has submitted their scores ends the scoring"
    return None


def _every_panelist_has_scored(evaluation, actor) -> str | None:
    panel = list(evaluation.panelists.all())
    if not panel:
        return "Appoint at least one evaluator"
    waiting = [p.user.get_full_name() for p in panel if p.scores_submitted_at is None]
    if waiting:
        return f"Waiting for scores from {', '.join(waiting)}"
    return None


def _a_second_commissioner(evaluation, actor) -> str | None:
    if evaluation.recommended_by_id == getattr(actor, "pk", None):
        return "The recommendation must be approved by a different commissioner from the one who made it"
    return None


EVALUATION_WORKFLOW = Workflow(
    name="evaluation",
    statuses=S,
    transitions=(
        t("moderate", S.SCORING, S.MODERATION, _the_last_evaluator, _every_panelist_has_scored),
        t("recommend", S.MODERATION, S.RECOMMENDED, _commissioner),
        t("approve", S.RECOMMENDED, S.APPROVED, _commissioner, _a_second_commissioner),
        t("send_back", [S.RECOMMENDED, S.APPROVED], S.MODERATION, _commissioner),
        t("award", S.APPROVED, S.AWARDED, _commissioner),
    ),
)
