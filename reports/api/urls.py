from django.urls import path

from . import impact, views

urlpatterns = [
    path("open-data/", views.OpenData.as_view(), name="reports-open-data"),
    path(
        "impact-factors/<int:pk>/",
        impact.SetImpactFactor.as_view(),
        name="reports-impact-factor",
    ),
]
