"""Public API: verify a certified extract copy or a marital status certificate by its QR code."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from motcua.civil.services import verify_code
from motcua.core.openapi import ApiView
from motcua.core.ratelimit import ScopedThrottle

VerificationSerializer = inline_serializer(
    "CivilVerification",
    {
        "genuine": serializers.BooleanField(),
        "document": serializers.ChoiceField(choices=["extract", "marital"], required=False),
        "record_kind": serializers.CharField(required=False),
        "registering_unit": serializers.CharField(required=False),
        "issuing_unit": serializers.CharField(required=False),
        "issued_on": serializers.DateField(required=False),
        "registered_on": serializers.DateField(required=False),
        "persons": inline_serializer(
            "CivilVerificationPerson",
            {"name": serializers.CharField(), "date_of_birth": serializers.DateField(allow_null=True)},
            many=True,
            required=False,
        ),
        "copy_number": serializers.IntegerField(required=False),
        "valid_until": serializers.DateField(required=False, allow_null=True),
        "expired": serializers.BooleanField(required=False),
    },
)


class VerifyDocument(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        operation_id="civil_verify_document",
        auth=[],
        responses={
            200: VerificationSerializer,
            404: OpenApiResponse(
                VerificationSerializer, description="Không có giấy tờ nào mang mã này: genuine=false"
            ),
        },
        description="Xác minh bản sao trích lục hộ tịch hoặc giấy xác nhận tình trạng hôn nhân theo mã QR: "
        "thật hay không và thông tin cấp; không có dữ liệu cá nhân.",
    )
    def get(self, request, code):
        result = verify_code(code)
        result.pop("record_code", None)
        if "persons" in result:
            result["persons"] = [{"name": name, "date_of_birth": born} for name, born in result["persons"]]
        return Response(result, status=200 if result["genuine"] else 404)
