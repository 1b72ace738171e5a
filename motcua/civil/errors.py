"""Civil status error codes with Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class CivilErrorCode(models.TextChoices):
    NOT_ALLOWED = "not_allowed", _("Bạn không có quyền thực hiện việc này tại đơn vị này.")
    OUTSIDE_PROVINCE = (
        "outside_province",
        _("Đơn vị cấp không thuộc tỉnh, thành phố nơi lưu bản ghi hộ tịch."),
    )
    PURPOSE_REQUIRED = "purpose_required", _("Cần nêu mục đích tra cứu, sử dụng.")
    DUPLICATE = (
        "duplicate",
        _(
            "Đã có bản ghi %(kind)s trùng: %(code)s, đăng ký tại %(unit)s ngày %(date)s (quyển %(book)s, trang %(page)s). "
            "Không đăng ký lại; nếu thật sự là trường hợp khác, lãnh đạo đơn vị phải cho phép và ghi lý do."
        ),
    )
    OVERRIDE_NOT_LEADER = (
        "override_not_leader",
        _("Chỉ lãnh đạo đơn vị mới được cho phép đăng ký khi có bản ghi trùng."),
    )
    OVERRIDE_REASON = "override_reason", _("Cần ghi lý do khi lãnh đạo cho phép đăng ký dù có bản ghi trùng.")
    ALREADY_MARRIED = (
        "already_married",
        _(
            "%(name)s đang có vợ/chồng: đã đăng ký kết hôn tại %(unit)s ngày %(date)s (mã %(code)s), "
            "chưa có ghi chú ly hôn hay khai tử."
        ),
    )
    REGISTRY_MARRIED = (
        "registry_married",
        _("Theo Cơ sở dữ liệu quốc gia về dân cư, %(name)s đang có vợ/chồng (%(spouse)s)."),
    )
    REGISTRY_UNAVAILABLE = (
        "registry_unavailable",
        _(
            "Chưa kiểm tra được tình trạng hôn nhân trong Cơ sở dữ liệu quốc gia về dân cư: %(reason)s "
            "Chưa cấp giấy; vui lòng thử lại sau."
        ),
    )
    NOT_FOUND = "not_found", _("Không tìm thấy bản ghi hộ tịch.")
    TARGET_NOT_FOUND = "target_not_found", _("Không tìm thấy bản ghi gốc có mã %(code)s.")
    TARGET_KIND = "target_kind", _("Việc %(change)s phải dẫn chiếu tới bản ghi %(kind)s.")
    FIELD_NOT_CHANGEABLE = (
        "field_not_changeable",
        _("Không được cải chính trường “%(field)s” theo thủ tục này."),
    )
    DECEASED = "deceased", _("%(name)s đã được khai tử ngày %(date)s (mã %(code)s).")
    CROSS_UNIT_LIMIT = (
        "cross_unit_limit",
        _(
            "Bạn đã xem %(limit)s bản ghi hộ tịch của đơn vị khác trong hôm nay (mức tối đa); vui lòng liên hệ "
            "lãnh đạo đơn vị nếu cần xem thêm."
        ),
    )
    INVALID = "invalid", _("%(message)s")
    DOSSIER_UNAVAILABLE = (
        "dossier_unavailable",
        _("Không mở được hồ sơ %(code)s: mã không đúng hoặc bạn không giải quyết hồ sơ này."),
    )
    WRONG_PROCEDURE = (
        "wrong_procedure",
        _("Hồ sơ %(code)s thuộc thủ tục %(procedure)s, không phải thủ tục đăng ký hộ tịch này."),
    )


class CivilError(MotcuaError):
    codes = CivilErrorCode
    statuses = {
        CivilErrorCode.NOT_ALLOWED: 403,
        CivilErrorCode.NOT_FOUND: 404,
        CivilErrorCode.CROSS_UNIT_LIMIT: 429,
    }
    fallback = CivilErrorCode.INVALID
