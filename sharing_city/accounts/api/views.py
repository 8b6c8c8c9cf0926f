from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.accounts.models import District

from .serializers import DistrictSerializer, MeSerializer


class MeView(APIView):
    """The member who is logged in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


class DistrictList(generics.ListAPIView):
    """The city's districts (public)."""

    permission_classes = [AllowAny]
    serializer_class = DistrictSerializer
    filterset_fields = ["city"]
    queryset = District.objects.order_by("city", "code")
