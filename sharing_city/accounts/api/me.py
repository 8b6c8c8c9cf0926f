"""The member's own data rights over the API: the export (and, below, closing the account)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sharing_city.accounts.rights import AccountClosureRefused, close_account, export_for

from .views import MeView


class MyDataExport(APIView):
    """Everything the platform holds about the member logged in (as /accounts/profile/data/)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        return Response(export_for(request.user))


class Me(MeView):
    """The member who is logged in; DELETE closes the account (409 with the reasons if not yet)."""

    @extend_schema(
        responses={
            204: None,
            409: OpenApiResponse(description="Refused: something is out, a deposit held, ..."),
        }
    )
    def delete(self, request: Request) -> Response:
        try:
            close_account(user=request.user)
        except AccountClosureRefused as refused:
            return Response(
                {
                    "code": "closure_refused",
                    "detail": refused.reasons[0],
                    "reasons": refused.reasons,
                },
                status=409,
            )
        return Response(status=204)
