"""API for chat channels (Zalo OA, Facebook page bots...): POST /api/v1/feedback/reports (token auth)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response

from motcua.core import links
from motcua.core.openapi import (
    COMPONENT_EXTRAS,
    NO_NUL,
    ApiErrorSerializer,
    ApiView,
    StrictChoiceField,
    StrictFloatField,
    TextField,
    both_or_neither,
    error_response,
    invalid_response,
)
from motcua.core.parsers import JSONParser
from motcua.core.ratelimit import AnonThrottle
from motcua.feedback import selectors, services
from motcua.feedback.errors import FeedbackError
from motcua.org.clients import SystemClientAuthentication
from motcua.org.gates import StaffOrSystem

# At least 10 visible characters between the first and the last non-space one (the service's rule).
DESCRIPTION = r"^\s*[^\s\x00][^\x00]{8,}[^\s\x00]\s*$"
PHONE = r"^((\+?84|0)[0-9]{9,10})?$"


class EmailOrBlankField(serializers.EmailField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ReportIn(serializers.Serializer):
    channel = StrictChoiceField(choices=["chat", "api"], default="chat")
    description = TextField(DESCRIPTION, max_length=5000, help_text="Nội dung phản ánh, ít nhất 10 ký tự")
    category_code = TextField(
        NO_NUL, required=False, allow_blank=True, max_length=40, help_text="Mã lĩnh vực (không có: 404)"
    )
    address = TextField(NO_NUL, required=False, allow_blank=True, max_length=300)
    ward_code = TextField(
        NO_NUL, required=False, allow_blank=True, max_length=32, help_text="Mã phường/xã (không có: 404)"
    )
    latitude = StrictFloatField(required=False, min_value=-90, max_value=90, help_text="Cùng với longitude")
    longitude = StrictFloatField(required=False, min_value=-180, max_value=180, help_text="Cùng với latitude")
    contact_name = TextField(NO_NUL, required=False, allow_blank=True, max_length=200)
    phone = TextField(
        PHONE, required=False, allow_blank=True, help_text="0xxxxxxxxx, 84xxxxxxxxx hoặc +84xxxxxxxxx"
    )
    email = EmailOrBlankField(required=False, allow_blank=True, max_length=254, trim_whitespace=False)
    external_id = TextField(
        NO_NUL,
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="Conversation or message id in the chat platform (idempotency)",
    )

    def validate(self, attrs):
        if ("latitude" in attrs) != ("longitude" in attrs):
            raise serializers.ValidationError(_("Cần gửi cả vĩ độ (latitude) và kinh độ (longitude)."))
        return attrs


COMPONENT_EXTRAS["ReportInRequest"] = both_or_neither("latitude", "longitude")


class ReportOut(serializers.Serializer):
    code = serializers.CharField()
    status = serializers.CharField()
    status_name = serializers.CharField()
    category_code = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
    ward = serializers.CharField(allow_null=True)
    received_at = serializers.DateTimeField()
    deadline = serializers.DateField(allow_null=True)
    public_answer = serializers.CharField()
    url = serializers.CharField()


ErrorOut = ApiErrorSerializer


def report_out(report) -> dict:
    return {
        "code": report.code,
        "status": report.status,
        "status_name": str(report.get_status_display()),
        "category_code": report.category.code if report.category_id else None,
        "unit": report.unit.name,
        "ward": report.ward.name if report.ward_id else None,
        "received_at": timezone.localtime(report.received_at).isoformat(),
        "deadline": report.deadline.isoformat() if report.deadline else None,
        "public_answer": report.public_answer,
        "url": links.report_tracking_url(report.code),
    }


class ReportCreateView(ApiView):
    authentication_classes = [TokenAuthentication, SystemClientAuthentication]
    permission_classes = [StaffOrSystem]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="feedback_report_create",
        request=ReportIn,
        responses={
            201: ReportOut,
            200: ReportOut,
            400: OpenApiResponse(ErrorOut, description="Dữ liệu không hợp lệ"),
            404: OpenApiResponse(ErrorOut, description="Không có lĩnh vực hoặc phường/xã với mã đã gửi"),
            409: OpenApiResponse(
                ErrorOut,
                description="Lĩnh vực đòi thông tin bổ sung mà kênh này không gửi được, hoặc mã ngoài "
                "(external_id) đã được hệ thống khác dùng",
            ),
        },
        description="File a report from a chat channel. The same external_id twice returns the first report.",
    )
    def post(self, request):
        data = ReportIn(data=request.data)
        if not data.is_valid():
            return invalid_response(data.errors)
        v = data.validated_data
        try:
            report, created = services.submit_or_get(
                channel=v["channel"],
                description=v["description"],
                category_code=v.get("category_code") or None,
                address=v.get("address", ""),
                latitude=v.get("latitude"),
                longitude=v.get("longitude"),
                contact_name=v.get("contact_name", ""),
                phone=v.get("phone", ""),
                email=v.get("email", ""),
                actor=request.user,
                ward_code=v.get("ward_code") or None,
                external_id=v.get("external_id", ""),
            )
        except FeedbackError as exc:
            return error_response(exc.code, exc.message, exc.status)
        if not created and selectors.report_for_api(report.code, request.user) is None:
            # Another client's external id: say it is taken, never show that client's report.
            taken = FeedbackError("external_id_taken")
            return error_response(taken.code, taken.message, taken.status)
        return Response(report_out(report), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReportDetailView(ApiView):
    authentication_classes = [TokenAuthentication, SystemClientAuthentication]
    permission_classes = [StaffOrSystem]

    @extend_schema(
        operation_id="feedback_report_status",
        responses={
            200: ReportOut,
            404: OpenApiResponse(ErrorOut, description="Không có phản ánh với mã này"),
        },
    )
    def get(self, request, code: str):
        report = selectors.report_for_api(code, request.user)
        if report is None:
            return error_response("not_found", _("Không tìm thấy phản ánh."), 404)
        return Response(report_out(report))


class CategoryOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()


class CategoryListView(ApiView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonThrottle]  # every anonymous API answer is throttled per client address
    pagination_class = None

    @extend_schema(operation_id="feedback_categories", responses={200: CategoryOut(many=True)})
    def get(self, request):
        return Response(
            [{"code": c.code, "name": c.name, "group": c.group} for c in selectors.public_categories()]
        )


__all__ = ["ReportCreateView", "ReportDetailView", "CategoryListView"]
