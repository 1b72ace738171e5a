"""Why a registry look-up did not give data, in Vietnamese (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class CitizensErrorCode(models.TextChoices):
    INVALID_ID = "invalid_id", _("Số định danh cá nhân không hợp lệ.")
    NOT_PERMITTED = "not_permitted", _("Bạn không có quyền tra cứu Cơ sở dữ liệu quốc gia về dân cư.")
    PURPOSE_REQUIRED = (
        "purpose_required",
        _(
            "Cần nêu mục đích tra cứu: hồ sơ hoặc bản ghi hộ tịch bạn đang giải quyết (hoặc lượt tiếp nhận hồ sơ "
            "tại quầy)."
        ),
    )
    CASE_MISMATCH = (
        "case_mismatch",
        _("Hồ sơ này không liên quan đến công dân có số định danh đã nhập nên không được tra cứu."),
    )
    INTAKE_LIMIT = (
        "intake_limit",
        _(
            "Bạn đã tra cứu quá số lượt cho phép trong ngày khi tiếp nhận tại quầy mà không lập hồ sơ; vui "
            "lòng nhập thông tin thủ công hoặc liên hệ lãnh đạo đơn vị."
        ),
    )
    INTAKE_SESSION_INVALID = (
        "intake_session_invalid",
        _("Lượt tiếp nhận này không tồn tại hoặc không phải do bạn mở nên không được dùng để tra cứu."),
    )
    INTAKE_SESSION_CLOSED = (
        "intake_session_closed",
        _("Lượt tiếp nhận này đã kết thúc; vui lòng bắt đầu lượt tiếp nhận mới để tra cứu."),
    )
    INTAKE_SESSION_EXPIRED = (
        "intake_session_expired",
        _("Lượt tiếp nhận này đã hết hạn; vui lòng bắt đầu lượt tiếp nhận mới để tra cứu."),
    )
    INTAKE_NOT_ALLOWED = (
        "intake_not_allowed",
        _("Bạn không có vai trò tiếp nhận hồ sơ tại đơn vị này nên không mở được lượt tiếp nhận."),
    )
    DOSSIER_NOT_VISIBLE = (
        "dossier_not_visible",
        _("Bạn không giải quyết hồ sơ này nên không được tra cứu dữ liệu của công dân."),
    )
    NOT_FOUND = (
        "not_found",
        _("Không tìm thấy công dân có số định danh này trong Cơ sở dữ liệu quốc gia về dân cư."),
    )
    TIMEOUT = (
        "timeout",
        _(
            "Cơ sở dữ liệu quốc gia về dân cư phản hồi quá chậm, chưa thể tự động điền. "
            "Vui lòng nhập thông tin thủ công; hồ sơ không bị ảnh hưởng."
        ),
    )
    UNAVAILABLE = (
        "unavailable",
        _(
            "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư, chưa thể tự động điền. "
            "Vui lòng nhập thông tin thủ công; hồ sơ không bị ảnh hưởng."
        ),
    )
    ERROR = (
        "error",
        _("Cơ sở dữ liệu quốc gia về dân cư trả lời không hợp lệ. Vui lòng nhập thông tin thủ công."),
    )
    NO_PERSONAL_ID = (
        "no_personal_id",
        _("Tài khoản chưa gắn số định danh cá nhân nên không thể tự động điền."),
    )
    NO_CONSENT = (
        "no_consent",
        _("Cần sự đồng ý của công dân trước khi lấy dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư."),
    )


class CitizensError(MotcuaError):
    codes = CitizensErrorCode
    statuses = {
        CitizensErrorCode.INVALID_ID: 400,
        CitizensErrorCode.NOT_PERMITTED: 403,
        CitizensErrorCode.DOSSIER_NOT_VISIBLE: 403,
        CitizensErrorCode.CASE_MISMATCH: 403,
        CitizensErrorCode.INTAKE_LIMIT: 429,
        CitizensErrorCode.INTAKE_SESSION_INVALID: 403,
        CitizensErrorCode.INTAKE_SESSION_CLOSED: 409,
        CitizensErrorCode.INTAKE_SESSION_EXPIRED: 409,
        CitizensErrorCode.INTAKE_NOT_ALLOWED: 403,
        CitizensErrorCode.NOT_FOUND: 404,
        CitizensErrorCode.TIMEOUT: 504,
        CitizensErrorCode.UNAVAILABLE: 503,
        CitizensErrorCode.ERROR: 502,
    }
    fallback = CitizensErrorCode.ERROR


# The look-up result carries plain codes; these names are kept for its callers.
INVALID_ID = CitizensErrorCode.INVALID_ID.value
NOT_PERMITTED = CitizensErrorCode.NOT_PERMITTED.value
PURPOSE_REQUIRED = CitizensErrorCode.PURPOSE_REQUIRED.value
DOSSIER_NOT_VISIBLE = CitizensErrorCode.DOSSIER_NOT_VISIBLE.value
NOT_FOUND = CitizensErrorCode.NOT_FOUND.value
TIMEOUT = CitizensErrorCode.TIMEOUT.value
UNAVAILABLE = CitizensErrorCode.UNAVAILABLE.value
ERROR = CitizensErrorCode.ERROR.value
NO_PERSONAL_ID = CitizensErrorCode.NO_PERSONAL_ID.value
NO_CONSENT = CitizensErrorCode.NO_CONSENT.value
CASE_MISMATCH = CitizensErrorCode.CASE_MISMATCH.value
INTAKE_LIMIT = CitizensErrorCode.INTAKE_LIMIT.value
INTAKE_SESSION_INVALID = CitizensErrorCode.INTAKE_SESSION_INVALID.value
INTAKE_SESSION_CLOSED = CitizensErrorCode.INTAKE_SESSION_CLOSED.value
INTAKE_SESSION_EXPIRED = CitizensErrorCode.INTAKE_SESSION_EXPIRED.value
INTAKE_NOT_ALLOWED = CitizensErrorCode.INTAKE_NOT_ALLOWED.value


def message(code: str) -> str:
    """The Vietnamese message for a look-up failure code (an unknown code reads as a registry error)."""
    return CitizensError.template(code)
