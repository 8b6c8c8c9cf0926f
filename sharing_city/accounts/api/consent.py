"""The member's consent to the terms of use and the privacy notice, for apps.

The API is not stopped by the re-consent prompt (sharing_city/accounts/consent.py): an app
reads what needs agreeing here, shows the documents, and posts the member's agreement."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.accounts.consent import current_versions, documents_to_renew, record_consent


class ConsentStateSerializer(serializers.Serializer):
    versions = serializers.DictField(child=serializers.CharField())
    to_renew = serializers.ListField(child=serializers.CharField())


class ConsentInput(serializers.Serializer):
    agree = serializers.BooleanField(help_text="true: the member agrees to the current versions")


def _state(request: Request) -> dict:
    return {"versions": current_versions(), "to_renew": documents_to_renew(request.user)}


class MyConsent(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ConsentStateSerializer})
    def get(self, request: Request) -> Response:
        return Response(_state(request))

    @extend_schema(
        request=ConsentInput,
        responses={
            200: ConsentStateSerializer,
            400: OpenApiResponse(description="agree missing or false"),
        },
    )
    def post(self, request: Request) -> Response:
        data = ConsentInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not data.validated_data["agree"]:
            return Response(
                {"code": "consent_required", "detail": "Agree to go on, or close the account."},
                status=400,
            )
        record_consent(member=request.user, documents=documents_to_renew(request.user))
        return Response(_state(request))
