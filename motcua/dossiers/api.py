"""/api/v1/ for dossiers: create (Idempotency-Key), read, list with filters, transitions, paper uploads,
and the public status look-up. Every response code an endpoint can give is declared in the schema.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.catalog import selectors as catalog
from motcua.core import ratelimit
from motcua.core.openapi import (
    UPLOAD_ERRORS,
    ApiErrorSerializer,
    ApiView,
    auth_errors,
    error_response,
    invalid_response,
)
from motcua.core.parsers import FormParser, JSONParser, MultiPartParser
from motcua.core.ratelimit import ScopedThrottle
from motcua.dossiers import selectors, services
from motcua.dossiers.errors import DossierError
from motcua.dossiers.models import Dossier, DossierPaper, DossierStatus, ResultPaper, Task
from motcua.dossiers.serializers import (
    ACTIONS,
    IDEMPOTENCY_KEY,
    CreateSerializer,
    PaperUploadSerializer,
    ResultUploadSerializer,
    SupplementUploadSerializer,
    TransitionRequest,
    transition_serializer,
)
from motcua.dossiers.services import dispatch
from motcua.org.gates import StaffOrSystem
from motcua.org.models import Unit

ErrorSerializer = ApiErrorSerializer


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
        "details": serializers.DictField(required=False, help_text="Chỉ có khi verify khớp"),
    },
)

AUTH_ERRORS = auth_errors()


def _error(exc: DossierError) -> Response:
    return error_response(exc.code, exc.message, exc.status, message=exc.message)


def _not_found(what: str) -> Response:
    return error_response("not_found", what, 404, message=what)


def _dossier(request: Request, code: str) -> Dossier:
    d = selectors.get_dossier_for_staff(code, request.user)
    if d is None:
        raise Http404
    return d


_INTEGER = re.compile(r"^-?[0-9]{1,12}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _list_filters(p: Mapping[str, str]) -> dict[str, Any]:
    """The list's query parameters, checked exactly as documented; ValueError(name) for a bad one."""
    out: dict[str, Any] = {}
    if "status" in p:
        if p["status"] not in DossierStatus.values:
            raise ValueError("status")
        out["status"] = p["status"]
    if "overdue" in p:
        if p["overdue"] not in ("true", "false"):
            raise ValueError("overdue")
        out["overdue"] = p["overdue"] == "true"
    for name in ("received_from", "received_to"):
        if name in p:
            if not _DATE.match(p[name]):
                raise ValueError(name)
            try:
                out[name] = dt.date.fromisoformat(p[name].strip())
            except ValueError:
                raise ValueError(name) from None
    for name, low, high in (("limit", 1, 500), ("offset", 0, 10**9)):
        if name in p:
            if not _INTEGER.match(p[name]) or not low <= int(p[name]) <= high:
                raise ValueError(name)
            out[name] = int(p[name])
    return out


def _unit(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, valid_to__isnull=True).first() if code else None


class DossierListCreate(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="dossiers_list",
        parameters=[
            OpenApiParameter("status", str, enum=DossierStatus.values),
            OpenApiParameter("procedure", str, description="Mã thủ tục (lọc chính xác)"),
            OpenApiParameter("unit", str, description="Mã đơn vị giải quyết (lọc chính xác)"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("received_from", OpenApiTypes.DATE, description="YYYY-MM-DD"),
            OpenApiParameter("received_to", OpenApiTypes.DATE, description="YYYY-MM-DD"),
            OpenApiParameter(
                "limit", {"type": "integer", "minimum": 1, "maximum": 500}, description="Mặc định 50"
            ),
            OpenApiParameter(
                "offset", {"type": "integer", "minimum": 0, "maximum": 10**9}, description="Mặc định 0"
            ),
        ],
        responses={
            200: inline_serializer(
                "DossierPage",
                {"count": serializers.IntegerField(), "results": DossierListSerializer(many=True)},
            ),
            400: OpenApiResponse(ErrorSerializer, description="Tham số lọc không hợp lệ"),
            **AUTH_ERRORS,
        },
    )
    def get(self, request: Request) -> Response:
        p = request.query_params
        try:
            filters = _list_filters(p)
        except ValueError as exc:
            return error_response(
                "bad_filter", _("Tham số “%(name)s” không hợp lệ.") % {"name": exc.args[0]}, 400
            )
        qs = selectors.staff_dossiers(request.user)
        if "status" in filters:
            qs = qs.filter(status=filters["status"])
        if "procedure" in p:
            qs = qs.filter(procedure__code=p["procedure"])
        if "unit" in p:
            qs = qs.filter(unit__code=p["unit"])
        if "overdue" in filters:
            qs = qs.filter(overdue=filters["overdue"])
        if "received_from" in filters:
            qs = qs.filter(received_at__date__gte=filters["received_from"])
        if "received_to" in filters:
            qs = qs.filter(received_at__date__lte=filters["received_to"])
        limit, offset = filters.get("limit", 50), filters.get("offset", 0)
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
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                {"type": "string", "pattern": IDEMPOTENCY_KEY, "minLength": 1, "maxLength": 100},
                OpenApiParameter.HEADER,
                required=True,
                description="Khóa chống trùng do hệ thống gửi tự sinh (1-100 ký tự ASCII nhìn thấy được); gửi lại "
                "cùng khóa trả về hồ sơ đã tạo (200)",
            )
        ],
        responses={
            201: DossierSerializer,
            200: DossierSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Thiếu/sai Idempotency-Key hoặc dữ liệu không hợp lệ"
            ),
            404: OpenApiResponse(ErrorSerializer, description="Không có thủ tục hoặc đơn vị với mã đã gửi"),
            409: OpenApiResponse(
                ErrorSerializer,
                description="Khóa đã dùng cho hồ sơ khác, hoặc thủ tục không nhận hồ sơ này (tờ khai, kênh, "
                "thủ tục đã bãi bỏ...): `code` cho biết lý do",
            ),
            **AUTH_ERRORS,
        },
        description="Ghi nhận hồ sơ gửi qua bưu chính hoặc từ hệ thống khác (trạng thái 1). Gửi lại cùng "
        "Idempotency-Key trả về hồ sơ đã tạo (200).",
    )
    def post(self, request: Request) -> Response:
        key = request.headers.get("Idempotency-Key")
        if not key or not re.match(IDEMPOTENCY_KEY, key):
            return error_response(
                "idempotency_key",
                _(
                    "Thiếu hoặc sai header Idempotency-Key (1-100 ký tự ASCII, không có khoảng trắng ở hai đầu)."
                ),
                400,
            )
        key = key.strip()
        serializer = CreateSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        data = serializer.validated_data
        existing = Dossier.objects.filter(idempotency_key=key).first()
        if existing is not None:
            if not Dossier.objects.visible_to(request.user).filter(pk=existing.pk).exists():
                return _error(DossierError("idempotency_conflict"))
            return Response(DossierSerializer(existing).data, status=200)
        procedure = catalog.get_procedure(data["procedure"].strip())
        if procedure is None:
            return _not_found(_("Không tìm thấy thủ tục có mã này."))
        unit = _unit(data["receiving_unit"].strip())
        if unit is None:
            return _not_found(_("Không tìm thấy đơn vị tiếp nhận có mã này."))
        competent = None
        if data.get("competent_unit"):
            competent = _unit(data["competent_unit"].strip())
            if competent is None:
                return _not_found(_("Không tìm thấy đơn vị giải quyết có mã này."))
        try:
            d = services.register_submission(
                procedure=procedure,
                receiving_unit=unit,
                actor=request.user,
                applicant=data["applicant"],
                form_data=data.get("form_data") or {},
                channel=data["channel"],
                idempotency_key=key,
                competent_unit=competent,
            )
        except DossierError as exc:
            return _error(exc)
        # the same key raced in from another request: the service returns that request's dossier
        return Response(DossierSerializer(d).data, status=200 if d.replayed else 201)


class DossierDetail(ApiView):
    permission_classes = [StaffOrSystem]

    @extend_schema(
        operation_id="dossiers_read",
        responses={200: DossierSerializer, 404: OpenApiResponse(ErrorSerializer), **AUTH_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(DossierSerializer(_dossier(request, code)).data)


class DossierTransition(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="dossiers_transition",
        request=TransitionRequest,
        responses={
            200: DossierSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Thân yêu cầu không khớp với hành động"),
            404: OpenApiResponse(
                ErrorSerializer, description="Không có hồ sơ, bước, cán bộ hoặc đơn vị với mã đã gửi"
            ),
            409: OpenApiResponse(
                ErrorSerializer,
                description="Hồ sơ đã thay đổi (stale), bước đã có người nhận, hoặc trạng thái/quy định không cho "
                "phép hành động này: `code` cho biết lý do",
            ),
            **AUTH_ERRORS,
        },
        description="Thực hiện một bước theo bảng chuyển trạng thái; mỗi `action` có thân yêu cầu riêng "
        f"({', '.join(ACTIONS)}). 409 khi hồ sơ đã thay đổi (version), người khác đã nhận xử lý, hoặc trạng "
        "thái hiện tại không cho phép.",
    )
    def post(self, request: Request, code: str) -> Response:
        d = _dossier(request, code)
        serializer = transition_serializer(request.data)
        if serializer is None:
            return invalid_response({"action": [_("Hành động phải là một trong: %s.") % ", ".join(ACTIONS)]})
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        v = serializer.validated_data
        try:
            dispatch.run(d, v["action"], request.user, v)
        except DossierError as exc:
            return _error(exc)
        d.refresh_from_db()
        return Response(DossierSerializer(d).data)


class DossierPapers(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="dossiers_upload_paper",
        request={"multipart/form-data": PaperUploadSerializer},
        responses={
            201: PaperSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Thiếu tệp, tệp rỗng hoặc trường không hợp lệ"),
            404: OpenApiResponse(ErrorSerializer, description="Không có hồ sơ hoặc thành phần hồ sơ này"),
            409: OpenApiResponse(ErrorSerializer, description="Hồ sơ không ở bước nhận giấy tờ"),
            **UPLOAD_ERRORS,
            **AUTH_ERRORS,
        },
        description="Tải bản quét cho một thành phần hồ sơ (PDF/JPEG/PNG, kiểm tra theo nội dung và dung lượng).",
    )
    def post(self, request: Request, code: str) -> Response:
        d = _dossier(request, code)
        serializer = PaperUploadSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
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


class DossierResultPapers(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="dossiers_upload_result",
        request={"multipart/form-data": ResultUploadSerializer},
        responses={
            201: PaperSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Thiếu tệp, tệp rỗng hoặc trường không hợp lệ"),
            404: OpenApiResponse(ErrorSerializer, description="Không có hồ sơ với mã này"),
            409: OpenApiResponse(
                ErrorSerializer,
                description="Hồ sơ đã thay đổi (stale) hoặc chưa ở bước có kết quả (đang giải quyết, có kết "
                "quả, từ chối): `code` cho biết lý do",
            ),
            **UPLOAD_ERRORS,
            **AUTH_ERRORS,
        },
        description="Tải lên bản điện tử của giấy tờ kết quả (hành động `attach_result` của quy trình, vai trò "
        "của đơn vị giải quyết); sau đó `return_result` trả kết quả và đóng hồ sơ.",
    )
    def post(self, request: Request, code: str) -> Response:
        d = _dossier(request, code)
        serializer = ResultUploadSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        v = serializer.validated_data
        try:
            paper = dispatch.run(d, "attach_result", request.user, v, files={"file": v["file"]})
        except DossierError as exc:
            return _error(exc)
        return Response(_paper(paper), status=201)


class DossierSupplement(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="dossiers_supplement",
        request={"multipart/form-data": SupplementUploadSerializer},
        responses={
            200: DossierSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Thiếu tệp, tệp rỗng hoặc trường không hợp lệ"),
            404: OpenApiResponse(ErrorSerializer, description="Không có hồ sơ hoặc thành phần hồ sơ này"),
            409: OpenApiResponse(
                ErrorSerializer,
                description="Hồ sơ đã thay đổi (stale) hoặc không đang chờ bổ sung: `code` cho biết lý do",
            ),
            **UPLOAD_ERRORS,
            **AUTH_ERRORS,
        },
        description="Bổ sung hồ sơ kèm bản quét (hành động `supplement` của quy trình): các tệp `file` được "
        "lưu là giấy tờ bổ sung, của thành phần `requirement` nếu có.",
    )
    def post(self, request: Request, code: str) -> Response:
        d = _dossier(request, code)
        serializer = SupplementUploadSerializer(data=request.data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        v = serializer.validated_data
        if v.get("requirement") is not None:
            if not catalog.papers(d.procedure).filter(pk=v["requirement"]).exists():
                return _not_found(_("Thủ tục không có thành phần hồ sơ này."))
        try:
            dispatch.run(d, "supplement", request.user, v, files={"files": v["file"]})
        except DossierError as exc:
            return _error(exc)
        d.refresh_from_db()
        return Response(DossierSerializer(d).data)


def _paper(paper: DossierPaper | ResultPaper) -> dict[str, Any]:
    return {
        "id": paper.pk,
        "name": paper.name,
        "content_type": paper.content_type,
        "size": paper.size,
        "sha256": paper.sha256,
    }


class PublicDossier(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "public_lookup"

    @extend_schema(
        operation_id="public_dossier_status",
        auth=[],
        parameters=[
            OpenApiParameter(
                "verify",
                str,
                description="Mã bí mật trên giấy tiếp nhận, hoặc 6 số cuối điện thoại hay số định danh",
            )
        ],
        responses={
            200: PublicSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Không có hồ sơ với mã này"),
        },
        description="Tra cứu công khai theo mã hồ sơ: trạng thái, bước, ngày hẹn; không có dữ liệu cá nhân.",
    )
    def get(self, request: Request, code: str) -> Response:
        if request.query_params.get("verify") and ratelimit.limited(request, "lookup-verify", target=code):
            return error_response("rate_limited", ratelimit.MESSAGE, 429, message=ratelimit.MESSAGE)
        found = selectors.public_detail(code, request.query_params.get("verify", ""))
        if found is None:
            return _not_found(_("Không tìm thấy hồ sơ."))
        data, verified = found
        public_keys = set(PublicSerializer.fields) - {"verified", "details"}
        body = {k: data[k] for k in public_keys if k in data}
        body["verified"] = verified
        if verified:
            body["details"] = {k: v for k, v in data.items() if k not in public_keys}
        return Response(body)
