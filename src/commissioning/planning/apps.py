from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "commissioning.planning"
    label = "planning"
    verbose_name = "Planning"
