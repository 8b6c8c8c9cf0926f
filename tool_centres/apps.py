from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolCentresConfig(AppConfig):
    name = "tool_centres"
    verbose_name = _("Tool centres")

    def ready(self) -> None:
        from .notices import register_kinds

        register_kinds()

        from . import rights

        rights.register()
