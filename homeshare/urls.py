from django.urls import path

from . import views

app_name = "homeshare"

urlpatterns = [
    path("", views.start, name="start"),
    path("apply/<str:kind>/", views.apply, name="apply"),
    path("applications/<str:kind>/<int:pk>/", views.application, name="application"),
    path("applications/<str:kind>/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/respond/", views.respond, name="respond"),
    path(
        "applications/student/<int:pk>/enrolment-proof/",
        views.enrolment_proof,
        name="enrolment-proof",
    ),
    path("agreements/<int:pk>/confirm/", views.confirm_agreement, name="confirm-agreement"),
    path("agreements/<int:pk>/reference/", views.leave_reference, name="leave-reference"),
    # Coordinators
    path("coordinator/", views.coordinator, name="coordinator"),
    path("coordinator/applications/<str:kind>/<int:pk>/", views.review, name="review"),
    path(
        "coordinator/applications/<str:kind>/<int:pk>/screening/",
        views.record_screening,
        name="record-screening",
    ),
    path(
        "coordinator/applications/<str:kind>/<int:pk>/checks/",
        views.record_check,
        name="record-check",
    ),
    path("coordinator/applications/<str:kind>/<int:pk>/decide/", views.decide, name="decide"),
    path("coordinator/matching/", views.run_matching, name="run-matching"),
    path("coordinator/runs/<int:pk>/", views.run_detail, name="run"),
    path("coordinator/candidates/<int:pk>/propose/", views.propose, name="propose"),
    path("coordinator/matches/<int:pk>/meeting/", views.record_meeting, name="record-meeting"),
    path(
        "coordinator/matches/<int:pk>/agreement/",
        views.create_agreement,
        name="create-agreement",
    ),
    path("coordinator/agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("coordinator/agreements/<int:pk>/extend/", views.extend, name="extend"),
    path("coordinator/agreements/<int:pk>/end/", views.end, name="end"),
    path("coordinator/check-ins/<int:pk>/", views.record_check_in, name="record-check-in"),
    # Staff
    path("commute/", views.commute_table, name="commute"),
]
