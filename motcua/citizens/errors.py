"""Why a registry look-up did not give data, in Vietnamese (one place to translate)."""

from django.utils.translation import gettext_lazy as _

INVALID_ID = "invalid_id"
NOT_PERMITTED = "not_permitted"
PURPOSE_REQUIRED = "purpose_required"
DOSSIER_NOT_VISIBLE = "dossier_not_visible"
NOT_FOUND = "not_found"
TIMEOUT = "timeout"
UNAVAILABLE = "unavailable"
ERROR = "error"
NO_PERSONAL_ID = "no_personal_id"
NO_CONSENT = "no_consent"
CASE_MISMATCH = "case_mismatch"
INTAKE_LIMIT = "intake_limit"

MESSAGES = {
    INVALID_ID: _("Số định danh cá nhân không hợp lệ"),
    NOT_PERMITTED: _("Bạn không có quyền tra cứu Cơ sở dữ liệu quốc gia về dân cư."),
    PURPOSE_REQUIRED: _(
        "Cần nêu mục đích tra cứu: hồ sơ hoặc bản ghi hộ tịch bạn đang giải quyết (hoặc lượt tiếp nhận hồ sơ "
        "tại quầy)."
    ),
    CASE_MISMATCH: _(
        "Hồ sơ này không liên quan đến công dân có số định danh đã nhập nên không được tra cứu."
    ),
    INTAKE_LIMIT: _(
        "Bạn đã tra cứu quá số lượt cho phép trong ngày khi tiếp nhận tại quầy; vui lòng nhập thông tin "
        "thủ công hoặc liên hệ lãnh đạo đơn vị."
    ),
    DOSSIER_NOT_VISIBLE: _("Bạn không giải quyết hồ sơ này nên không được tra cứu dữ liệu của công dân."),
    NOT_FOUND: _("Không tìm thấy công dân có số định danh này trong Cơ sở dữ liệu quốc gia về dân cư."),
    TIMEOUT: _(
        "Cơ sở dữ liệu quốc gia về dân cư phản hồi quá chậm, chưa thể tự động điền. "
        "Vui lòng nhập thông tin thủ công; hồ sơ không bị ảnh hưởng."
    ),
    UNAVAILABLE: _(
        "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư, chưa thể tự động điền. "
        "Vui lòng nhập thông tin thủ công; hồ sơ không bị ảnh hưởng."
    ),
    ERROR: _("Cơ sở dữ liệu quốc gia về dân cư trả lời không hợp lệ. Vui lòng nhập thông tin thủ công."),
    NO_PERSONAL_ID: _("Tài khoản chưa gắn số định danh cá nhân nên không thể tự động điền."),
    NO_CONSENT: _("Cần sự đồng ý của công dân trước khi lấy dữ liệu từ Cơ sở dữ liệu quốc gia về dân cư."),
}


def message(code: str) -> str:
    return str(MESSAGES.get(code, MESSAGES[ERROR]))
