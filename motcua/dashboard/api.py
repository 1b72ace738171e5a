"""GET /api/v1/stats/dossiers and /api/v1/stats/feedback: the figures of one unit (and the units below it)
for a period, within the caller's scope (403 outside it, 400 for a bad date)."""

from __future__ import annotations

import datetime as dt
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.core.openapi import ApiErrorSerializer, ApiView
from motcua.dashboard import scope, selectors
from motcua.dashboard.errors import DashboardError
from motcua.org.gates import StaffOrSystem

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

PARAMETERS = [
    OpenApiParameter(
        "unit",
        OpenApiTypes.STR,
        required=False,
        description="Mã đơn vị (gồm cả các đơn vị trực thuộc); bỏ trống: đơn vị của người hỏi",
    ),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Từ ngày (YYYY-MM-DD); mặc định: đầu tháng"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Đến ngày (YYYY-MM-DD); mặc định: hôm nay"),
]
ERRORS = {
    400: OpenApiResponse(ApiErrorSerializer, description="Ngày hoặc khoảng thời gian không hợp lệ"),
    401: OpenApiResponse(ApiErrorSerializer, description="Chưa xác thực"),
    403: OpenApiResponse(ApiErrorSerializer, description="Đơn vị ngoài phạm vi được xem"),
    404: OpenApiResponse(ApiErrorSerializer, description="Không có đơn vị với mã này"),
}


class DossierStatsOut(serializers.Serializer):
    unit = serializers.CharField()
    # "from" is a Python keyword: declared below
    to = serializers.DateField()
    received = serializers.IntegerField(help_text="Hồ sơ tiếp nhận trong kỳ (đơn vị tiếp nhận)")
    returned_early = serializers.IntegerField(help_text="Đã trả kết quả trong kỳ, trước hạn")
    returned_on_time = serializers.IntegerField(help_text="Đã trả kết quả trong kỳ, đúng hạn")
    returned_late = serializers.IntegerField(help_text="Đã trả kết quả trong kỳ, quá hạn")
    in_progress = serializers.IntegerField(help_text="Chưa trả kết quả vào cuối kỳ (hoặc lúc này)")
    overdue = serializers.IntegerField(help_text="Trong số đó, đã quá hạn vào thời điểm ấy")
    online_share = serializers.FloatField(help_text="Tỷ lệ (0-1) hồ sơ tiếp nhận nộp trực tuyến")


DossierStatsOut._declared_fields["from"] = serializers.DateField()


class FeedbackStatsOut(serializers.Serializer):
    unit = serializers.CharField()
    to = serializers.DateField()
    received = serializers.IntegerField(help_text="Phản ánh tiếp nhận trong kỳ (đơn vị xử lý)")
    answered = serializers.IntegerField(help_text="Đã trả lời trong kỳ")
    answered_on_time = serializers.IntegerField()
    answered_late = serializers.IntegerField(help_text="Trả lời sau hạn")
    in_progress = serializers.IntegerField(help_text="Chưa xong vào cuối kỳ (hoặc lúc này)")
    overdue = serializers.IntegerField(help_text="Trong số đó, đã quá hạn trả lời")
    reopened = serializers.IntegerField(help_text="Tiếp nhận trong kỳ và đã bị mở lại")


FeedbackStatsOut._declared_fields["from"] = serializers.DateField()


def _period(request: Request) -> tuple[dt.date, dt.date]:
    """The API's period: dates exactly as the contract states them (YYYY-MM-DD), absent for the default.
    (The dashboard pages also take dd/mm/yyyy as people type it; an API client sends ISO dates.)"""
    for name in ("from", "to"):
        value = request.query_params.get(name)
        if value is not None and not ISO_DATE.fullmatch(value):
            raise DashboardError("bad_date", value=value[:40].encode("ascii", "replace").decode())
    return scope.period(request.query_params.get("from"), request.query_params.get("to"))


class DossierStatsView(ApiView):
    permission_classes = [StaffOrSystem]

    @extend_schema(
        operation_id="stats_dossiers", parameters=PARAMETERS, responses={200: DossierStatsOut, **ERRORS}
    )
    def get(self, request: Request) -> Response:
        frm, to = _period(request)
        seen = scope.resolve(request.user, request.query_params.get("unit", ""))
        return Response(selectors.api_dossier_stats(seen, frm, to))


class FeedbackStatsView(ApiView):
    permission_classes = [StaffOrSystem]

    @extend_schema(
        operation_id="stats_feedback", parameters=PARAMETERS, responses={200: FeedbackStatsOut, **ERRORS}
    )
    def get(self, request: Request) -> Response:
        frm, to = _period(request)
        seen = scope.resolve(request.user, request.query_params.get("unit", ""))
        return Response(selectors.api_feedback_stats(seen, frm, to))
