from django.apps import AppConfig


class ToolCentresConfig(AppConfig):
    name = "tool_centres"
