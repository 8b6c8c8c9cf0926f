from django.urls import path

from . import views

urlpatterns = [
    path(
        "host-applications/",
        views.HostApplicationList.as_view(),
        name="homeshare-host-applications",
    ),
    path(
        "host-applications/<int:pk>/",
        views.HostApplicationDetail.as_view(),
        name="homeshare-host-application",
    ),
    path(
        "student-applications/",
        views.StudentApplicationList.as_view(),
        name="homeshare-student-applications",
    ),
    path(
        "student-applications/<int:pk>/",
        views.StudentApplicationDetail.as_view(),
        name="homeshare-student-application",
    ),
    path("matches/", views.MatchList.as_view(), name="homeshare-matches"),
    path("matches/<int:pk>/", views.MatchDetail.as_view(), name="homeshare-match"),
    path("matches/<int:pk>/respond/", views.MatchRespond.as_view(), name="homeshare-respond"),
    path("runs/", views.RunCreate.as_view(), name="homeshare-runs"),
    path("runs/<int:pk>/", views.RunDetail.as_view(), name="homeshare-run"),
    path("candidates/<int:pk>/propose/", views.Propose.as_view(), name="homeshare-propose"),
    path(
        "agreements/<int:pk>/confirm/",
        views.ConfirmAgreement.as_view(),
        name="homeshare-confirm-agreement",
    ),
]
