from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "commissioning.opportunities"
    label = "opportunities"
    verbose_name = "Opportunities: tenders and grant rounds"

    def ready(self):
        # Imported here, not at the top: the hooks load models, which exist only once the registry is ready.
        from . import planning_hooks

        planning_hooks.register()
