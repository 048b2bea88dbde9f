"""How opportunities tell the planning stage below them what happened, through planning's hooks.

Planning never imports this stage: it offers hooks, and this module fills them
when Django starts (``OpportunitiesConfig.ready``).
"""

from django.conf import settings
from django.urls import reverse

from commissioning.planning import appraisals, events

from . import notifications
from .models import Opportunity, Status


def record_has_published_opportunity(record) -> bool:
    """The record's options appraisal is the record of a decision once an opportunity of it is published."""
    return Opportunity.objects.filter(record=record, status=Status.PUBLISHED).exists()


def alert_subscribers_to_plan(plan) -> None:
    """Planned commissioning put on the pipeline reaches the same alert subscribers as opportunities (PL-1)."""
    link = f"{settings.SITE_URL}{reverse('planning:detail', args=[plan.record.reference])}"
    notifications.plan_published(plan, link)


def register() -> None:
    appraisals.when_published(record_has_published_opportunity)
    if alert_subscribers_to_plan not in events.after_plan_published:
        events.after_plan_published.append(alert_subscribers_to_plan)
