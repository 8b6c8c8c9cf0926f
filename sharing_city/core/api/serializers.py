from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every refusal: a stable machine code and a translated message (or field errors)."""

    code = serializers.CharField()
    detail = serializers.JSONField()


# The 4xx bodies an operation documents (each is an ErrorSerializer, core.api.exceptions).
ERRORS = dict.fromkeys((400, 401, 403, 404, 409, 429), ErrorSerializer)
