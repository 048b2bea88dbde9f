from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "commissioning.practice"
    label = "practice"
    verbose_name = "The Code of Practice"

    def ready(self):
        # Each stage registers the checks for its own objects in its app's
        # checks.py; importing those modules here fills the registry before the
        # first gate is asked.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("checks")
