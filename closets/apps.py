from django.apps import AppConfig


class ClosetsConfig(AppConfig):
    name = "closets"
