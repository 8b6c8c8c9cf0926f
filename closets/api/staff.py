"""The closet's staff and coaches through the API, as their pages do (API parity): a garment on
the rail (with its donor's letter), a coach's advice session offered, a coach's notes."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from closets import access, services
from closets.forms import GarmentForm, NotesForm, OfferSessionForm
from closets.models import CoachingSession, Garment
from lending.models import Place
from sharing_city.core.api.forms import as_form_data, cleaned, validated
from sharing_city.core.api.serializers import ERRORS

from .serializers import GarmentSerializer


class GarmentInput(serializers.ModelSerializer):
    """The add-garment page's fields; the page's form then checks the bounds."""

    code = serializers.CharField(max_length=32)
    donor_email = serializers.EmailField(required=False, allow_blank=True)
    letter = serializers.CharField(max_length=3000, required=False, allow_blank=True)

    class Meta:
        model = Garment
        fields = ["code", *GarmentForm.Meta.fields, "donor_email", "letter"]


class AddGarment(APIView):
    """Put a garment on the closet's rail; with a donor's email and letter, as their gift."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=GarmentInput, responses={201: GarmentSerializer, **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        place = get_object_or_404(Place, slug=slug, kind=Place.Kind.CLOSET, is_active=True)
        access.require_staff(request.user, place)
        form = GarmentForm(as_form_data(validated(GarmentInput, request)))
        data = cleaned(form)
        donation = None
        if data["donor_email"]:
            donor = get_user_model().objects.filter(email__iexact=data["donor_email"]).first()
            if donor is None:
                raise ValidationError({"donor_email": [_("No member has this email address.")]})
            donation = services.register_donation(
                donor=donor, place=place, letter=data["letter"], by=request.user
            )
        garment = services.add_garment(
            place=place,
            code=data["code"],
            kind=data["kind"],
            colour=data["colour"],
            style=data["style"],
            donation=donation,
            by=request.user,
            **form.sizes(),
        )
        return Response(GarmentSerializer(garment).data, status=status.HTTP_201_CREATED)


class OfferSessionInput(serializers.Serializer):
    place = serializers.CharField(max_length=100, help_text="The closet's slug.")
    starts_at = serializers.DateTimeField()
    skill = serializers.ChoiceField(choices=OfferSessionForm.base_fields["skill"].choices)  # type: ignore[attr-defined]
    mode = serializers.ChoiceField(choices=OfferSessionForm.base_fields["mode"].choices)  # type: ignore[attr-defined]


class OfferSession(APIView):
    """A coach offers an advice session at a closet (the coach page's form)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=OfferSessionInput, responses={201: None, **ERRORS})
    def post(self, request: Request) -> Response:
        values = validated(OfferSessionInput, request)
        place = Place.objects.filter(slug=values.pop("place"), kind=Place.Kind.CLOSET).first()
        form = OfferSessionForm(as_form_data({**values, "place": place.pk if place else ""}))
        session = services.offer_session(by=request.user, **cleaned(form))
        return Response({"id": getattr(session, "pk", None)}, status=status.HTTP_201_CREATED)


class NotesInput(serializers.Serializer):
    notes = serializers.CharField(max_length=5000)


class SessionNotes(APIView):
    """A coach's notes on one of their sessions, which the renter then reads."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=NotesInput, responses={200: None, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        session = get_object_or_404(CoachingSession, pk=pk)
        data = cleaned(NotesForm(as_form_data(validated(NotesInput, request))))
        services.write_coaching_notes(session=session, notes=data["notes"], by=request.user)
        return Response({"id": session.pk, "notes": data["notes"]})
