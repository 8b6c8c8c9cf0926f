from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="accounts-me"),
    path("districts/", views.DistrictList.as_view(), name="accounts-districts"),
]
