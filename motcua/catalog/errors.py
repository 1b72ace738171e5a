"""Catalog error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class CatalogErrorCode(models.TextChoices):
    PROCEDURE_NOT_FOUND = "procedure_not_found", _("Không tìm thấy thủ tục hành chính có mã này.")
    PROCEDURE_ABOLISHED = "procedure_abolished", _("Thủ tục này đã bị bãi bỏ, không tiếp nhận hồ sơ mới.")
    PROCEDURE_REPLACED = (
        "procedure_replaced",
        _("Thủ tục này đã được thay thế bởi thủ tục {successor}; vui lòng nộp hồ sơ theo thủ tục mới."),
    )
    PROCEDURE_ABOLISHED_SUCCESSOR = (
        "procedure_abolished_successor",
        _("Thủ tục này đã bị bãi bỏ; thủ tục áp dụng thay thế là {successor}."),
    )
    BAD_CODE = "bad_code", _("Mã thủ tục phải có dạng N.NNNNNN, ví dụ 1.001193.")
    SUCCESSOR_REQUIRED = "successor_required", _("Quyết định thay thế thủ tục phải chỉ rõ thủ tục thay thế.")
    SUCCESSOR_SELF = "successor_self", _("Thủ tục không thể thay thế chính nó.")
    DECISION_APPLIED = "decision_applied", _("Quyết định này đã được áp dụng.")
    HOURS_EXCEED = (
        "hours_exceed",
        _("Tổng số giờ các bước ({hours} giờ) vượt quá thời hạn giải quyết ({limit} giờ làm việc)."),
    )
    UNKNOWN_ROLE = "unknown_role", _("Bước {order}: vai trò “{role}” không tồn tại.")
    NO_STEPS = "no_steps", _("Quy trình nội bộ phải có ít nhất một bước.")
    STEP_HOURS = "step_hours", _("Bước {order}: số giờ phải lớn hơn 0.")
    IMPORT_FILE = "import_file", _("Không đọc được tệp dữ liệu: {detail}")
    EXCEL_FILE = "excel_file", _("Tệp Excel không hợp lệ: {detail}")
    EXCEL_ROW = "excel_row", _("Trang {sheet}, dòng {row}: {detail}")
    FORBIDDEN = "forbidden", _("Bạn không có quyền thực hiện thao tác này trên danh mục thủ tục.")
    BAD_DATE = (
        "bad_date",
        _(
            "Thời điểm tiếp nhận không hợp lệ; dùng định dạng ISO 8601 có múi giờ, ví dụ 2026-02-13T16:00:00+07:00."
        ),
    )
    MISSING_DATE = "missing_date", _("Thiếu thời điểm tiếp nhận (received_at).")
    MISSING_PROCEDURE = "missing_procedure", _("Thiếu mã thủ tục (procedure).")
    UNIT_NOT_FOUND = "unit_not_found", _("Không tìm thấy đơn vị có mã này.")
    NO_LEGAL_TIME = "no_legal_time", _("Thủ tục này chưa có thời hạn giải quyết để tính ngày hẹn trả.")
    BAD_LIMIT = "bad_limit", _("Tham số limit phải là số nguyên từ 1 đến 100.")
    BAD_FILTER = "bad_filter", _("Giá trị lọc “{name}” không hợp lệ.")
    BAD_UNIT = "bad_unit", _("Mã đơn vị không hợp lệ (chữ, số, dấu chấm hoặc gạch ngang).")
    BAD_CHANNEL = "bad_channel", _("Kênh nộp không hợp lệ; dùng counter hoặc online.")
    FORM_REQUIRED = "form_required", _("“{label}” là bắt buộc.")
    FORM_NUMBER = "form_number", _("“{label}” phải là số.")
    FORM_DATE = "form_date", _("“{label}” phải là ngày hợp lệ, theo dạng ngày/tháng/năm (ví dụ 07/03/2026).")
    FORM_DATE_FUTURE = "form_date_future", _("“{label}” không được là ngày sau hôm nay.")
    FORM_CHOICE = "form_choice", _("“{label}” phải là một trong các lựa chọn: {choices}.")
    FORM_PERSONAL_ID = (
        "form_personal_id",
        _(
            "“{label}” không phải số định danh cá nhân hợp lệ: cần đúng 12 chữ số, ba chữ số đầu là mã tỉnh "
            "nơi đăng ký khai sinh (001-096) và năm sinh không sau năm hiện tại."
        ),
    )
    FORM_PERSONAL_ID_DETAIL = "form_personal_id_detail", _("“{label}”: {detail}")
    FORM_TOO_LONG = "form_too_long", _("“{label}” dài quá {max} ký tự.")


class CatalogError(MotcuaError):
    """A catalog rule was broken; `.code` is stable, `.message` is Vietnamese for people."""

    codes = CatalogErrorCode
    statuses = {
        **{code: 400 for code in CatalogErrorCode if code.value.startswith(("bad_", "missing_", "form_"))},
        CatalogErrorCode.PROCEDURE_NOT_FOUND: 404,
        CatalogErrorCode.UNIT_NOT_FOUND: 404,
        CatalogErrorCode.FORBIDDEN: 403,
    }
