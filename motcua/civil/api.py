"""Civil status API: the public verification of an extract copy or a marital status certificate by its QR
code; registration (birth, marriage, death), extract copies and marital status certificates for officers and
connected systems."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, cast

from django.db import models, transaction
from django.http import FileResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.citizens.selectors import dossier_for_staff
from motcua.civil import selectors, services
from motcua.civil.errors import CivilError
from motcua.civil.models import RECORD_MODELS, MaritalOutcome, RecordKind, Source
from motcua.civil.services import KIND_FIELDS, verify_code
from motcua.core.openapi import (
    NO_NUL,
    NOT_BLANK,
    ApiErrorSerializer,
    ApiView,
    PersonalIdField,
    StrictChoiceField,
    TextField,
    auth_errors,
    error_response,
    invalid_response,
)
from motcua.core.parsers import JSONParser
from motcua.core.ratelimit import ScopedThrottle
from motcua.dossiers.errors import DossierError
from motcua.org.gates import StaffOrSystem
from motcua.org.models import Unit, User

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


# --- registration, extracts and marital status for officers and connected systems ---------------------------
# The same services as the screens (`civil.services`): the caller acts at `unit` (default: its first unit
# holding a role the action needs), under the same roles and scope rule; rule refusals are 409, a unit or
# record the caller may not act in 403, unknown references 404.
UNIT_CODE = r"^([0-9A-Za-z][0-9A-Za-z.\-]{0,31})?$"
DOSSIER_CODE = r"^([!-~]{1,60})?$"
AUTH_ERRORS = auth_errors("Không có vai trò phù hợp tại đơn vị này (`not_allowed`)")


def _field(model_field: models.Field) -> serializers.Field:
    """The API field of one record field, exactly as the contract states it."""
    required = not (model_field.blank or model_field.null or model_field.has_default())
    help_text = str(model_field.verbose_name).capitalize()
    if isinstance(model_field, models.DateField):
        return serializers.DateField(required=required, help_text=help_text)
    if model_field.choices:
        return StrictChoiceField(choices=model_field.choices, required=required, help_text=help_text)
    if model_field.name.endswith("personal_id"):
        return PersonalIdField(
            optional=not required, required=required, allow_blank=not required, help_text=help_text
        )
    return TextField(
        NOT_BLANK if required else NO_NUL,
        max_length=model_field.max_length,
        required=required,
        allow_blank=not required,
        help_text=help_text,
    )


def registration_serializer(kind: str) -> type[serializers.Serializer]:
    model = RECORD_MODELS[kind]
    attrs: dict[str, Any] = {
        name: _field(cast(models.Field, model._meta.get_field(name)))
        for name in KIND_FIELDS[kind] + ["registered_on", "note"]
    }
    attrs["registered_on"] = serializers.DateField(required=False, help_text="Ngày đăng ký; mặc định hôm nay")
    attrs["unit"] = TextField(
        UNIT_CODE, required=False, help_text="Mã đơn vị đăng ký; mặc định đơn vị của bạn"
    )
    attrs["dossier"] = TextField(
        DOSSIER_CODE, required=False, help_text="Mã hồ sơ thủ tục đăng ký này (nếu đăng ký từ hồ sơ)"
    )
    attrs["override_reason"] = TextField(
        NO_NUL, max_length=300, required=False, help_text="Lãnh đạo cho phép đăng ký dù trùng: lý do"
    )
    name = f"Civil{kind.capitalize()}Registration"
    return type(name, (serializers.Serializer,), attrs)


RecordOut = inline_serializer(
    "CivilRecord",
    {
        "kind": serializers.CharField(),
        "id": serializers.UUIDField(help_text="`record` của yêu cầu cấp trích lục"),
        "code": serializers.CharField(),
        "unit": serializers.CharField(),
        "register_book": serializers.CharField(),
        "register_page": serializers.IntegerField(),
        "registered_on": serializers.DateField(),
        "dossier": serializers.CharField(),
        "title": serializers.CharField(),
    },
)


def _unit_for(user: Any, code: str, roles: tuple[str, ...]) -> Unit:
    """The unit named by `code` (404 when none), else the caller's first unit holding one of `roles`."""
    if code:
        unit = Unit.objects.filter(code=code, valid_to__isnull=True).first()
        if unit is None:
            raise CivilError("not_found")
        return unit
    for assignment in user._active_roles():
        if assignment.role in roles:
            return assignment.unit
    raise CivilError("not_allowed")


def _refusal(exc: CivilError) -> Response:
    return error_response(exc.code, exc.message, exc.status, message=exc.message)


def _unit_not_found() -> Response:
    message = _("Không tìm thấy đơn vị có mã này.")
    return error_response("not_found", message, 404, message=message)


class RegisterRecord(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [JSONParser]
    kind: str = RecordKind.BIRTH

    def post(self, request: Request) -> Response:
        serializer = registration_serializer(self.kind)(data=request.data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        data = dict(serializer.validated_data)
        unit_code = data.pop("unit", "")
        dossier_code = data.pop("dossier", "")
        override_reason = data.pop("override_reason", "")
        try:
            unit = _unit_for(request.user, unit_code, services.REGISTRARS)
        except CivilError as exc:
            return _unit_not_found() if exc.code == "not_found" else _refusal(exc)
        try:
            if dossier_code:
                _dossier, kind = services.dossier_for_registration(dossier_code, request.user)
                if kind != self.kind:
                    raise CivilError("wrong_procedure", code=dossier_code, procedure=_dossier.procedure.code)
            record = services.register(
                self.kind,
                unit=unit,
                actor=request.user,
                data=data,
                override_reason=override_reason,
                dossier_code=dossier_code,
                source=Source.DOSSIER if dossier_code else Source.DIRECT,
            )
        except CivilError as exc:
            return _refusal(exc)
        return Response(
            {
                "kind": record.kind,
                "id": str(record.public_id),
                "code": record.code,
                "unit": record.unit.code,
                "register_book": record.register_book,
                "register_page": record.register_page,
                "registered_on": record.registered_on.isoformat(),
                "dossier": record.dossier_code,
                "title": record.title,
            },
            status=201,
        )


def _register_view(kind: str, label: str) -> type[RegisterRecord]:
    @extend_schema(
        operation_id=f"civil_register_{kind}",
        request=registration_serializer(kind),
        responses={
            201: RecordOut,
            400: OpenApiResponse(ApiErrorSerializer, description="Dữ liệu không hợp lệ"),
            404: OpenApiResponse(ApiErrorSerializer, description="Không có đơn vị với mã đã gửi"),
            409: OpenApiResponse(
                ApiErrorSerializer,
                description="Trùng bản ghi đã có, số định danh sai cấu trúc, ngày trong tương lai, đang có "
                "vợ/chồng, hồ sơ không mở được hoặc không thuộc thủ tục này: `code` cho biết lý do",
            ),
            **AUTH_ERRORS,
        },
        description=f"Đăng ký {label} tại đơn vị (chuyên viên hoặc lãnh đạo đơn vị), kiểm tra trùng trong "
        "toàn tỉnh; trả mã đăng ký, quyển và trang sổ.",
    )
    def post(self: RegisterRecord, request: Request) -> Response:
        return RegisterRecord.post(self, request)

    return type(f"Register{kind.capitalize()}", (RegisterRecord,), {"kind": kind, "post": post})


RegisterBirth = _register_view(RecordKind.BIRTH, "khai sinh")
RegisterMarriage = _register_view(RecordKind.MARRIAGE, "kết hôn")
RegisterDeath = _register_view(RecordKind.DEATH, "khai tử")


class ExtractRequest(serializers.Serializer):
    kind = StrictChoiceField(
        choices=[RecordKind.BIRTH, RecordKind.MARRIAGE, RecordKind.DEATH, RecordKind.CHANGE]
    )
    record = serializers.UUIDField(help_text="`id` của bản ghi (trả về khi đăng ký)")
    collector_name = TextField(NOT_BLANK, max_length=200, help_text="Họ tên người nhận bản sao")
    collector_personal_id = PersonalIdField(help_text="Số định danh người nhận (đã kiểm tra giấy tờ)")
    purpose = TextField(NO_NUL, max_length=300, required=False, allow_blank=True)
    unit = TextField(UNIT_CODE, required=False, help_text="Mã đơn vị cấp; mặc định đơn vị của bạn")
    dossier = TextField(
        DOSSIER_CODE,
        required=False,
        help_text="Mã hồ sơ: bản trích lục được gắn làm giấy tờ kết quả của hồ sơ (không thu lệ phí lần nữa)",
    )


ExtractOut = inline_serializer(
    "CivilExtract",
    {
        "id": serializers.UUIDField(),
        "record_code": serializers.CharField(),
        "copy_number": serializers.IntegerField(),
        "issuing_unit": serializers.CharField(),
        "issued_at": serializers.DateTimeField(),
        "fee": serializers.IntegerField(),
        "verification_code": serializers.CharField(),
        "verification_url": serializers.CharField(),
        "pdf_url": serializers.CharField(),
        "dossier_result": serializers.BooleanField(),
    },
)


class IssueExtract(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="civil_issue_extract",
        request=ExtractRequest,
        responses={
            201: ExtractOut,
            400: OpenApiResponse(ApiErrorSerializer, description="Dữ liệu không hợp lệ"),
            404: OpenApiResponse(
                ApiErrorSerializer, description="Không có bản ghi hoặc đơn vị với mã đã gửi"
            ),
            409: OpenApiResponse(
                ApiErrorSerializer,
                description="Bản ghi của đơn vị khác cần nêu mục đích, số định danh sai, hồ sơ không mở được: "
                "`code` cho biết lý do",
            ),
            429: OpenApiResponse(
                ApiErrorSerializer, description="Quá số lần xem bản ghi đơn vị khác trong ngày"
            ),
            **AUTH_ERRORS,
        },
        description="Cấp bản sao trích lục hộ tịch (2.000635) của bất kỳ bản ghi nào trong tỉnh tại đơn vị "
        "(cán bộ một cửa, chuyên viên, lãnh đạo); bản PDF tải tại `pdf_url`, kiểm tra thật/giả tại "
        "`verification_url`.",
    )
    def post(self, request: Request) -> Response:
        serializer = ExtractRequest(data=request.data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        v = serializer.validated_data
        user = cast(User, request.user)  # StaffOrSystem let only signed-in accounts through
        try:
            unit = _unit_for(user, v.get("unit", ""), services.EXTRACT_ISSUERS)
        except CivilError as exc:
            return _unit_not_found() if exc.code == "not_found" else _refusal(exc)
        try:
            if not user.can_act_in(unit, *services.EXTRACT_ISSUERS):
                raise CivilError("not_allowed")
            dossier = None
            if v.get("dossier"):
                dossier = dossier_for_staff(v["dossier"], user)
                if dossier is None:
                    raise CivilError("dossier_unavailable", code=v["dossier"])
            with transaction.atomic():  # the extract and the dossier's result paper, or neither
                record = selectors.record_for_extract(
                    user, v["kind"], v["record"], purpose=v.get("purpose", "")
                )
                copy = services.issue_extract(
                    v["kind"],
                    record.pk,
                    actor=user,
                    unit=unit,
                    collector_name=v["collector_name"],
                    collector_personal_id=v["collector_personal_id"],
                    purpose=v.get("purpose", ""),
                    fee=Decimal(0) if dossier is not None else None,
                )
                if dossier is not None:
                    with copy.pdf.open("rb") as fh:
                        services.attach_to_dossier(
                            dossier,
                            actor=user,
                            content=fh.read(),
                            name=_("Trích lục %s") % RecordKind(record.kind).label.lower(),
                        )
        except CivilError as exc:
            return _refusal(exc)
        except DossierError as exc:
            return error_response(exc.code, exc.message, exc.status, message=exc.message)
        return Response(
            {
                "id": str(copy.public_id),
                "record_code": copy.record_code,
                "copy_number": copy.copy_number,
                "issuing_unit": unit.code,
                "issued_at": copy.issued_at.isoformat(),
                "fee": int(copy.fee),
                "verification_code": copy.verification_code,
                "verification_url": services.pdf.verification_url(copy.verification_code),
                "pdf_url": reverse("api-civil-extract-pdf", args=[copy.public_id]),
                "dossier_result": dossier is not None,
            },
            status=201,
        )


class ExtractPdf(ApiView):
    permission_classes = [StaffOrSystem]

    @extend_schema(
        operation_id="civil_extract_pdf",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(
                ApiErrorSerializer, description="Không có bản sao này trong phạm vi của bạn"
            ),
            **AUTH_ERRORS,
        },
        description="Tệp PDF của bản sao trích lục (đơn vị đã cấp, trong phạm vi của người gọi).",
    )
    def get(self, request: Request, public_id: str) -> HttpResponseBase:
        try:
            key = uuid.UUID(public_id)
        except ValueError:
            key = None
        copy = selectors.extracts_visible_to(request.user).filter(public_id=key).first() if key else None
        if copy is None or not copy.pdf:
            message = _("Không tìm thấy bản sao trích lục.")
            return error_response("not_found", message, 404, message=message)
        return FileResponse(
            copy.pdf.open("rb"), content_type="application/pdf", filename=f"{copy.verification_code}.pdf"
        )


class MaritalRequest(serializers.Serializer):
    personal_id = PersonalIdField(help_text="Số định danh cá nhân của người yêu cầu")
    purpose = TextField(NOT_BLANK, max_length=300, help_text="Mục đích sử dụng giấy xác nhận")
    unit = TextField(UNIT_CODE, required=False, help_text="Mã đơn vị cấp; mặc định đơn vị của bạn")
    dossier = TextField(DOSSIER_CODE, required=False, help_text="Mã hồ sơ (nếu có)")


MaritalOut = inline_serializer(
    "CivilMaritalStatus",
    {
        "id": serializers.UUIDField(),
        "outcome": serializers.ChoiceField(choices=MaritalOutcome.choices),
        "refusal_reason": serializers.CharField(),
        "full_name": serializers.CharField(),
        "marital_status": serializers.CharField(),
        "valid_until": serializers.DateField(allow_null=True),
        "issuing_unit": serializers.CharField(),
        "verification_code": serializers.CharField(),
        "verification_url": serializers.CharField(allow_null=True),
    },
)


class IssueMaritalStatus(ApiView):
    permission_classes = [StaffOrSystem]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="civil_marital_status",
        request=MaritalRequest,
        responses={
            201: MaritalOut,
            400: OpenApiResponse(ApiErrorSerializer, description="Dữ liệu không hợp lệ"),
            404: OpenApiResponse(ApiErrorSerializer, description="Không có đơn vị với mã đã gửi"),
            409: OpenApiResponse(
                ApiErrorSerializer,
                description="Số định danh sai cấu trúc, chưa kiểm tra được Cơ sở dữ liệu quốc gia về dân cư: "
                "`code` cho biết lý do",
            ),
            **AUTH_ERRORS,
        },
        description="Xác nhận tình trạng hôn nhân (1.004873): kiểm tra kết hôn trong toàn tỉnh và Cơ sở dữ "
        "liệu quốc gia về dân cư, cấp giấy (`outcome` = issued, có hạn) hoặc ghi nhận từ chối với lý do.",
    )
    def post(self, request: Request) -> Response:
        serializer = MaritalRequest(data=request.data)
        if not serializer.is_valid():
            return invalid_response(serializer.errors)
        v = serializer.validated_data
        try:
            unit = _unit_for(request.user, v.get("unit", ""), services.MARITAL_ISSUERS)
        except CivilError as exc:
            return _unit_not_found() if exc.code == "not_found" else _refusal(exc)
        try:
            cert = services.issue_marital_status(
                v["personal_id"],
                actor=request.user,
                unit=unit,
                purpose=v["purpose"],
                dossier_code=v.get("dossier", ""),
            )
        except CivilError as exc:
            return _refusal(exc)
        issued = cert.outcome == MaritalOutcome.ISSUED
        return Response(
            {
                "id": str(cert.public_id),
                "outcome": cert.outcome,
                "refusal_reason": cert.refusal_reason,
                "full_name": cert.full_name,
                "marital_status": cert.marital_status,
                "valid_until": cert.valid_until.isoformat() if cert.valid_until else None,
                "issuing_unit": unit.code,
                "verification_code": cert.verification_code,
                "verification_url": services.pdf.verification_url(cert.verification_code) if issued else None,
            },
            status=201,
        )
