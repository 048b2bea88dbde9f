from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commissioning.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"

    def ready(self):
        # Imported here, not at the top: models and selectors load only once the app registry is ready.
        from commissioning.frontend.home import home_figure

        from .selectors import verified_provider_count

        home_figure("providers", verified_provider_count)
