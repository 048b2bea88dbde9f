from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "commissioning.opportunities"
    label = "opportunities"
    verbose_name = "Opportunities: tenders and grant rounds"
