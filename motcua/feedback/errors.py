"""Feedback error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class FeedbackErrorCode(models.TextChoices):
    DESCRIPTION_REQUIRED = "description_required", _("Vui lòng nhập nội dung phản ánh (ít nhất 10 ký tự).")
    DESCRIPTION_TOO_LONG = "description_too_long", _("Nội dung phản ánh quá dài (tối đa 5.000 ký tự).")
    BAD_CHANNEL = "bad_channel", _("Kênh tiếp nhận không hợp lệ.")
    UNKNOWN_CATEGORY = "unknown_category", _("Lĩnh vực phản ánh không tồn tại.")
    BAD_PHONE = "bad_phone", _("Số điện thoại không hợp lệ.")
    BAD_EMAIL = "bad_email", _("Địa chỉ thư điện tử không hợp lệ.")
    BAD_LOCATION = "bad_location", _("Tọa độ không hợp lệ.")
    LOCATION_REQUIRED = "location_required", _("Vui lòng cho biết địa điểm (địa chỉ, phường/xã hoặc tọa độ).")
    BAD_PHOTO = "bad_photo", _("Ảnh phải là tệp JPEG, PNG hoặc WebP.")
    PHOTO_TOO_LARGE = "photo_too_large", _("Ảnh quá lớn.")
    FORBIDDEN = "forbidden", _("Bạn không có quyền thực hiện thao tác này với phản ánh này.")
    BAD_STATE = "bad_state", _("Phản ánh đang ở trạng thái không cho phép thao tác này.")
    REASON_REQUIRED = "reason_required", _("Vui lòng ghi rõ lý do.")
    BAD_CLASSIFICATION = "bad_classification", _("Phân loại không hợp lệ.")
    CONFIRM_STATUS = (
        "confirm_status",
        _(
            "Phân loại này đổi trạng thái phản ánh và nhắn tin cho người phản ánh: "
            "vui lòng đánh dấu ô xác nhận rồi lưu lại."
        ),
    )
    BAD_UNIT = "bad_unit", _("Đơn vị nhận không hợp lệ.")
    SAME_UNIT = "same_unit", _("Phản ánh đã thuộc đơn vị này.")
    ANSWER_REQUIRED = "answer_required", _("Vui lòng nhập nội dung trả lời.")
    BAD_TOKEN = "bad_token", _("Đường dẫn đánh giá không đúng hoặc đã hết hiệu lực.")
    BAD_SCORE = "bad_score", _("Mức đánh giá phải từ 1 đến 5.")
    BAD_MERGE = "bad_merge", _("Không thể gộp phản ánh này (cùng mã, đã gộp, hoặc khác phạm vi).")
    BAD_ATTRIBUTE = "bad_attribute", _("Thuộc tính bổ sung không hợp lệ.")
    BAD_MEDIA_URL = "bad_media_url", _("Đường dẫn ảnh phải bắt đầu bằng http:// hoặc https://.")
    NOTE_REQUIRED = "note_required", _("Vui lòng nhập nội dung ghi chú.")
    EXTERNAL_ID_TAKEN = "external_id_taken", _("Mã ngoài này đã được dùng cho một phản ánh khác.")
    TOO_MANY = "too_many", _("Bạn tra cứu quá nhiều lần trong thời gian ngắn, vui lòng thử lại sau.")


class FeedbackError(MotcuaError):
    """A feedback rule refused the action; `detail` adds a specific explanation after the code's message."""

    codes = FeedbackErrorCode
    # Refusals by the service once the input is well-formed: a code that names nothing is 404, others 409.
    statuses = {
        FeedbackErrorCode.UNKNOWN_CATEGORY: 404,
        FeedbackErrorCode.BAD_UNIT: 404,
        FeedbackErrorCode.FORBIDDEN: 403,
    }

    def __init__(self, code: str, detail: str = "") -> None:
        self.detail = detail
        super().__init__(code)

    @property
    def message(self) -> str:
        text = self.template(self.code)
        return f"{text} {self.detail}".strip() if self.detail else text

    def __str__(self) -> str:
        return f"{self.code}: {self.detail or self.template(self.code)}"
