"""/api/v1/documents/: intake of incoming documents (files or edXML) by other systems and officers, the
register entry, and the edXML export. Same authentication as the dossier API (session for staff, tokens
for connected systems)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.core.openapi import (
    UPLOAD_ERRORS,
    ApiErrorSerializer,
    ApiView,
    auth_errors,
    error_response,
    invalid_response,
)
from motcua.core.parsers import FormParser, MultiPartParser
from motcua.documents import selectors, services
from motcua.documents.errors import DocumentError
from motcua.documents.models import Document, OcrStatus, ReceivedVia, Secrecy, Urgency
from motcua.org.gates import StaffOrSystem

AUTH_ERRORS = auth_errors("Không có quyền (vai trò văn thư của đơn vị)")
FILE_ERRORS = {
    400: OpenApiResponse(
        ApiErrorSerializer, description="Thiếu tệp, tệp rỗng, tệp hỏng hoặc trường không hợp lệ"
    ),
    **UPLOAD_ERRORS,
}


class IncomingIn(serializers.Serializer):
    file = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),
        min_length=1,
        max_length=20,
        help_text="Một hoặc nhiều tệp (PDF, JPEG, PNG) ghép thành một văn bản theo thứ tự gửi",
    )
    received_via = serializers.ChoiceField(choices=ReceivedVia.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, required=False)
    readers = serializers.ListField(
        child=serializers.RegexField(r"^[\w.@+-]{1,150}$"),
        required=False,
        max_length=50,
        help_text="Văn bản mật: tên đăng nhập những người được đọc (người vào sổ luôn được đọc)",
    )


class EdxmlIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, help_text="Gói tin edXML (QCVN 102:2016/BTTTT)")


class CreatedOut(serializers.Serializer):
    id = serializers.IntegerField()
    arrival_number = serializers.IntegerField()
    arrival_at = serializers.DateTimeField()
    ocr_status = serializers.ChoiceField(choices=OcrStatus.choices)
    duplicate_of = serializers.IntegerField(allow_null=True)


class FieldsOut(serializers.Serializer):
    issuer = serializers.CharField()
    number_notation = serializers.CharField()
    issued_on = serializers.CharField(help_text="YYYY-MM-DD, hoặc rỗng")
    doc_type = serializers.CharField()
    summary = serializers.CharField()


class TaskOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    unit = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    deadline = serializers.DateTimeField()
    status = serializers.CharField()


class DirectiveOut(serializers.Serializer):
    leader = serializers.CharField()
    lead_unit = serializers.CharField(allow_null=True)
    lead_person = serializers.CharField(allow_null=True)
    co_units = serializers.ListField(child=serializers.CharField())
    deadline = serializers.DateTimeField()
    text = serializers.CharField()
    overlay_pages = serializers.ListField(child=serializers.IntegerField())


class ReplyOut(serializers.Serializer):
    number_notation = serializers.CharField()
    issued_on = serializers.DateField()
    summary = serializers.CharField()


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    arrival_number = serializers.IntegerField()
    year = serializers.IntegerField()
    arrival_at = serializers.DateTimeField()
    received_via = serializers.CharField()
    urgency = serializers.CharField()
    secrecy = serializers.CharField()
    status = serializers.CharField()
    ocr_status = serializers.ChoiceField(choices=OcrStatus.choices)
    ocr_note = serializers.CharField()
    duplicate_of = serializers.IntegerField(allow_null=True)
    fields = FieldsOut()  # type: ignore[assignment]  # a field named like Serializer.fields
    fields_confirmed = serializers.BooleanField()
    text = serializers.CharField()
    directive = DirectiveOut(allow_null=True)
    tasks = TaskOut(many=True)
    replies = ReplyOut(many=True)


def created(document: Document, duplicate: bool) -> dict[str, Any]:
    return {
        "id": document.pk,
        "arrival_number": document.arrival_number,
        "arrival_at": document.arrival_at.isoformat(),
        "ocr_status": document.ocr_status,
        "duplicate_of": document.pk if duplicate else document.duplicate_of_id,
    }


def entry(document: Document) -> dict[str, Any]:
    return selectors.register_entry(document)


def _body(request: Request) -> Any:
    """The parsed multipart body, or a 400 in the API's error shape when Django refuses it (too many parts)."""
    try:
        return request.data
    except (TooManyFilesSent, TooManyFieldsSent):
        return error_response("too_many_parts", _("Yêu cầu có quá nhiều tệp hoặc trường."), 400)


def _answer(document: Document) -> Response:
    duplicate = bool(getattr(document, "duplicate", False))
    return Response(created(document, duplicate), status=200 if duplicate else 201)


class IncomingCreate(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="documents_incoming_create",
        request={"multipart/form-data": IncomingIn},
        responses={
            201: CreatedOut,
            200: OpenApiResponse(
                CreatedOut, description="Cùng tệp đã vào sổ: văn bản cũ (`duplicate_of`), không lấy số"
            ),
            **FILE_ERRORS,
            **AUTH_ERRORS,
        },
        description="Vào sổ văn bản đến từ tệp quét hoặc tệp điện tử: cấp số đến ngay, nhận dạng chữ chạy nền.",
    )
    def post(self, request: Request) -> Response:
        data = _body(request)
        if isinstance(data, Response):
            return data
        serializer = IncomingIn(data=data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        data = serializer.validated_data
        document = services.register_upload(
            request.user,
            data["file"],
            received_via=data.get("received_via") or ReceivedVia.API,
            urgency=data.get("urgency") or "",
            secrecy=data.get("secrecy") or "",
            readers=data.get("readers") or [],
        )
        return _answer(document)


class IncomingDetail(ApiView):
    permission_classes = [StaffOrSystem]

    @extend_schema(
        operation_id="documents_incoming_read",
        responses={
            200: DocumentOut,
            404: OpenApiResponse(
                ApiErrorSerializer,
                description="Không có văn bản, ngoài phạm vi, hoặc văn bản mật không ghi tên người hỏi",
            ),
            **AUTH_ERRORS,
        },
        description="Một mục sổ văn bản đến: trường (OCR đề xuất hoặc văn thư xác nhận), toàn văn, chỉ đạo, nhiệm vụ, trạng thái.",
    )
    def get(self, request: Request, id: str) -> Response:  # noqa: A002 - the contract's path parameter
        return Response(entry(services.read(request.user, id)))


class IncomingEdxml(ApiView):
    permission_classes = [StaffOrSystem]

    @extend_schema(
        operation_id="documents_incoming_edxml_export",
        responses={
            (200, "application/xml"): OpenApiResponse(description="Gói tin edXML"),
            404: OpenApiResponse(ApiErrorSerializer, description="Không có văn bản hoặc ngoài phạm vi"),
            403: OpenApiResponse(ApiErrorSerializer, description="Văn bản mật không được gửi ra ngoài"),
            401: OpenApiResponse(ApiErrorSerializer, description="Chưa xác thực"),
        },
        description="Xuất văn bản thành gói tin edXML (QCVN 102:2016) kèm tệp đính kèm base64.",
    )
    def get(self, request: Request, id: str) -> HttpResponse:  # noqa: A002 - the contract's path parameter
        document = services.read(request.user, id, what="edxml_export")
        raw = services.export_edxml(document, request.user)
        response = HttpResponse(raw, content_type="application/xml")
        response["Content-Disposition"] = (
            f'attachment; filename="van-ban-den-{document.year}-{document.arrival_number}.edxml"'
        )
        return response


class EdxmlCreate(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="documents_edxml_import",
        request={"multipart/form-data": EdxmlIn},
        responses={
            201: CreatedOut,
            200: OpenApiResponse(CreatedOut, description="Cùng tệp đính kèm đã vào sổ (`duplicate_of`)"),
            400: OpenApiResponse(
                ApiErrorSerializer, description="Gói tin edXML không hợp lệ: không vào sổ gì"
            ),
            413: OpenApiResponse(ApiErrorSerializer, description="Tệp quá lớn"),
            **AUTH_ERRORS,
        },
        description="Nhận gói tin edXML: vào sổ với các trường lấy từ phần đầu gói tin, không cần nhận dạng.",
    )
    def post(self, request: Request) -> Response:
        data = _body(request)
        if isinstance(data, Response):
            return data
        serializer = EdxmlIn(data=data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        upload = serializer.validated_data["file"]
        if upload.size > 2 * services.upload_limit():
            raise DocumentError(
                "file_size", name=upload.name, limit=2 * services.upload_limit() // (1024 * 1024)
            )
        return _answer(services.import_edxml(request.user, upload.read()))
