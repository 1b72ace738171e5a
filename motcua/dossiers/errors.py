"""Dossier error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.errors import CatalogErrorCode
from motcua.core.errors import MotcuaError
from motcua.core.uploads import UploadErrorCode


class DossierErrorCode(models.TextChoices):
    NOT_ALLOWED = "not_allowed", _("Bạn không có quyền thực hiện thao tác này với hồ sơ.")
    BAD_TRANSITION = (
        "bad_transition",
        _("Không thể thực hiện “{action}” khi hồ sơ đang ở trạng thái “{status}”."),
    )
    STALE = (
        "stale",
        _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và kiểm tra trước khi thao tác."),
    )
    TASK_TAKEN = "task_taken", _("Bước này đã được {name} nhận xử lý trước bạn.")
    TASK_NOT_ACTIVE = (
        "task_not_active",
        _("Bước xử lý này không còn chờ thực hiện (có thể người khác vừa xử lý)."),
    )
    TASK_NOT_YOURS = (
        "task_not_yours",
        _("Bước này đang do {name} xử lý; chỉ người đó hoặc lãnh đạo mới được thao tác."),
    )
    NO_PREVIOUS_STEP = "no_previous_step", _("Đây là bước đầu tiên, không có bước trước để trả lại.")
    REASON_REQUIRED = "reason_required", _("Vui lòng ghi rõ lý do.")
    SUPPLEMENT_LATE = (
        "supplement_late",
        _("Đã quá 3 ngày làm việc kể từ khi tiếp nhận: không được yêu cầu bổ sung nữa."),
    )
    SUPPLEMENT_ONCE = (
        "supplement_once",
        _("Hồ sơ đã được yêu cầu bổ sung một lần; chỉ được yêu cầu một lần, đầy đủ."),
    )
    SUPPLEMENT_EMPTY = "supplement_empty", _("Phải liệt kê đầy đủ các nội dung cần bổ sung.")
    APOLOGY_ONCE = "apology_once", _("Hồ sơ đã được xin lỗi và hẹn lại một lần; không được hẹn lại lần nữa.")
    APOLOGY_TOO_LATE = (
        "apology_too_late",
        _("Chỉ được xin lỗi, hẹn lại khi còn ít nhất 01 ngày làm việc trước hạn trả."),
    )
    APOLOGY_DATE = "apology_date", _("Ngày hẹn mới phải sau ngày hẹn hiện tại.")
    NO_RESULT = "no_result", _("Chưa có tệp kết quả: hãy tải lên kết quả giải quyết trước khi trả.")
    FILE_TYPE = "file_type", _("Tệp “{name}” không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp).")
    FILE_SIZE = "file_size", UploadErrorCode.FILE_SIZE.label  # core.uploads.check_upload's refusals
    FILE_EMPTY = "file_empty", UploadErrorCode.FILE_EMPTY.label
    APPLICANT_NAME = "applicant_name", _("Vui lòng nhập họ và tên người nộp hồ sơ.")
    PERSONAL_ID = (
        "personal_id",
        _(
            "Số định danh cá nhân không hợp lệ: cần đúng 12 chữ số, ba chữ số đầu là mã tỉnh nơi đăng ký "
            "khai sinh (001-096) và năm sinh không sau năm hiện tại."
        ),
    )
    DECLARATION = "declaration", _("{detail}")
    PHONE = "phone", _("Số điện thoại không hợp lệ.")
    # The declaration is the catalog's rule (catalog.selectors.clean_declaration): its codes, its messages.
    FORM_REQUIRED = "form_required", CatalogErrorCode.FORM_REQUIRED.label
    FORM_NUMBER = "form_number", CatalogErrorCode.FORM_NUMBER.label
    FORM_DATE = "form_date", CatalogErrorCode.FORM_DATE.label
    FORM_DATE_FUTURE = "form_date_future", CatalogErrorCode.FORM_DATE_FUTURE.label
    FORM_CHOICE = "form_choice", CatalogErrorCode.FORM_CHOICE.label
    FORM_PERSONAL_ID = "form_personal_id", CatalogErrorCode.FORM_PERSONAL_ID.label
    FORM_TOO_LONG = "form_too_long", CatalogErrorCode.FORM_TOO_LONG.label
    MISSING_PAPERS = "missing_papers", _("Còn thiếu giấy tờ bắt buộc: {names}.")
    PROCEDURE = "procedure", _("Thủ tục không nhận hồ sơ: {reason}")
    CHANNEL = "channel", _("Thủ tục này không nhận hồ sơ qua kênh {channel}.")
    NO_PROCESS = "no_process", _("Thủ tục chưa có quy trình nội bộ đang hiệu lực.")
    TRANSFER_UNIT = "transfer_unit", _("Cơ quan phối hợp phải khác đơn vị đang xử lý.")
    TRANSFER_HOURS = "transfer_hours", _("Thời gian phân bổ cho cơ quan phối hợp phải lớn hơn 0 giờ.")
    NOT_CITIZEN_OWNER = "not_citizen_owner", _("Hồ sơ này không thuộc tài khoản của bạn.")
    IDEMPOTENCY_CONFLICT = "idempotency_conflict", _("Khóa chống trùng đã được dùng cho một hồ sơ khác.")
    NOT_FOUND = "not_found", _("Không tìm thấy hồ sơ.")
    LEADER_DECISION = (
        "leader_decision",
        _(
            "Chỉ lãnh đạo đơn vị mới được quyết định kết quả (ký duyệt hoặc từ chối giải quyết) ở bước phê duyệt."
        ),
    )
    UNKNOWN_ACTION = "unknown_action", _("Không có thao tác “{action}” với hồ sơ.")


class DossierError(MotcuaError):
    """A business rule refused the action. `.code` is stable, `.message` is for people."""

    codes = DossierErrorCode
    # Permission 403, unknown dossier 404, a file that is not PDF/JPEG/PNG 415, too large 413; every other
    # rule (state, version, the procedure's form and papers, dates) is a conflict with the current state of
    # the dossier or procedure: 409, with `code` saying which rule.
    statuses = {
        DossierErrorCode.NOT_ALLOWED: 403,
        DossierErrorCode.NOT_CITIZEN_OWNER: 403,
        DossierErrorCode.LEADER_DECISION: 403,
        DossierErrorCode.NOT_FOUND: 404,
        DossierErrorCode.UNKNOWN_ACTION: 404,
        DossierErrorCode.FILE_TYPE: 415,
        DossierErrorCode.FILE_SIZE: 413,
    }
