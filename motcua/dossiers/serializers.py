"""Request bodies of the dossier API, exactly as the OpenAPI contract documents them.

Strict JSON types (a number is not a string), patterns the server checks with the same regex, and one
request schema per transition `action` (oneOf), so every schema-valid request is either carried out or
refused for a reason the schema cannot know (404 unknown reference, 403 permission, 409 state/rules).
"""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from motcua.core.openapi import (
    NO_NUL,
    NOT_BLANK,
    PersonalIdField,
    StrictChoiceField,
    StrictFloatField,
    StrictIntegerField,
    TextField,
)
from motcua.core.validation import personal_id_error
from motcua.dossiers.models import Channel
from motcua.dossiers.workflow import Action

PROCEDURE_CODE = r"^[0-9]\.[0-9]{6}$"
UNIT_CODE = r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$"
OPTIONAL_UNIT_CODE = r"^([0-9A-Za-z][0-9A-Za-z.\-]{0,31})?$"
# Visible ASCII, no space at either end, 1-100 characters.
IDEMPOTENCY_KEY = r"^[!-~]([ -~]{0,98}[!-~])?$"
USERNAME = r"^[\w.@+\-]{1,150}$"
PHONE = r"^((\+84|0)[0-9]{9,10})?$"


class EmailOrBlankField(serializers.EmailField):
    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ApplicantSerializer(serializers.Serializer):
    name = TextField(NOT_BLANK, max_length=200)
    personal_id = PersonalIdField(
        optional=True,
        required=False,
        allow_blank=True,
        help_text="12 chữ số: mã tỉnh nơi đăng ký khai sinh, thế kỷ và giới tính, năm sinh, số ngẫu nhiên",
    )
    phone = TextField(PHONE, required=False, allow_blank=True, help_text="0xxxxxxxxx hoặc +84xxxxxxxxx")
    email = EmailOrBlankField(required=False, allow_blank=True, max_length=254, trim_whitespace=False)
    address = TextField(NO_NUL, max_length=300, required=False, allow_blank=True)

    def validate_personal_id(self, value: str) -> str:
        """The one ID rule (core.validation): a number a registry would refuse is refused here too."""
        problem = personal_id_error(value) if value else ""
        if problem:
            raise serializers.ValidationError(f"{gettext('Số định danh cá nhân không hợp lệ.')} {problem}")
        return value


class CreateSerializer(serializers.Serializer):
    procedure = TextField(PROCEDURE_CODE, help_text="Mã thủ tục N.NNNNNN, ví dụ 1.001193 (không có: 404)")
    receiving_unit = TextField(UNIT_CODE, help_text="Mã đơn vị tiếp nhận (không có: 404)")
    competent_unit = TextField(
        OPTIONAL_UNIT_CODE, required=False, allow_blank=True, help_text="Mã đơn vị giải quyết (không có: 404)"
    )
    channel = StrictChoiceField(choices=[Channel.POST, Channel.COUNTER], default=Channel.POST)
    applicant = ApplicantSerializer()
    form_data = serializers.DictField(required=False, default=dict)


# --- transitions: one body per action --------------------------------------------------------------
def _action(action: Action) -> StrictChoiceField:
    return StrictChoiceField(choices=[action.value])


def _version() -> StrictIntegerField:
    return StrictIntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        help_text="Phiên bản hồ sơ đã xem; sai thì trả 409 (stale)",
    )


def _task() -> StrictIntegerField:
    return StrictIntegerField(
        required=False, min_value=1, max_value=2**62, help_text="Mã bước; mặc định bước đang xử lý"
    )


def _reason(required: bool) -> TextField:
    if required:
        return TextField(NOT_BLANK, max_length=2000, help_text="Lý do (bắt buộc)")
    return TextField(NO_NUL, max_length=2000, required=False, allow_blank=True)


def _note() -> TextField:
    return TextField(NO_NUL, max_length=2000, required=False, allow_blank=True)


def _items() -> serializers.ListField:
    return serializers.ListField(
        child=TextField(NOT_BLANK, max_length=500),
        min_length=1,
        max_length=50,
        help_text="Nội dung cần bổ sung",
    )


def transition(action: Action, component: str, **fields: serializers.Field) -> type[serializers.Serializer]:
    attrs = {"action": _action(action), "version": _version(), **fields}
    return type(f"{component}Serializer", (serializers.Serializer,), attrs)


# The request body of each action the API offers, keyed by the workflow's own `Action` names (the
# table itself lives only in workflow.py).
BODIES: dict[str, type[serializers.Serializer]] = {
    Action.RECEIVE: transition(Action.RECEIVE, "TransitionReceive"),
    Action.INTAKE_SUPPLEMENT: transition(
        Action.INTAKE_SUPPLEMENT, "TransitionIntakeSupplement", items=_items(), reason=_reason(False)
    ),
    Action.REFUSE_RECEIPT: transition(Action.REFUSE_RECEIPT, "TransitionRefuseReceipt", reason=_reason(True)),
    Action.CLAIM: transition(Action.CLAIM, "TransitionClaim", task=_task()),
    Action.ASSIGN: transition(
        Action.ASSIGN,
        "TransitionAssign",
        task=_task(),
        assignee=TextField(USERNAME, help_text="Tên đăng nhập cán bộ (không có: 404)"),
    ),
    Action.RETURN_STEP: transition(
        Action.RETURN_STEP, "TransitionReturnStep", task=_task(), reason=_reason(True)
    ),
    Action.REQUEST_SUPPLEMENT: transition(
        Action.REQUEST_SUPPLEMENT, "TransitionRequestSupplement", items=_items(), reason=_reason(False)
    ),
    Action.SUPPLEMENT: transition(Action.SUPPLEMENT, "TransitionSupplement", note=_note()),
    Action.REQUEST_FEE: transition(Action.REQUEST_FEE, "TransitionRequestFee", note=_note()),
    Action.FEE_PAID: transition(Action.FEE_PAID, "TransitionFeePaid", note=_note()),
    Action.TRANSFER_OUT: transition(
        Action.TRANSFER_OUT,
        "TransitionTransferOut",
        to_unit=TextField(UNIT_CODE, help_text="Mã cơ quan phối hợp (không có: 404)"),
        hours=StrictFloatField(
            min_value=0.01, max_value=10000, help_text="Số giờ làm việc dành cho cơ quan phối hợp"
        ),
        note=_note(),
    ),
    Action.TRANSFER_BACK: transition(Action.TRANSFER_BACK, "TransitionTransferBack", note=_note()),
    Action.APOLOGISE: transition(
        Action.APOLOGISE,
        "TransitionApologise",
        new_due_date=serializers.DateField(help_text="Ngày hẹn mới (sau ngày hẹn hiện tại)"),
        reason=_reason(True),
    ),
    Action.RETURN_RESULT: transition(
        Action.RETURN_RESULT,
        "TransitionReturnResult",
        channel=StrictChoiceField(choices=Channel.choices, required=False, default=Channel.COUNTER),
    ),
    Action.STOP: transition(Action.STOP, "TransitionStop", reason=_reason(True)),
}
# `complete` approves (note optional) or refuses (note = the reason, required).
COMPLETE_APPROVE = transition(
    Action.COMPLETE_STEP,
    "TransitionCompleteApprove",
    task=_task(),
    decision=StrictChoiceField(choices=["approve"], required=False, default="approve"),
    note=_note(),
)
COMPLETE_REFUSE = transition(
    Action.COMPLETE_STEP,
    "TransitionCompleteRefuse",
    task=_task(),
    decision=StrictChoiceField(choices=["refuse"]),
    note=TextField(NOT_BLANK, max_length=2000, help_text="Lý do từ chối (bắt buộc)"),
)
ACTIONS = [a.value for a in Action if a in BODIES or a == Action.COMPLETE_STEP]

TransitionRequest = PolymorphicProxySerializer(
    component_name="Transition",
    serializers=[*BODIES.values(), COMPLETE_APPROVE, COMPLETE_REFUSE],
    resource_type_field_name=None,
)


def transition_serializer(data: object) -> serializers.Serializer | None:
    """The body's serializer for its action; None when the action is missing or unknown."""
    if not isinstance(data, dict):
        return None
    action = data.get("action")
    if action == Action.COMPLETE_STEP:
        cls = COMPLETE_REFUSE if data.get("decision") == "refuse" else COMPLETE_APPROVE
        return cls(data=data)
    if isinstance(action, str) and action in BODIES:
        return BODIES[action](data=data)
    return None


@extend_schema_field({"type": "string", "format": "binary", "minLength": 1})
class NonEmptyFileField(serializers.FileField):
    """A file part with content (an empty file is refused with 400)."""


class PaperUploadSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(
        required=False, min_value=1, max_value=2**62, help_text="Thành phần hồ sơ (không có: 404)"
    )
    file = NonEmptyFileField(help_text="PDF, JPEG hoặc PNG (kiểm tra theo nội dung)")


class ResultUploadSerializer(serializers.Serializer):
    file = NonEmptyFileField(help_text="Bản điện tử của kết quả: PDF, JPEG hoặc PNG (kiểm tra theo nội dung)")
    name = TextField(
        NO_NUL, max_length=300, required=False, allow_blank=True, help_text="Tên giấy tờ kết quả"
    )
    version = serializers.IntegerField(
        required=False, min_value=0, max_value=2_000_000_000, help_text="Phiên bản hồ sơ đã xem; sai thì 409"
    )


class SupplementUploadSerializer(serializers.Serializer):
    file = serializers.ListField(
        child=NonEmptyFileField(),
        min_length=1,
        max_length=20,
        help_text="Bản quét giấy tờ bổ sung (1-20 tệp PDF, JPEG hoặc PNG)",
    )
    requirement = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**62,
        help_text="Thành phần hồ sơ được bổ sung (không có: 404)",
    )
    note = TextField(NO_NUL, max_length=2000, required=False, allow_blank=True)
    version = serializers.IntegerField(
        required=False, min_value=0, max_value=2_000_000_000, help_text="Phiên bản hồ sơ đã xem; sai thì 409"
    )
