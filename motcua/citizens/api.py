"""Citizen API: pre-fill the shared fields of a form from the population registry (own data, consent)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from motcua.citizens.selectors import SHARED_FIELDS
from motcua.citizens.services import prefill_for_citizen
from motcua.core.openapi import NO_NUL, ApiView, StrictBooleanField, TextField, invalid_response
from motcua.core.parsers import JSONParser


class PrefillRequestSerializer(serializers.Serializer):
    procedure_code = TextField(NO_NUL, required=False, allow_blank=True, max_length=40)
    consent = StrictBooleanField(help_text="true: the citizen agrees to the look-up (false is refused, 403)")


PrefillResponse = inline_serializer(
    "PrefillResponse",
    {
        "ok": serializers.BooleanField(),
        "error": serializers.CharField(allow_blank=True),
        "code": serializers.CharField(required=False, help_text="Why auto-fill was not possible"),
        "detail": serializers.CharField(required=False, help_text="Same as error, when ok is false"),
        "fields": inline_serializer(
            "SharedFields", {name: serializers.CharField(allow_blank=True) for name, _label in SHARED_FIELDS}
        ),
    },
)


class Prefill(ApiView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="citizens_prefill",
        request=PrefillRequestSerializer,
        responses={200: PrefillResponse, 503: PrefillResponse},
        description="Lấy các trường dùng chung (20 trường) của chính công dân đang đăng nhập từ CSDL quốc gia "
        "về dân cư, sau khi công dân đồng ý; mỗi lượt được ghi nhật ký. 403 (ApiError, `code`) khi không phải "
        "công dân, tài khoản chưa có số định danh hoặc chưa đồng ý; 503 khi CSDL dân cư không trả lời.",
    )
    def post(self, request):
        data = PrefillRequestSerializer(data=request.data)
        if not data.is_valid():
            return invalid_response(data.errors)
        v = data.validated_data
        result = prefill_for_citizen(
            request.user, procedure_code=v.get("procedure_code", "").strip(), consent=v["consent"]
        )
        fields = {name: str(result.fields.get(name, "") or "") for name, _label in SHARED_FIELDS}
        body = {"ok": result.ok, "error": result.error, "fields": fields}
        if result.ok:
            return Response(body)
        body.update(code=str(result.code or "error"), detail=str(result.error))
        return Response(body, status=503 if result.code in ("timeout", "unavailable", "error") else 403)
