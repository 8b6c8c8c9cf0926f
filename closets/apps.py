from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosetsConfig(AppConfig):
    name = "closets"
    verbose_name = _("Open Closet")

    def ready(self) -> None:
        from . import (
            notices,  # noqa: F401  (registers notice kinds and the calendar provider)
            rights,
        )

        rights.register()
        from . import dates  # noqa: F401  (start-up check; notice kinds, calendar)
