from django.apps import AppConfig


class HomeshareConfig(AppConfig):
    name = "homeshare"
