from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sharing_city.accounts"
    label = "accounts"
