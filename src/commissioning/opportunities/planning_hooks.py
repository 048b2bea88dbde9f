"""How opportunities tell the planning stage below them what happened, through planning's hooks.

Planning never imports this stage: it offers hooks, and this module fills them
when Django starts (``OpportunitiesConfig.ready``).
"""

from commissioning.planning import appraisals

from .models import Opportunity, Status


def record_has_published_opportunity(record) -> bool:
    """The record's options appraisal is the record of a decision once an opportunity of it is published."""
    return Opportunity.objects.filter(record=record, status=Status.PUBLISHED).exists()


def register() -> None:
    appraisals.when_published(record_has_published_opportunity)
