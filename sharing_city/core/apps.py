from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sharing_city.core"
    label = "core"
