"""Set a category's impact factor over the API, as the impact factors page does: city admins
only (every district's figures read them), the page's form, the lending engine's service."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lending.models import Category, ImpactFactor
from lending.services import set_impact_factor
from sharing_city.accounts.access import may_edit_city_settings
from sharing_city.core.api.forms import as_form_data, cleaned, validated
from sharing_city.core.api.serializers import ERRORS

from ..forms import ImpactFactorForm


def _amount(help_text: str) -> serializers.DecimalField:
    # Any number here: the page's form checks the ranges and decimals, with its messages.
    return serializers.DecimalField(max_digits=None, decimal_places=None, help_text=help_text)


class ImpactFactorInput(serializers.Serializer):
    basis = serializers.ChoiceField(choices=ImpactFactor.Basis.choices)
    money_share = _amount("Share of the replacement value per loan, 0 to 1 (0.1: a tenth).")
    money_fixed = _amount("Fixed amount per loan (KRW, whole won).")
    co2_kg = _amount("CO2 avoided per loan (kg, up to 3 decimals).")


class ImpactFactorSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.slug", read_only=True)

    class Meta:
        model = ImpactFactor
        fields = ["category", "basis", "money_share", "money_fixed", "co2_kg", "updated_at"]


class SetImpactFactor(APIView):
    """A category's factor (created when it has none); saving the same values is a no-op."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ImpactFactorInput, responses={200: ImpactFactorSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        if not may_edit_city_settings(request.user):  # before the category: as the page
            raise PermissionDenied(
                _("Only city admins change impact factors: every district uses them.")
            )
        category = get_object_or_404(Category, pk=pk)
        form = ImpactFactorForm(as_form_data(validated(ImpactFactorInput, request)))
        factor = set_impact_factor(category=category, by=request.user, **cleaned(form))
        return Response(ImpactFactorSerializer(factor).data)
