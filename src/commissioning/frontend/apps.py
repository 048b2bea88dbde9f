from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "commissioning.frontend"
    label = "frontend"
    verbose_name = "Pages"
