from rest_framework import serializers

from sharing_city.accounts.models import District, User


class DistrictSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = District
        fields = ["id", "city", "code", "name", "name_local", "name_ko", "name_en"]


class MeSerializer(serializers.ModelSerializer):
    district = DistrictSerializer(read_only=True)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "phone",
            "district",
            "preferred_language",
            "role",
            "member_number",
            "is_verified",
        ]
        read_only_fields = fields
