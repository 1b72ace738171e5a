"""Civil status error codes with Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_allowed": _("Bạn không có quyền thực hiện việc này tại đơn vị này."),
    "outside_province": _("Đơn vị cấp không thuộc tỉnh, thành phố nơi lưu bản ghi hộ tịch."),
    "purpose_required": _("Cần nêu mục đích tra cứu, sử dụng."),
    "duplicate": _(
        "Đã có bản ghi %(kind)s trùng: %(code)s, đăng ký tại %(unit)s ngày %(date)s (quyển %(book)s, trang %(page)s). "
        "Không đăng ký lại; nếu thật sự là trường hợp khác, lãnh đạo đơn vị phải cho phép và ghi lý do."
    ),
    "override_not_leader": _("Chỉ lãnh đạo đơn vị mới được cho phép đăng ký khi có bản ghi trùng."),
    "override_reason": _("Cần ghi lý do khi lãnh đạo cho phép đăng ký dù có bản ghi trùng."),
    "already_married": _(
        "%(name)s đang có vợ/chồng: đã đăng ký kết hôn tại %(unit)s ngày %(date)s (mã %(code)s), "
        "chưa có ghi chú ly hôn hay khai tử."
    ),
    "registry_married": _("Theo Cơ sở dữ liệu quốc gia về dân cư, %(name)s đang có vợ/chồng (%(spouse)s)."),
    "registry_unavailable": _(
        "Chưa kiểm tra được tình trạng hôn nhân trong Cơ sở dữ liệu quốc gia về dân cư: %(reason)s "
        "Chưa cấp giấy; vui lòng thử lại sau."
    ),
    "not_found": _("Không tìm thấy bản ghi hộ tịch."),
    "cross_unit_limit": _(
        "Bạn đã xem %(limit)s bản ghi hộ tịch của đơn vị khác trong hôm nay (mức tối đa); vui lòng liên hệ "
        "lãnh đạo đơn vị nếu cần xem thêm."
    ),
    "target_not_found": _("Không tìm thấy bản ghi gốc có mã %(code)s."),
    "target_kind": _("Việc %(change)s phải dẫn chiếu tới bản ghi %(kind)s."),
    "field_not_changeable": _("Không được cải chính trường “%(field)s” theo thủ tục này."),
    "deceased": _("%(name)s đã được khai tử ngày %(date)s (mã %(code)s)."),
    "invalid": _("%(message)s"),
    "dossier_unavailable": _(
        "Không mở được hồ sơ %(code)s: mã không đúng hoặc bạn không giải quyết hồ sơ này."
    ),
    "wrong_procedure": _(
        "Hồ sơ %(code)s thuộc thủ tục %(procedure)s, không phải thủ tục đăng ký hộ tịch này."
    ),
}


class CivilError(Exception):
    def __init__(self, error_code: str, /, **params):
        self.code = error_code
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        template = MESSAGES.get(self.code, MESSAGES["invalid"])
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return str(template)
