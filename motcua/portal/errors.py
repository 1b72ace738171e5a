"""Portal error codes with Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class PortalErrorCode(models.TextChoices):
    PHONE_INVALID = (
        "phone_invalid",
        _("Số điện thoại không hợp lệ. Nhập 10 chữ số, bắt đầu bằng 0 (ví dụ 0901234567)."),
    )
    OTP_RATE_LIMITED = "otp_rate_limited", _("Bạn đã yêu cầu quá nhiều mã. Vui lòng thử lại sau ít phút.")
    OTP_INVALID = "otp_invalid", _("Mã xác thực không đúng hoặc đã hết hạn.")
    OTP_TOO_MANY_ATTEMPTS = "otp_too_many_attempts", _("Nhập sai quá nhiều lần. Vui lòng yêu cầu mã mới.")
    LOOKUP_RATE_LIMITED = (
        "lookup_rate_limited",
        _("Bạn tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau một phút."),
    )
    NOT_ONLINE = (
        "not_online",
        _("Thủ tục này chưa được cung cấp trực tuyến. Vui lòng nộp tại Bộ phận Một cửa."),
    )
    NOT_FOUND = "not_found", _("Không tìm thấy hồ sơ với mã số này.")


class PortalError(MotcuaError):
    codes = PortalErrorCode
    statuses = {
        PortalErrorCode.OTP_RATE_LIMITED: 429,
        PortalErrorCode.LOOKUP_RATE_LIMITED: 429,
        PortalErrorCode.NOT_FOUND: 404,
    }

    def __init__(self, code: str, message: str | None = None) -> None:
        self._message = message
        super().__init__(code)

    @property
    def message(self) -> str:
        return self._message or self.template(self.code)
