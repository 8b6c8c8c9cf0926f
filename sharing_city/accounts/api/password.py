"""Change the password over the API, as the password change page does: the old password, then
a new one that passes the same validators. The member's other sessions and API token end (a
changed password is often a stolen one); the caller's own session stays signed in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation, update_session_auth_hash
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import Throttled
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.core.api.serializers import ERRORS

from ..limits import PASSWORD_CHANGE, limited


class PasswordChangeInput(serializers.Serializer):
    old_password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=4096, style={"input_type": "password"})

    def validate_old_password(self, value: str) -> str:
        if not self.context["user"].check_password(value):
            raise serializers.ValidationError(
                _("Your old password was entered incorrectly. Please enter it again.")
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            password_validation.validate_password(attrs["new_password"], self.context["user"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"new_password": list(error.messages)}) from error
        return attrs


class PasswordChange(APIView):
    """POST the old and the new password; 204 when changed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeInput, responses={204: None, **ERRORS})
    def post(self, request: Request) -> Response:
        if limited(request._request, PASSWORD_CHANGE):
            raise Throttled(detail=_("Too many attempts. Please wait a minute and try again."))
        user: Any = request.user  # IsAuthenticated: a member
        data = PasswordChangeInput(data=request.data, context={"user": user})
        data.is_valid(raise_exception=True)
        user.set_password(data.validated_data["new_password"])
        user.save(update_fields=["password"])
        Token.objects.filter(user_id=user.pk).delete()
        if hasattr(request._request, "session"):
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)
