from django.urls import path

from . import confirmation, consent, me, password, profile, signup, token, views

urlpatterns = [
    path("me/", me.Me.as_view(), name="accounts-me"),
    path("me/consent/", consent.MyConsent.as_view(), name="accounts-me-consent"),
    path(
        "me/confirmation/",
        confirmation.ResendConfirmation.as_view(),
        name="accounts-me-confirmation",
    ),
    path("me/export/", me.MyDataExport.as_view(), name="accounts-me-export"),
    path("me/profile/", profile.Profile.as_view(), name="accounts-me-profile"),
    path("me/password/", password.PasswordChange.as_view(), name="accounts-password"),
    path("districts/", views.DistrictList.as_view(), name="accounts-districts"),
    path("signup/", signup.SignUp.as_view(), name="accounts-signup"),
    path("token/", token.TokenView.as_view(), name="accounts-token"),
]
