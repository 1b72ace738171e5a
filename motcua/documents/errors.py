"""Document error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class DocumentErrorCode(models.TextChoices):
    FORBIDDEN = "forbidden", _("Bạn không có quyền thực hiện thao tác này với văn bản này.")
    NOT_FOUND = "not_found", _("Không tìm thấy văn bản.")
    BAD_STATE = "bad_state", _("Văn bản đang ở trạng thái không cho phép thao tác này.")
    NO_UNIT = "no_unit", _("Tài khoản chưa thuộc đơn vị nào để vào sổ văn bản đến.")
    FILE_REQUIRED = "file_required", _("Vui lòng gửi ít nhất một tệp văn bản (PDF, JPEG hoặc PNG).")
    FILE_TYPE = "file_type", _("Tệp “{name}” không đúng loại cho phép (kiểm tra theo nội dung tệp).")
    FILE_SIZE = "file_size", _("Tệp “{name}” vượt quá dung lượng cho phép ({limit} MB).")
    FILE_EMPTY = "file_empty", _("Tệp “{name}” rỗng.")
    BAD_FILE = "bad_file", _("Không đọc được tệp “{name}” (tệp hỏng hoặc không phải ảnh/PDF hợp lệ).")
    BAD_EDXML = "bad_edxml", _("Gói edXML không hợp lệ: {reason}")
    BAD_FIELD = "bad_field", _("Thông tin không hợp lệ: {reason}")
    TEXT_REQUIRED = "text_required", _("Vui lòng nhập nội dung.")
    BAD_DEADLINE = "bad_deadline", _("Số ngày làm việc để xử lý phải từ 1 đến 90.")
    HANDLER_REQUIRED = "handler_required", _("Vui lòng chọn đơn vị hoặc cán bộ chủ trì.")
    BAD_HANDLER = "bad_handler", _("Cán bộ hoặc đơn vị được giao không thuộc phạm vi của văn bản.")
    NOT_DUPLICATE = "not_duplicate", _("Văn bản không được đánh dấu là bản trùng.")
    BAD_OVERLAY = "bad_overlay", _("Nét bút phê không hợp lệ.")


class DocumentError(MotcuaError):
    codes = DocumentErrorCode
    statuses = {
        DocumentErrorCode.FORBIDDEN: 403,
        DocumentErrorCode.NOT_FOUND: 404,
        DocumentErrorCode.NO_UNIT: 403,
        DocumentErrorCode.FILE_REQUIRED: 400,
        DocumentErrorCode.FILE_TYPE: 415,
        DocumentErrorCode.FILE_SIZE: 413,
        DocumentErrorCode.FILE_EMPTY: 400,
        DocumentErrorCode.BAD_FILE: 400,
        DocumentErrorCode.BAD_EDXML: 400,
        DocumentErrorCode.BAD_FIELD: 400,
        DocumentErrorCode.TEXT_REQUIRED: 400,
        DocumentErrorCode.BAD_DEADLINE: 400,
        DocumentErrorCode.HANDLER_REQUIRED: 400,
        DocumentErrorCode.BAD_HANDLER: 400,
        DocumentErrorCode.BAD_OVERLAY: 400,
    }
