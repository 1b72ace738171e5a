"""Portal error codes with Vietnamese messages (one place to translate)."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "phone_invalid": _("Số điện thoại không hợp lệ. Nhập 10 chữ số, bắt đầu bằng 0 (ví dụ 0901234567)."),
    "otp_rate_limited": _("Bạn đã yêu cầu quá nhiều mã. Vui lòng thử lại sau ít phút."),
    "otp_invalid": _("Mã xác thực không đúng hoặc đã hết hạn."),
    "otp_too_many_attempts": _("Nhập sai quá nhiều lần. Vui lòng yêu cầu mã mới."),
    "lookup_rate_limited": _(
        "Bạn tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau một phút."
    ),
    "not_online": _("Thủ tục này chưa được cung cấp trực tuyến. Vui lòng nộp tại Bộ phận Một cửa."),
    "not_found": _("Không tìm thấy hồ sơ với mã số này."),
}


class PortalError(Exception):
    def __init__(self, code: str, message: str | None = None):
        self.code = code
        self.message = message or str(MESSAGES.get(code, code))
        super().__init__(self.message)
