from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("language/", views.set_language, name="set-language"),
    path("healthz", views.healthz, name="healthz"),
]
