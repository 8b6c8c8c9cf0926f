"""Token login for apps and city integrations: POST a username (or email) and password for a
token, send it as `Authorization: Token <key>`, DELETE to revoke it. Limited like the login
form (sharing_city.core.ratelimits.login_limited, the same counters)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.core.api.serializers import ERRORS
from sharing_city.core.ratelimits import login_limited


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Username or email address.")
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class TokenView(APIView):
    """Obtain (POST) or revoke (DELETE) the caller's API token."""

    permission_classes = [AllowAny]

    @extend_schema(request=TokenInput, responses={200: TokenSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        if login_limited(request._request, username):
            raise Throttled(detail=_("Too many login attempts. Please wait a minute."))
        user = authenticate(
            request._request, username=username, password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            raise AuthenticationFailed(_("Please enter a correct username and password."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: None, **ERRORS})
    def delete(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated
        Token.objects.filter(user_id=request.user.pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
