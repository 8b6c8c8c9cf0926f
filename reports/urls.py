from django.urls import path, re_path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.staff_start, name="staff-start"),
    path("reports/impact-factors/", views.impact_factors, name="impact-factors"),
    path("reports/impact-factors/<int:pk>/", views.impact_factor_save, name="impact-factor-save"),
    path("reports/<str:code>/", views.staff_report, name="staff"),
    re_path(
        r"^reports/(?P<code>[\w-]+)/export/(?P<table>[a-z-]+)\.(?P<fmt>csv|xlsx)$",
        views.staff_export,
        name="export",
    ),
    path("city-figures/", views.public_dashboard, name="public"),
    path("city-figures/open-data/", views.open_data_fields, name="open-data"),
]
