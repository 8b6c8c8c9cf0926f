from django.urls import path

from . import actions, views

urlpatterns = [
    path(
        "host-applications/",
        actions.HostApplications.as_view(),
        name="homeshare-host-applications",
    ),
    path(
        "host-applications/<int:pk>/",
        actions.HostApplicationDetail.as_view(),
        name="homeshare-host-application",
    ),
    path(
        "student-applications/",
        actions.StudentApplications.as_view(),
        name="homeshare-student-applications",
    ),
    path(
        "student-applications/<int:pk>/",
        actions.StudentApplicationDetail.as_view(),
        name="homeshare-student-application",
    ),
    path(
        "applications/<str:kind>/<int:pk>/checks/",
        views.ApplicationChecks.as_view(),
        name="homeshare-application-checks",
    ),
    path(
        "applications/<str:kind>/<int:pk>/decide/",
        views.ApplicationDecision.as_view(),
        name="homeshare-application-decide",
    ),
    path(
        "applications/<str:kind>/<int:pk>/withdraw/",
        actions.WithdrawApplication.as_view(),
        name="homeshare-withdraw",
    ),
    path(
        "applications/<str:kind>/<int:pk>/screening/",
        actions.RecordScreening.as_view(),
        name="homeshare-screening",
    ),
    path("matches/", views.MatchList.as_view(), name="homeshare-matches"),
    path("matches/<int:pk>/", views.MatchDetail.as_view(), name="homeshare-match"),
    path("matches/<int:pk>/respond/", views.MatchRespond.as_view(), name="homeshare-respond"),
    path("matches/<int:pk>/meeting/", actions.RecordMeeting.as_view(), name="homeshare-meeting"),
    path(
        "matches/<int:pk>/agreement/",
        actions.CreateAgreement.as_view(),
        name="homeshare-create-agreement",
    ),
    path("runs/", views.RunCreate.as_view(), name="homeshare-runs"),
    path("runs/<int:pk>/", views.RunDetail.as_view(), name="homeshare-run"),
    path("candidates/<int:pk>/propose/", views.Propose.as_view(), name="homeshare-propose"),
    path("agreements/", actions.AgreementList.as_view(), name="homeshare-agreements"),
    path("agreements/<int:pk>/", actions.AgreementDetail.as_view(), name="homeshare-agreement"),
    path(
        "agreements/<int:pk>/confirm/",
        views.ConfirmAgreement.as_view(),
        name="homeshare-confirm-agreement",
    ),
    path(
        "agreements/<int:pk>/reference/",
        actions.LeaveReference.as_view(),
        name="homeshare-leave-reference",
    ),
    path(
        "agreements/<int:pk>/extend/",
        actions.ExtendAgreement.as_view(),
        name="homeshare-extend-agreement",
    ),
    path(
        "agreements/<int:pk>/end/", actions.EndAgreement.as_view(), name="homeshare-end-agreement"
    ),
    path("commute/<int:pk>/", actions.SetCommuteMinutes.as_view(), name="homeshare-commute"),
    path("check-ins/<int:pk>/", actions.RecordCheckIn.as_view(), name="homeshare-record-check-in"),
]
