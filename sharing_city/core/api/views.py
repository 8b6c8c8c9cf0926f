from typing import ClassVar

from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

# URL names listed at /api/v1/ (names only: the core imports no higher layer).
API_ROOT_LINKS = {
    "me": "api:accounts-me",
    "districts": "api:accounts-districts",
    "open-data": "api:reports-open-data",
    "titles": "api:lending-titles-list",
    "items": "api:lending-items-list",
    "my_bookings": "api:lending-my-bookings-list",
    "my_loans": "api:lending-my-loans-list",
    "desk-places": "api:tool-centres-places",
    "closets-garments": "api:closets-garments-list",
    "homeshare-matches": "api:homeshare-matches",
}


class ApiRoot(APIView):
    """Entry point of the API: links to each collection and to the OpenAPI schema."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict[str, str]})
    def get(self, request: Request) -> Response:
        links = {key: reverse(name, request=request) for key, name in API_ROOT_LINKS.items()}
        links["schema"] = reverse("api-schema", request=request)
        links["docs"] = reverse("api-docs", request=request)
        return Response(links)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema. It is the code's, the same for every reader: built once per process,
    language and API version instead of on every request (half a second of CPU each)."""

    _built: ClassVar[dict[tuple[str, str | None], dict]] = {}

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        if key not in self._built:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self._built[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=self._built[key], headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )
