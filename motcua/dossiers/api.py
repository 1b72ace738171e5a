"""/api/v1/ for dossiers: create (Idempotency-Key), read, list with filters, transitions, paper uploads,
and the public status look-up. Every response code an endpoint can give is declared in the schema.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from motcua.dossiers import selectors, services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Channel, Dossier, DossierStatus, Task, Transfer
from motcua.org.models import Unit, User, UserKind


class IsOfficer(BasePermission):
    """Staff and other agencies' systems (token) may use the dossier API; citizens use the portal."""

    message = "Chỉ cán bộ hoặc hệ thống kết nối được dùng API hồ sơ."

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and (user.kind in (UserKind.STAFF, UserKind.SYSTEM) or user.is_superuser)
        )


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TaskSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    assignee = serializers.CharField(source="assignee.get_username", default=None, allow_null=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "order",
            "name",
            "role",
            "unit",
            "assignee",
            "status",
            "hours",
            "opened_at",
            "due_at",
            "completed_at",
        ]


class DossierSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")
    procedure_name = serializers.CharField(source="procedure.name")
    receiving_unit = serializers.CharField(source="receiving_unit.code")
    competent_unit = serializers.CharField(source="unit.code")
    portal_status_code = serializers.IntegerField(source="portal_code")
    tasks = TaskSerializer(many=True, read_only=True)

    class Meta:
        model = Dossier
        fields = [
            "code",
            "procedure",
            "procedure_name",
            "channel",
            "receiving_unit",
            "competent_unit",
            "status",
            "portal_status_code",
            "version",
            "applicant_name",
            "applicant_personal_id",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "field_sources",
            "form_data",
            "submitted_at",
            "received_at",
            "clock_started_at",
            "due_at",
            "original_due_at",
            "apologised_at",
            "supplement_items",
            "result_ready_at",
            "returned_at",
            "return_channel",
            "outcome",
            "overdue",
            "tasks",
        ]


class DossierListSerializer(DossierSerializer):
    class Meta(DossierSerializer.Meta):
        fields = [
            f for f in DossierSerializer.Meta.fields if f not in ("tasks", "form_data", "field_sources")
        ]


class ApplicantSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    personal_id = serializers.RegexField(r"^\d{12}$", required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)


class CreateSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=40, help_text="Mã thủ tục, ví dụ 1.001193")
    receiving_unit = serializers.CharField(max_length=32, help_text="Mã đơn vị tiếp nhận")
    competent_unit = serializers.CharField(max_length=32, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=[Channel.POST, Channel.COUNTER], default=Channel.POST)
    applicant = ApplicantSerializer()
    form_data = serializers.DictField(required=False, default=dict)


class TransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[
            "receive",
            "intake_supplement",
            "refuse_receipt",
            "claim",
            "assign",
            "complete",
            "return_step",
            "request_supplement",
            "supplement",
            "request_fee",
            "fee_paid",
            "transfer_out",
            "transfer_back",
            "apologise",
            "return_result",
            "stop",
        ]
    )
    version = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text="Phiên bản hồ sơ đã xem; sai thì trả 409 (stale)",
    )
    task = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    assignee = serializers.CharField(required=False, max_length=150, help_text="Tên đăng nhập cán bộ")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    items = serializers.ListField(child=serializers.CharField(max_length=500), required=False, max_length=50)
    decision = serializers.ChoiceField(choices=["approve", "refuse"], required=False, default="approve")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.COUNTER)
    new_due_date = serializers.DateField(required=False)
    to_unit = serializers.CharField(required=False, max_length=32)
    hours = serializers.FloatField(required=False, min_value=0, max_value=10000)
    transfer = serializers.IntegerField(required=False, min_value=1, max_value=2**62)


class PaperUploadSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(required=False, min_value=1, max_value=2**62)
    file = serializers.FileField()


class PaperSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


PublicSerializer = inline_serializer(
    "PublicDossierStatus",
    {
        "code": serializers.CharField(),
        "procedure_code": serializers.CharField(),
        "procedure_name": serializers.CharField(),
        "status": serializers.CharField(),
        "status_label": serializers.CharField(),
        "portal_status_code": serializers.IntegerField(),
        "step": serializers.DictField(),
        "receiving_unit": serializers.CharField(),
        "competent_unit": serializers.CharField(),
        "submitted_at": serializers.DateTimeField(allow_null=True),
        "received_at": serializers.DateTimeField(allow_null=True),
        "appointment_at": serializers.DateTimeField(allow_null=True),
        "due_at": serializers.DateTimeField(allow_null=True),
        "apology": serializers.BooleanField(),
        "overdue": serializers.BooleanField(),
        "returned_at": serializers.DateTimeField(allow_null=True),
        "outcome": serializers.CharField(allow_null=True),
        "verified": serializers.BooleanField(),
        "details": serializers.DictField(required=False, help_text="Chỉ có khi verify khớp 4 số cuối"),
    },
)

AUTH_ERRORS = {
    401: OpenApiResponse(DetailSerializer, description="Chưa xác thực"),
    403: OpenApiResponse(DetailSerializer, description="Không có quyền"),
}


def _error(exc: DossierError) -> Response:
    code = (
        status.HTTP_403_FORBIDDEN
        if exc.code in ("not_allowed", "not_citizen_owner")
        else (
            status.HTTP_409_CONFLICT
            if exc.code
            in (
                "stale",
                "task_taken",
                "task_not_active",
                "bad_transition",
                "idempotency_conflict",
                "supplement_once",
                "apology_once",
            )
            else status.HTTP_422_UNPROCESSABLE_ENTITY
        )
    )
    return Response({"code": exc.code, "message": exc.message}, status=code)


def _dossier(request, code: str) -> Dossier:
    d = selectors.get_dossier_for_staff(code, request.user)
    if d is None:
        raise Http404
    return d


def _unit(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, valid_to__isnull=True).first() if code else None


class DossierListCreate(APIView):
    permission_classes = [IsOfficer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="dossiers_list",
        parameters=[
            OpenApiParameter("status", str, enum=DossierStatus.values),
            OpenApiParameter("procedure", str),
            OpenApiParameter("unit", str, description="Mã đơn vị giải quyết"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("received_from", OpenApiTypes.DATE),
            OpenApiParameter("received_to", OpenApiTypes.DATE),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses={
            200: inline_serializer(
                "DossierPage",
                {"count": serializers.IntegerField(), "results": DossierListSerializer(many=True)},
            ),
            400: OpenApiResponse(DetailSerializer),
            **AUTH_ERRORS,
        },
    )
    def get(self, request):
        qs = selectors.staff_dossiers(request.user)
        p = request.query_params
        if p.get("status"):
            if p["status"] not in DossierStatus.values:
                return Response({"detail": "status không hợp lệ"}, status=400)
            qs = qs.filter(status=p["status"])
        if p.get("procedure"):
            qs = qs.filter(procedure__code=p["procedure"])
        if p.get("unit"):
            qs = qs.filter(unit__code=p["unit"])
        if p.get("overdue") in ("true", "1", "false", "0"):
            qs = qs.filter(overdue=p["overdue"] in ("true", "1"))
        try:
            if p.get("received_from"):
                qs = qs.filter(received_at__date__gte=dt.date.fromisoformat(p["received_from"]))
            if p.get("received_to"):
                qs = qs.filter(received_at__date__lte=dt.date.fromisoformat(p["received_to"]))
            limit = min(max(int(p.get("limit", 50)), 1), 500)
            offset = max(int(p.get("offset", 0)), 0)
            if offset > 10**9:
                raise ValueError("offset too large")
        except ValueError:
            return Response({"detail": "Tham số không hợp lệ"}, status=400)
        qs = qs.order_by("-submitted_at", "-id")
        return Response(
            {
                "count": qs.count(),
                "results": DossierListSerializer(qs[offset : offset + limit], many=True).data,
            }
        )

    @extend_schema(
        operation_id="dossiers_create",
        request=CreateSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True)],
        responses={
            201: DossierSerializer,
            200: DossierSerializer,
            400: OpenApiResponse(DetailSerializer),
            409: ErrorSerializer,
            422: ErrorSerializer,
            **AUTH_ERRORS,
        },
        description="Ghi nhận hồ sơ gửi qua bưu chính hoặc từ hệ thống khác (trạng thái 1). Gửi lại cùng "
        "Idempotency-Key trả về hồ sơ đã tạo (200).",
    )
    def post(self, request):
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if not key or len(key) > 100:
            return Response({"detail": "Thiếu hoặc sai header Idempotency-Key"}, status=400)
        serializer = CreateSerializer(data=request.data)
        if not serializer.is_valid():
            return Response({"detail": str(serializer.errors)}, status=400)
        data = serializer.validated_data
        existing = Dossier.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if not Dossier.objects.visible_to(request.user).filter(pk=existing.pk).exists():
                return Response(
                    {"code": "idempotency_conflict", "message": DossierError("idempotency_conflict").message},
                    status=409,
                )
            return Response(DossierSerializer(existing).data, status=200)
        from motcua.catalog import selectors as catalog

        procedure = catalog.get_procedure(data["procedure"])
        unit = _unit(data["receiving_unit"])
        if procedure is None or unit is None:
            return Response(
                {"code": "not_found", "message": "Không tìm thấy thủ tục hoặc đơn vị."}, status=422
            )
        try:
            d = services.register_submission(
                procedure=procedure,
                receiving_unit=unit,
                actor=request.user,
                applicant=data["applicant"],
                form_data=data.get("form_data") or {},
                channel=data["channel"],
                idempotency_key=key,
                competent_unit=_unit(data.get("competent_unit", "")),
            )
        except DossierError as exc:
            return _error(exc)
        except IntegrityError:  # the same key raced in from another request
            d = Dossier.objects.filter(idempotency_key=key).first()
            if d is None:
                raise
            return Response(DossierSerializer(d).data, status=200)
        return Response(DossierSerializer(d).data, status=201)


class DossierDetail(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="dossiers_read",
        responses={200: DossierSerializer, 404: OpenApiResponse(DetailSerializer), **AUTH_ERRORS},
    )
    def get(self, request, code):
        return Response(DossierSerializer(_dossier(request, code)).data)


class DossierTransition(APIView):
    permission_classes = [IsOfficer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="dossiers_transition",
        request=TransitionSerializer,
        responses={
            200: DossierSerializer,
            400: OpenApiResponse(DetailSerializer),
            404: OpenApiResponse(DetailSerializer),
            409: ErrorSerializer,
            422: ErrorSerializer,
            **AUTH_ERRORS,
        },
        description="Thực hiện một bước theo bảng chuyển trạng thái. 409 khi hồ sơ đã thay đổi (version) "
        "hoặc người khác đã nhận xử lý.",
    )
    def post(self, request, code):
        d = _dossier(request, code)
        serializer = TransitionSerializer(data=request.data)
        if not serializer.is_valid():
            return Response({"detail": str(serializer.errors)}, status=400)
        v = serializer.validated_data
        user, version, action = request.user, v.get("version"), v["action"]
        task = None
        if action in ("claim", "assign", "complete", "return_step"):
            task = (
                Task.objects.filter(pk=v.get("task"), dossier=d).first()
                if v.get("task")
                else selectors.current_task(d)
            )
            if task is None:
                return _error(DossierError("task_not_active"))
        try:
            if action == "receive":
                services.receive(d, actor=user, expected_version=version)
            elif action == "intake_supplement":
                services.request_supplement_at_intake(
                    d,
                    actor=user,
                    items=v.get("items", []),
                    reason=v.get("reason", ""),
                    expected_version=version,
                )
            elif action == "refuse_receipt":
                services.refuse_receipt(d, actor=user, reason=v.get("reason", ""), expected_version=version)
            elif action == "claim":
                services.claim_task(task, actor=user, expected_version=version)
            elif action == "assign":
                assignee = User.objects.filter(username=v.get("assignee", "")).first()
                if assignee is None:
                    return _error(DossierError("not_allowed"))
                services.assign_task(task, actor=user, assignee=assignee, expected_version=version)
            elif action == "complete":
                services.complete_task(
                    task, actor=user, note=v.get("note", ""), decision=v["decision"], expected_version=version
                )
            elif action == "return_step":
                services.return_task(task, actor=user, reason=v.get("reason", ""), expected_version=version)
            elif action == "request_supplement":
                services.request_supplement(
                    d,
                    actor=user,
                    items=v.get("items", []),
                    reason=v.get("reason", ""),
                    expected_version=version,
                )
            elif action == "supplement":
                services.supplement(d, actor=user, note=v.get("note", ""), expected_version=version)
            elif action == "request_fee":
                services.request_fee(d, actor=user, note=v.get("note", ""), expected_version=version)
            elif action == "fee_paid":
                services.confirm_fee(d, actor=user, note=v.get("note", ""), expected_version=version)
            elif action == "transfer_out":
                to_unit = _unit(v.get("to_unit", ""))
                if to_unit is None:
                    return _error(DossierError("transfer_unit"))
                services.transfer_out(
                    d,
                    actor=user,
                    to_unit=to_unit,
                    hours=v.get("hours") or 0,
                    note=v.get("note", ""),
                    expected_version=version,
                )
            elif action == "transfer_back":
                transfer = Transfer.objects.filter(dossier=d, returned_at__isnull=True).first()
                if transfer is None:
                    return _error(DossierError("task_not_active"))
                services.transfer_back(
                    transfer, actor=user, reply=v.get("note", ""), expected_version=version
                )
            elif action == "apologise":
                if not v.get("new_due_date"):
                    return _error(DossierError("apology_date"))
                services.apologise(
                    d,
                    actor=user,
                    new_due_date=v["new_due_date"],
                    reason=v.get("reason", ""),
                    expected_version=version,
                )
            elif action == "return_result":
                services.return_result(d, actor=user, channel=v["channel"], expected_version=version)
            elif action == "stop":
                services.stop(d, actor=user, reason=v.get("reason", ""), expected_version=version)
        except DossierError as exc:
            return _error(exc)
        d.refresh_from_db()
        return Response(DossierSerializer(d).data)


class DossierPapers(APIView):
    permission_classes = [IsOfficer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="dossiers_upload_paper",
        request={"multipart/form-data": PaperUploadSerializer},
        responses={
            201: PaperSerializer,
            400: OpenApiResponse(DetailSerializer),
            404: OpenApiResponse(DetailSerializer),
            409: ErrorSerializer,
            422: ErrorSerializer,
            413: OpenApiResponse(DetailSerializer),
            **AUTH_ERRORS,
        },
        description="Tải bản quét cho một thành phần hồ sơ (PDF/JPEG/PNG, kiểm tra theo nội dung và dung lượng).",
    )
    def post(self, request, code):
        d = _dossier(request, code)
        serializer = PaperUploadSerializer(data=request.data)
        if not serializer.is_valid():
            return Response({"detail": str(serializer.errors)}, status=400)
        v = serializer.validated_data
        try:
            paper = services.add_paper(
                d, actor=request.user, requirement_id=v.get("requirement"), file=v["file"]
            )
        except DossierError as exc:
            return _error(exc)
        return Response(
            {
                "id": paper.pk,
                "name": paper.name,
                "content_type": paper.content_type,
                "size": paper.size,
                "sha256": paper.sha256,
            },
            status=201,
        )


class PublicDossier(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        operation_id="public_dossier_status",
        auth=[],
        parameters=[OpenApiParameter("verify", str, description="4 số cuối điện thoại hoặc số định danh")],
        responses={
            200: PublicSerializer,
            404: OpenApiResponse(DetailSerializer),
            429: OpenApiResponse(DetailSerializer, description="Quá nhiều lượt tra cứu"),
        },
        description="Tra cứu công khai theo mã hồ sơ: trạng thái, bước, ngày hẹn; không có dữ liệu cá nhân.",
    )
    def get(self, request, code):
        found = selectors.public_detail(code, request.query_params.get("verify", ""))
        if found is None:
            return Response({"detail": "Không tìm thấy hồ sơ."}, status=404)
        data, verified = found
        public_keys = set(PublicSerializer.fields) - {"verified", "details"}
        body = {k: data[k] for k in public_keys if k in data}
        body["verified"] = verified
        if verified:
            body["details"] = {k: v for k, v in data.items() if k not in public_keys}
        return Response(body)
