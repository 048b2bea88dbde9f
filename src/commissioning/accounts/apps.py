from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "commissioning.accounts"
    label = "accounts"
    verbose_name = "Organisations and people"
