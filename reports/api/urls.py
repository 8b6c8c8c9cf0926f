from django.urls import path

from . import views

urlpatterns = [
    path("open-data/", views.OpenData.as_view(), name="reports-open-data"),
]
