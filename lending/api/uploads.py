"""The desk's uploads as API operations (API parity): a title's photo, and a CSV list of items
for a place. Each checks its body with the page's own form (the photo by its content, the file
by the importer) and calls the page's service; multipart/form-data, as the pages post them."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lending import access
from lending.forms import ImportForm, PhotoForm
from lending.models import Place, Title, TitlePhoto
from lending.photos import add_photo, can_add_photo
from lending.services.imports import ImportRefused, import_items
from sharing_city.core.api.forms import as_form_data, cleaned, validated
from sharing_city.core.api.serializers import ERRORS


class PhotoInput(serializers.Serializer):
    image = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB.")
    alt_text = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TitlePhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = TitlePhoto
        fields = ["id", "title", "image", "thumbnail", "alt_text"]


class TitlePhotos(APIView):
    """Add a photo to a title: desk people at a place that keeps a copy of it (403 others)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="lending_title_photos_add",
        request={"multipart/form-data": PhotoInput},
        responses={201: TitlePhotoSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        title = get_object_or_404(Title, pk=pk)
        if not can_add_photo(request.user, title):
            raise PermissionDenied
        values = validated(PhotoInput, request)
        image = values.pop("image")
        data = cleaned(PhotoForm(as_form_data(values), {"image": image}))
        photo = add_photo(
            title=title, upload=data["image"], alt_text=data["alt_text"], by=request.user
        )
        serialized = TitlePhotoSerializer(photo, context={"request": request}).data
        return Response(serialized, status=status.HTTP_201_CREATED)


class ImportInput(serializers.Serializer):
    place = serializers.CharField(max_length=100, help_text="The slug of a place you work at.")
    file = serializers.FileField(help_text="UTF-8 CSV with a header row (lending/import/).")


class ImportRowError(serializers.Serializer):
    line = serializers.IntegerField()
    reason = serializers.CharField()


# `errors` as a declared field would shadow Serializer.errors for the type checker.
ImportRefusedSerializer = inline_serializer(
    "ImportRefused",
    {
        "code": serializers.CharField(),
        "detail": serializers.JSONField(),  # text, or the field errors of a bad form
        # Only a refused file has it: other 400s (a bad Idempotency-Key) are the usual shape.
        "errors": ImportRowError(many=True, required=False),
    },
)


class ImportResultSerializer(serializers.Serializer):
    items = serializers.ListField(child=serializers.CharField(), help_text="The new item codes.")
    titles_created = serializers.IntegerField()


class ImportItems(APIView):
    """Import a CSV list of items into a place: every row, or none (400 lists each bad row)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={201: ImportResultSerializer, **ERRORS, 400: ImportRefusedSerializer},
    )
    def post(self, request: Request) -> Response:
        places = access.places_worked_by(request.user)
        if not places.exists():
            raise PermissionDenied
        values = validated(ImportInput, request)
        place = Place.objects.filter(slug=values["place"]).first()
        form = ImportForm(
            {"place": place.pk if place else ""}, {"file": values["file"]}, places=places
        )
        data = cleaned(form)
        try:
            result = import_items(place=data["place"], upload=data["file"], by=request.user)
        except ImportRefused as refusal:
            errors = [{"line": line, "reason": reason} for line, reason in refusal.errors]
            refused = {"code": refusal.code, "detail": str(refusal.message), "errors": errors}
            return Response(refused, status=status.HTTP_400_BAD_REQUEST)
        imported: dict[str, Any] = {
            "items": [item.code for item in result.items],
            "titles_created": result.titles_created,
        }
        return Response(imported, status=status.HTTP_201_CREATED)
