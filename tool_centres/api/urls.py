from django.urls import path

from . import views

urlpatterns = [
    path("places/", views.PlaceList.as_view(), name="tool-centres-places"),
    path("places/<slug:slug>/check-out/", views.CheckOut.as_view(), name="tool-centres-check-out"),
    path("places/<slug:slug>/check-in/", views.CheckIn.as_view(), name="tool-centres-check-in"),
    path(
        "places/<slug:slug>/repairs/",
        views.RepairTicketList.as_view(),
        name="tool-centres-repairs",
    ),
]
