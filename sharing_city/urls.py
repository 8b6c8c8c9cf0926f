"""The project's URL map: every app's pages and its part of /api/v1/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_v1 = [
    path("", include("sharing_city.core.api.urls")),
    path("closets/", include("closets.api.urls")),
    path("reports/", include("reports.api.urls")),
    path("accounts/", include("sharing_city.accounts.api.urls")),
    path("tool-centres/", include("tool_centres.api.urls")),
    path("lending/", include("lending.api.urls")),
    path("homeshare/", include("homeshare.api.urls")),
]

urlpatterns = [
    path("", include("sharing_city.core.urls")),
    path("accounts/", include("sharing_city.accounts.urls")),
    path("closet/", include("closets.urls")),
    path("desk/", include("tool_centres.urls")),
    path("lending/", include("lending.urls")),
    path("homeshare/", include("homeshare.urls")),
    path("", include("sharing_city.notifications.urls")),
    path("", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
