from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "commissioning.records"
    label = "records"
    verbose_name = "Commissioning records"

    def ready(self):
        # Each stage adds its part of the record's page in its app's record.py;
        # importing those modules here fills the registry before the first page.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("record")
