"""The closet's API beyond booking: the renter's fittings and rentals (extend, feedback,
outcome) and the desk's rent, return, visit state, garment care and new fitting times. Each
operation calls the service the page calls, after the page's own permission check."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from closets import access, selectors, services
from closets.forms import ProfileForm
from closets.models import CoachingSession, FittingVisit, Garment, Rental, RenterProfile
from lending.models import Place
from sharing_city.core.api.forms import as_form_data, cleaned, validated
from sharing_city.core.api.serializers import ERRORS

from .serializers import (
    CareInput,
    FeedbackInput,
    GarmentSerializer,
    OutcomeInput,
    RentalExtendInput,
    RentalSerializer,
    RentInput,
    ReturnInput,
    SlotsCreated,
    VisitSerializer,
    VisitStateInput,
)


def _rental(request: Request, pk: int) -> Rental:
    rental = get_object_or_404(Rental.objects.select_related("place", "programme"), pk=pk)
    access.require_renter_or_staff(request.user, rental)
    return rental


def _answer(rental: Rental, code: int = status.HTTP_200_OK) -> Response:
    rental = Rental.objects.select_related("place", "programme").get(pk=rental.pk)
    return Response(RentalSerializer(rental).data, status=code)


class MyFittings(generics.ListAPIView):
    """The caller's fittings, soonest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = VisitSerializer
    queryset = FittingVisit.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[FittingVisit]:
        if not self.request.user.is_authenticated:  # schema generation
            return FittingVisit.objects.none()
        return (
            FittingVisit.objects.filter(member=self.request.user.pk)
            .select_related("slot__place")
            .order_by("slot__starts_at", "pk")
        )

    @extend_schema(responses={200: VisitSerializer(many=True), **ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CancelFitting(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: VisitSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        # closets.views.cancel_visit: only the caller's own visit (another's is not found).
        visit = get_object_or_404(
            FittingVisit.objects.select_related("slot__place"), pk=pk, member=request.user.pk
        )
        services.cancel_fitting(visit=visit, by=request.user)
        visit.refresh_from_db()
        return Response(VisitSerializer(visit).data)


class BookAdvice(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: None, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        session = get_object_or_404(CoachingSession, pk=pk)
        services.book_coaching(member=request.user, session=session, by=request.user)
        return Response({"session": session.pk})


class MyRentals(generics.ListAPIView):
    """The caller's outfit rentals, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = RentalSerializer
    queryset = Rental.objects.none()  # the schema's model; get_queryset scopes

    def get_queryset(self) -> QuerySet[Rental]:
        if not self.request.user.is_authenticated:  # schema generation
            return Rental.objects.none()
        return (
            Rental.objects.filter(member=self.request.user.pk)
            .select_related("place", "programme")
            .order_by("-rented_at", "-pk")
        )

    @extend_schema(responses={200: RentalSerializer(many=True), **ERRORS})
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class RentalDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RentalSerializer, **ERRORS})
    def get(self, request: Request, pk: int) -> Response:
        return _answer(_rental(request, pk))


class ExtendRental(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=RentalExtendInput, responses={200: RentalSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        rental = _rental(request, pk)
        services.extend_rental(
            rental=rental, by=request.user, **validated(RentalExtendInput, request)
        )
        return _answer(rental)


class RentalFeedback(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=FeedbackInput, responses={200: RentalSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        rental = _rental(request, pk)
        data = validated(FeedbackInput, request)
        services.record_feedback(
            rental=rental, feedback=data["fit_feedback"], note=data["fit_note"], by=request.user
        )
        return _answer(rental)


class RentalOutcome(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OutcomeInput, responses={200: RentalSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        rental = _rental(request, pk)
        data = validated(OutcomeInput, request)
        services.answer_follow_up(rental=rental, outcome=data["outcome"], by=request.user)
        return _answer(rental)


# --- The closet's desk --------------------------------------------------------------------


class RentOutfit(APIView):
    """Rent the garments (by code) to the member of this fitting."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RentInput, responses={201: RentalSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        visit = get_object_or_404(
            FittingVisit.objects.select_related("slot__place", "member"), pk=pk
        )
        access.require_staff(request.user, visit.slot.place)
        data = validated(RentInput, request)
        codes = [c.strip().upper() for c in data["codes"] if c.strip()]
        garments = selectors.garments_by_codes(visit.slot.place, codes)
        rental = services.rent_outfit(
            member=visit.member,
            garments=garments,
            programme=data["programme"],
            place=visit.slot.place,
            visit=visit,
            by=request.user,
        )
        return _answer(rental, status.HTTP_201_CREATED)


class ReturnGarments(APIView):
    """Record the garments that came back, and where they go next."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReturnInput, responses={200: RentalSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        rental = get_object_or_404(Rental.objects.select_related("place", "member"), pk=pk)
        access.require_staff(request.user, rental.place)
        data = validated(ReturnInput, request)
        out = Garment.objects.filter(
            rental_lines__rental=rental, rental_lines__loan__returned_at__isnull=True
        )
        garments = list(out.filter(pk__in=data["garments"]).select_related("item"))
        if len(garments) != len(set(data["garments"])):
            raise ValidationError({"garments": [_("Tick the garments that came back.")]})
        services.return_garments(
            rental=rental, garments=garments, care=data["care"], by=request.user
        )
        return _answer(rental)


class VisitState(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=VisitStateInput, responses={200: VisitSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        visit = get_object_or_404(FittingVisit.objects.select_related("slot__place"), pk=pk)
        access.require_staff(request.user, visit.slot.place)
        data = validated(VisitStateInput, request)
        services.set_visit_state(visit=visit, state=data["state"], by=request.user)
        visit.refresh_from_db()
        return Response(VisitSerializer(visit).data)


class GarmentCare(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CareInput, responses={200: GarmentSerializer, **ERRORS})
    def post(self, request: Request, pk: int) -> Response:
        garment = get_object_or_404(Garment.objects.select_related("item__place"), pk=pk)
        data = validated(CareInput, request)
        services.set_care(garment=garment, care=data["care"], by=request.user)
        garment.refresh_from_db()
        return Response(GarmentSerializer(garment).data)


class OfferSlots(APIView):
    """Offer the fitting times of the coming weeks (times already offered are kept)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: SlotsCreated, **ERRORS})
    def post(self, request: Request, slug: str) -> Response:
        place = get_object_or_404(Place, slug=slug, kind=Place.Kind.CLOSET, is_active=True)
        access.require_staff(request.user, place)
        today = timezone.localdate()
        end = today + dt.timedelta(days=selectors.BOOKING_DAYS + 7)
        created = services.create_slots(place=place, start=today, end=end, by=request.user)
        return Response({"created": created}, status=status.HTTP_201_CREATED)


# --- The renter's measurements ------------------------------------------------------------


class MeasurementsSerializer(serializers.ModelSerializer):
    """The page's fields (closets.forms.ProfileForm); the form then checks the bounds."""

    class Meta:
        model = RenterProfile
        fields = list(ProfileForm.Meta.fields)


class Measurements(APIView):
    """The caller's measurements and interview, which suggestions and fittings read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeasurementsSerializer, **ERRORS})
    def get(self, request: Request) -> Response:
        profile = get_object_or_404(RenterProfile, member=request.user.pk)
        return Response(MeasurementsSerializer(profile).data)

    @extend_schema(
        request=MeasurementsSerializer, responses={200: MeasurementsSerializer, **ERRORS}
    )
    def put(self, request: Request) -> Response:
        instance = RenterProfile.objects.filter(member=request.user.pk).first()
        data = validated(MeasurementsSerializer, request)
        form = ProfileForm(as_form_data(data), instance=instance)
        cleaned(form)
        profile = services.save_profile(member=request.user, by=request.user, **form.values())
        return Response(MeasurementsSerializer(profile).data)
