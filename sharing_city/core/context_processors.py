from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {"CITY_SLUG": settings.CITY_SLUG, "DEBUG": settings.DEBUG}
