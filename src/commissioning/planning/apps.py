from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "commissioning.planning"
    label = "planning"
    verbose_name = "Planning"

    def ready(self):
        # The options appraisal's part of the record's page (the records app discovers only ``record``).
        from . import record_appraisal  # noqa: F401
