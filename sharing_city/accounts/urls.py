from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm-email"),
    path("confirm-again/", views.resend_confirmation, name="resend-confirmation"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.landing, name="landing"),
    path("profile/", views.profile, name="profile"),
    path("profile/data/", views.my_data, name="my-data"),
    path("profile/data.json", views.my_data_json, name="my-data-json"),
    path("profile/close/", views.close_account, name="close-account"),
    path("terms/", views.terms, name="terms"),
    path("privacy/", views.privacy, name="privacy"),
    path("consent/", views.consent, name="consent"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/access-log/", views.access_log, name="access-log"),
    path("coordinator/", views.coordinator_home, name="coordinator-home"),
    path("volunteer/", views.volunteer_home, name="volunteer-home"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(success_url=reverse_lazy("accounts:password-reset-done")),
        name="password-reset",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password-reset-complete")
        ),
        name="password-reset-confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "password-change/",
        views.PasswordChangeView.as_view(success_url=reverse_lazy("accounts:password-change-done")),
        name="password-change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
]
