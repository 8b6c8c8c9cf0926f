from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosetsConfig(AppConfig):
    name = "closets"
    verbose_name = _("Open Closet")

    def ready(self) -> None:
        from sharing_city.core.api.views import API_ROOT_LINKS

        from . import notices  # noqa: F401  (registers notice kinds and the calendar provider)

        API_ROOT_LINKS.setdefault("closets-garments", "api:closets-garments-list")
