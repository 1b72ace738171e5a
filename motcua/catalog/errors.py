"""Catalog error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "procedure_not_found": _("Không tìm thấy thủ tục hành chính có mã này."),
    "procedure_abolished": _("Thủ tục này đã bị bãi bỏ, không tiếp nhận hồ sơ mới."),
    "procedure_replaced": _(
        "Thủ tục này đã được thay thế bởi thủ tục {successor}; vui lòng nộp hồ sơ theo thủ tục mới."
    ),
    "procedure_abolished_successor": _("Thủ tục này đã bị bãi bỏ; thủ tục áp dụng thay thế là {successor}."),
    "bad_code": _("Mã thủ tục phải có dạng N.NNNNNN, ví dụ 1.001193."),
    "successor_required": _("Quyết định thay thế thủ tục phải chỉ rõ thủ tục thay thế."),
    "successor_self": _("Thủ tục không thể thay thế chính nó."),
    "decision_applied": _("Quyết định này đã được áp dụng."),
    "hours_exceed": _(
        "Tổng số giờ các bước ({hours} giờ) vượt quá thời hạn giải quyết ({limit} giờ làm việc)."
    ),
    "unknown_role": _("Bước {order}: vai trò “{role}” không tồn tại."),
    "no_steps": _("Quy trình nội bộ phải có ít nhất một bước."),
    "step_hours": _("Bước {order}: số giờ phải lớn hơn 0."),
    "import_file": _("Không đọc được tệp dữ liệu: {detail}"),
    "excel_file": _("Tệp Excel không hợp lệ: {detail}"),
    "excel_row": _("Trang {sheet}, dòng {row}: {detail}"),
    "forbidden": _("Bạn không có quyền thực hiện thao tác này trên danh mục thủ tục."),
    "bad_date": _(
        "Thời điểm tiếp nhận không hợp lệ; dùng định dạng ISO 8601 có múi giờ, ví dụ 2026-02-13T16:00:00+07:00."
    ),
    "missing_date": _("Thiếu thời điểm tiếp nhận (received_at)."),
    "missing_procedure": _("Thiếu mã thủ tục (procedure)."),
    "unit_not_found": _("Không tìm thấy đơn vị có mã này."),
    "no_legal_time": _("Thủ tục này chưa có thời hạn giải quyết để tính ngày hẹn trả."),
    "bad_limit": _("Tham số limit phải là số nguyên từ 1 đến 100."),
    "bad_filter": _("Giá trị lọc “{name}” không hợp lệ."),
    "bad_channel": _("Kênh nộp không hợp lệ; dùng counter hoặc online."),
    "form_required": _("“{label}” là bắt buộc."),
    "form_number": _("“{label}” phải là số."),
    "form_date": _("“{label}” phải là ngày hợp lệ (YYYY-MM-DD)."),
    "form_choice": _("“{label}” phải là một trong các lựa chọn: {choices}."),
    "form_personal_id": _("“{label}” phải gồm đúng 12 chữ số."),
    "form_too_long": _("“{label}” dài quá {max} ký tự."),
}


class CatalogError(Exception):
    """A catalog rule was broken; `.code` is stable, `.message` is Vietnamese for people."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        template = MESSAGES.get(code, code)
        self.message = str(template).format(**params) if params else str(template)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
