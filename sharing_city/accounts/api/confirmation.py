"""Ask for the email confirmation link again over the API, as the profile's button does."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import Throttled
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.core.api.serializers import ERRORS

from ..email_confirmation import send_confirmation
from ..limits import RESEND_CONFIRMATION, limited


class ResendConfirmation(APIView):
    """Sends the link again while the address is unconfirmed; says whether it is confirmed."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "EmailConfirmation", {"confirmation_pending": serializers.BooleanField()}
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request) -> Response:
        if limited(request._request, RESEND_CONFIRMATION):
            raise Throttled(detail=_("You asked for the link three times this hour. Try later."))
        pending = bool(getattr(request.user, "email_confirmation_pending", False))
        if pending:
            send_confirmation(request.user)  # type: ignore[arg-type]
        return Response({"confirmation_pending": pending})
