"""Demo letters: each demo award's letters go the working morning after its decision, then its award
notice is published and recorded (:func:`commissioning.evaluation.demo.award_notice_publish`).

Runs after evaluation's demo, through the same services as the pages, inside
``clock.replaying``. Sending is once per letter, so loading again sends nothing twice.
"""

from django.db import transaction

from commissioning.accounts.models import User
from commissioning.core import clock
from commissioning.evaluation import demo as evaluation_demo

from .services import letters_send_all


def load() -> list[dict]:
    """Send the demo awards' letters and record their notices (idempotent). Adds no accounts."""
    commissioner = User.objects.get(email=evaluation_demo.COUNCIL_COMMISSIONER)
    with transaction.atomic():
        for evaluation in evaluation_demo.demo_awards():
            if evaluation.notice_published_at is None:
                with clock.replaying(evaluation_demo.morning_after(evaluation)):
                    letters_send_all(actor=commissioner, evaluation=evaluation)
            evaluation_demo.award_notice_publish(evaluation)
    return []
