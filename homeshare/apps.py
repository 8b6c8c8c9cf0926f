from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeshareConfig(AppConfig):
    name = "homeshare"
    verbose_name = _("Home-share")

    def ready(self) -> None:
        from . import (
            notices,  # noqa: F401  (registers the applicants' notice kinds)
            rights,
        )

        rights.register()
