from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "commissioning.needs"
    label = "needs"
    verbose_name = "Needs assessment"

    def ready(self):
        # The practice app discovers each app's checks.py; the open reviews' check of NA-2 lives in a
        # module of its own, imported here so it is registered before the first gate is asked.
        from . import checks_reviews  # noqa: F401
