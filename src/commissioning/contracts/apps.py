from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "commissioning.contracts"
    label = "contracts"
    verbose_name = "Contracts and grant agreements"

    def ready(self):
        # Imported here, not at the top: the hooks load models, which exist only once the registry is ready.
        from . import hooks

        hooks.register()
