"""Join over the API, as the signup page does: the page's form (so the same rules for the
password, the phone, the district and both agreements), the page's workflow, and the page's
limit per client address (the same counter: ten an hour from one address, page and API)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.core.api.forms import as_form_data, cleaned, validated
from sharing_city.core.api.serializers import ERRORS

from ..email_confirmation import MAX_AGE_DAYS
from ..forms import SignUpForm
from ..models import User
from ..signup import sign_up, signup_limited


class SignUpInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="As typed: 010-1234-5678."
    )
    district = serializers.IntegerField(help_text="A district's id (accounts/districts/).")
    preferred_language = serializers.ChoiceField(
        choices=User._meta.get_field("preferred_language").choices  # type: ignore[arg-type]
    )
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    accept_terms = serializers.BooleanField(help_text="The terms of use (accounts/terms/).")
    accept_privacy = serializers.BooleanField(help_text="The privacy notice (accounts/privacy/).")


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    """The page's form is typed twice; an app asks twice itself and sends it once."""
    password = values.pop("password")
    return {**as_form_data(values), "password1": password, "password2": password}


def _errors_by_input(form: SignUpForm) -> None:
    """The form's errors under the body's names (the password's under `password`)."""
    if form.is_valid():
        return
    for name in ("password1", "password2"):
        if name in form.errors:
            form.errors.setdefault("password", form.error_class()).extend(form.errors.pop(name))


def _refuse_cross_site_forms(request: Request) -> None:
    """A form post needs the CSRF token, as on the page (403 without). Anyone may sign up, so
    no session asks for the check; a JSON body needs none: another site's page cannot send one
    without the browser asking this site first (no CORS here), an app sends it directly."""
    if request.content_type.split(";")[0].strip() != "application/json":
        SessionAuthentication().enforce_csrf(request)


class SignUp(APIView):
    """202 whether or not the address has an account (the answer does not tell which): a new
    address gets the confirmation link (open it within the days given), a known one a note."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=SignUpInput,
        responses={
            202: inline_serializer("SignUpSent", {"confirmation_days": serializers.IntegerField()}),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        _refuse_cross_site_forms(request)
        if signup_limited(request._request):
            raise Throttled(
                detail=_("Too many sign-ups from this address. Please try again later.")
            )
        if request.user.is_authenticated:
            raise PermissionDenied(_("You are signed in: sign out to make a new account."))
        form = SignUpForm(_form_data(validated(SignUpInput, request)))
        _errors_by_input(form)
        cleaned(form)
        sign_up(form)
        return Response({"confirmation_days": MAX_AGE_DAYS}, status=status.HTTP_202_ACCEPTED)
