from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The cross-stage pages: the commissioner's home and the provider's bids, fed by every stage.

    It stands above every stage and may read any of them; no stage imports it.
    Each stage's tasks come through the registry in ``core.worklist``, whose
    sources are found in each app's ``worklist.py``.
    """

    name = "commissioning.review"
    label = "review"
    verbose_name = "Across the stages: dashboards and reviews"
