"""Feedback error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "description_required": _("Vui lòng nhập nội dung phản ánh (ít nhất 10 ký tự)."),
    "description_too_long": _("Nội dung phản ánh quá dài (tối đa 5.000 ký tự)."),
    "bad_channel": _("Kênh tiếp nhận không hợp lệ."),
    "unknown_category": _("Lĩnh vực phản ánh không tồn tại."),
    "bad_phone": _("Số điện thoại không hợp lệ."),
    "bad_email": _("Địa chỉ thư điện tử không hợp lệ."),
    "bad_location": _("Tọa độ không hợp lệ."),
    "location_required": _("Vui lòng cho biết địa điểm (địa chỉ, phường/xã hoặc tọa độ)."),
    "bad_photo": _("Ảnh phải là tệp JPEG, PNG hoặc WebP."),
    "photo_too_large": _("Ảnh quá lớn."),
    "forbidden": _("Bạn không có quyền thực hiện thao tác này với phản ánh này."),
    "bad_state": _("Phản ánh đang ở trạng thái không cho phép thao tác này."),
    "reason_required": _("Vui lòng ghi rõ lý do."),
    "bad_classification": _("Phân loại không hợp lệ."),
    "bad_unit": _("Đơn vị nhận không hợp lệ."),
    "same_unit": _("Phản ánh đã thuộc đơn vị này."),
    "answer_required": _("Vui lòng nhập nội dung trả lời."),
    "bad_token": _("Đường dẫn đánh giá không đúng hoặc đã hết hiệu lực."),
    "bad_score": _("Mức đánh giá phải từ 1 đến 5."),
    "bad_merge": _("Không thể gộp phản ánh này (cùng mã, đã gộp, hoặc khác phạm vi)."),
    "bad_attribute": _("Thuộc tính bổ sung không hợp lệ."),
    "bad_media_url": _("Đường dẫn ảnh phải bắt đầu bằng http:// hoặc https://."),
    "note_required": _("Vui lòng nhập nội dung ghi chú."),
    "too_many": _("Bạn tra cứu quá nhiều lần trong thời gian ngắn, vui lòng thử lại sau."),
}


class FeedbackError(Exception):
    def __init__(self, code: str, detail: str = ""):
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail or MESSAGES.get(code, code)}")

    @property
    def message(self) -> str:
        text = str(MESSAGES.get(self.code, self.code))
        return f"{text} {self.detail}".strip() if self.detail else text
