"""What the Code's explanations e-mail: the confirmer's task, and the writer's answer.

Every message is queued after the transaction commits (see
:func:`commissioning.accounts.emails.queue_email`), so a refused or rolled-back
change sends nothing.
"""

from typing import Any

from commissioning.accounts.emails import absolute, queue_email
from commissioning.accounts.models import Role, User

from .models import Explanation


def _confirmers(explanation: Explanation) -> list[str]:
    if explanation.confirmer is not None:
        return [explanation.confirmer.email]
    # Recorded before a confirmer was named: any administrator may confirm it.
    return list(
        User.objects.filter(is_active=True, memberships__role=Role.ADMINISTRATOR)
        .exclude(pk=explanation.written_by_id)
        .values_list("email", flat=True)
        .distinct()
    )


def explanation_to_confirm(explanation: Explanation, obj: Any) -> None:
    """Ask the named confirmer to confirm or decline ``explanation``, with a link to it."""
    writer = explanation.written_by.full_name if explanation.written_by else "A commissioner"
    queue_email(
        to=_confirmers(explanation),
        subject=f"Please confirm an explanation of {explanation.rule.code} for {obj}",
        body=(
            f"{writer} has explained why rule {explanation.rule.code} ({explanation.rule.title}) "
            f"does not apply to {obj}, and named you to confirm it.\n\n"
            f"Their explanation:\n\n{explanation.reason}\n\n"
            "Until you confirm it, the rule does not count as explained.\n\n"
            f"Confirm or decline it: {absolute('practice:explanation', explanation.pk)}\n"
            f"Everything waiting for you: {absolute('practice:explanations')}\n"
        ),
    )


def explanation_decided(explanation: Explanation, obj: Any) -> None:
    """Tell the writer that ``explanation`` was confirmed, or declined and why."""
    if explanation.written_by is None:
        return
    who = explanation.decided_by.full_name if explanation.decided_by else "The confirmer"
    if explanation.is_confirmed:
        subject = f"Your explanation of {explanation.rule.code} for {obj} is confirmed"
        text = f"{who} confirmed your explanation. The rule now counts as explained."
        if explanation.decision_note:
            text += f"\n\nTheir words:\n\n{explanation.decision_note}"
    else:
        subject = f"Your explanation of {explanation.rule.code} for {obj} was declined"
        text = (
            f"{who} declined your explanation, for this reason:\n\n{explanation.decision_note}\n\n"
            "The rule is not met until it is met or explained again."
        )
    queue_email(to=[explanation.written_by.email], subject=subject, body=f"{text}\n")
