"""The project's URL map: every app's pages and its part of /api/v1/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularSwaggerView

from sharing_city.core.api.views import SchemaView
from sharing_city.core.ratelimits import admin_login

api_v1 = [
    path("", include("sharing_city.core.api.urls")),
    path("closets/", include("closets.api.urls")),
    path("reports/", include("reports.api.urls")),
    path("accounts/", include("sharing_city.accounts.api.urls")),
    path("tool-centres/", include("tool_centres.api.urls")),
    path("lending/", include("lending.api.urls")),
    path("homeshare/", include("homeshare.api.urls")),
    path("voice/", include("voice.api.urls")),
    path("notices/", include("sharing_city.notifications.api.urls")),
]

urlpatterns = [
    path("", include("sharing_city.core.urls")),
    path("accounts/", include("sharing_city.accounts.urls")),
    path("closet/", include("closets.urls")),
    path("desk/", include("tool_centres.urls")),
    path("lending/", include("lending.urls")),
    path("homeshare/", include("homeshare.urls")),
    path("voice/", include("voice.urls")),
    path("", include("sharing_city.notifications.urls")),
    path("", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    # Before admin.site.urls: the admin's login form has the members' login limits.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# make bench only (bench/reference.py): the plain Django search our catalogue is compared with.
if "bench.middleware.QueryCountMiddleware" in settings.MIDDLEWARE:
    from bench.reference import search as reference_search

    urlpatterns += [path("bench/reference-search/", reference_search, name="bench-reference")]

# Under /api/ Django's own 404 and 500 answer in the API's JSON shape too.
handler404 = "sharing_city.core.api.errors.page_not_found"
handler500 = "sharing_city.core.api.errors.server_error"
