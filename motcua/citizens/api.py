"""Citizen API: pre-fill the shared fields of a form from the population registry (own data, consent)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.citizens.selectors import SHARED_FIELDS
from motcua.citizens.services import prefill_for_citizen

PrefillRequest = inline_serializer(
    "PrefillRequest",
    {
        "procedure_code": serializers.CharField(required=False, allow_blank=True, max_length=40),
        "consent": serializers.BooleanField(),
    },
)
PrefillResponse = inline_serializer(
    "PrefillResponse",
    {
        "ok": serializers.BooleanField(),
        "error": serializers.CharField(allow_blank=True),
        "fields": inline_serializer(
            "SharedFields", {name: serializers.CharField(allow_blank=True) for name, _label in SHARED_FIELDS}
        ),
    },
)


class Prefill(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="citizens_prefill",
        request=PrefillRequest,
        responses={200: PrefillResponse, 403: PrefillResponse, 503: PrefillResponse},
        description="Lấy các trường dùng chung (20 trường) của chính công dân đang đăng nhập từ CSDL quốc gia "
        "về dân cư, sau khi công dân đồng ý; mỗi lượt được ghi nhật ký.",
    )
    def post(self, request):
        consent = str(request.data.get("consent", "")).lower() in ("1", "true", "yes", "on")
        procedure_code = str(request.data.get("procedure_code", ""))[:40]
        result = prefill_for_citizen(request.user, procedure_code=procedure_code, consent=consent)
        status = 200
        if not result.ok:
            status = 503 if result.code in ("timeout", "unavailable", "error") else 403
        fields = {name: str(result.fields.get(name, "") or "") for name, _label in SHARED_FIELDS}
        return Response({"ok": result.ok, "error": result.error, "fields": fields}, status=status)
