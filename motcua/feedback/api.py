"""API for chat channels (Zalo OA, Facebook page bots...): POST /api/v1/feedback/reports (token auth)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.authentication import TokenAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from motcua.feedback import selectors, services
from motcua.feedback.errors import FeedbackError


class IsChannelAccount(permissions.BasePermission):
    """A connected system account (kind 'system') or a staff account may file reports for a chat channel."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.kind in ("system", "staff"))


class ReportIn(serializers.Serializer):
    channel = serializers.ChoiceField(choices=["chat", "api"], default="chat")
    description = serializers.CharField(max_length=5000)
    category_code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    ward_code = serializers.CharField(required=False, allow_blank=True, max_length=32)
    latitude = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    longitude = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True)
    external_id = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text="Conversation or message id in the chat platform (idempotency)",
    )


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


ErrorOut = inline_serializer(
    "FeedbackError", {"code": serializers.CharField(), "detail": serializers.CharField()}
)


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
        "url": services.public_url(f"/phan-anh/{report.code}/"),
    }


class ReportCreateView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsChannelAccount]

    @extend_schema(
        operation_id="feedback_report_create",
        request=ReportIn,
        responses={201: ReportOut, 200: ReportOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
        description="File a report from a chat channel. The same external_id twice returns the first report.",
    )
    def post(self, request):
        data = ReportIn(data=request.data)
        if not data.is_valid():
            return Response({"code": "invalid", "detail": data.errors}, status=status.HTTP_400_BAD_REQUEST)
        v = data.validated_data
        external_id = v.get("external_id", "")
        if external_id:
            earlier = selectors.Report.objects.filter(channel=v["channel"], external_id=external_id).first()
            if earlier is not None:
                return Response(report_out(earlier), status=status.HTTP_200_OK)
        try:
            report = services.submit_report(
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
                external_id=external_id,
            )
        except FeedbackError as exc:
            return Response({"code": exc.code, "detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        return Response(report_out(report), status=status.HTTP_201_CREATED)


class ReportDetailView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsChannelAccount]

    @extend_schema(
        operation_id="feedback_report_status",
        responses={200: ReportOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    )
    def get(self, request, code: str):
        report = selectors.report_by_code(code)
        if report is None:
            return Response({"code": "not_found", "detail": "Không tìm thấy phản ánh."}, status=404)
        return Response(report_out(report))


class CategoryOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    group = serializers.CharField()


class CategoryListView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    pagination_class = None

    @extend_schema(operation_id="feedback_categories", responses={200: CategoryOut(many=True)})
    def get(self, request):
        return Response(
            [{"code": c.code, "name": c.name, "group": c.group} for c in selectors.public_categories()]
        )


__all__ = ["ReportCreateView", "ReportDetailView", "CategoryListView", "OpenApiResponse"]
