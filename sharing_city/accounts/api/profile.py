"""Change the profile over the API, as the profile page does: the same form (name, phone,
district, language), so a phone the page refuses is refused here too."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.core.api.forms import as_form_data, cleaned, validated
from sharing_city.core.api.serializers import ERRORS

from ..forms import ProfileForm
from ..models import User
from .serializers import MeSerializer


class ProfileInput(serializers.Serializer):
    full_name = serializers.CharField(max_length=150)
    phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="As typed: 010-1234-5678."
    )
    district = serializers.IntegerField(help_text="A district's id (accounts/districts/).")
    preferred_language = serializers.ChoiceField(
        choices=User._meta.get_field("preferred_language").choices  # type: ignore[arg-type]
    )


class Profile(APIView):
    """POST the whole profile (as the page's form does); the member as saved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ProfileInput, responses={200: MeSerializer, **ERRORS})
    def post(self, request: Request) -> Response:
        form = ProfileForm(as_form_data(validated(ProfileInput, request)), instance=request.user)
        cleaned(form)
        user = form.save()
        return Response(MeSerializer(user).data)
