from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "commissioning.needs"
    label = "needs"
    verbose_name = "Needs assessment"
