"""Survey error codes with Vietnamese messages."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_found": _("Không tìm thấy hồ sơ với mã số này."),
    "no_result_yet": _("Hồ sơ chưa có kết quả nên chưa thể đánh giá."),
    "already_rated": _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần."),
    "edit_closed": _("Đã hết thời gian được sửa đánh giá."),
    "answer_missing": _("Vui lòng trả lời câu hỏi: %(question)s"),
    "answer_invalid": _("Điểm đánh giá phải từ 1 đến 5."),
    "comment_too_long": _("Góp ý quá dài (tối đa 2.000 ký tự)."),
    "token_invalid": _("Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn."),
    "not_applicant": _(
        "Chỉ người nộp hồ sơ được đánh giá. Vui lòng đăng nhập, mở đường dẫn trong tin nhắn "
        "hoặc nhập mã bí mật in trên giấy tiếp nhận."
    ),
    "receipt_key_invalid": _("Mã bí mật không đúng. Vui lòng kiểm tra lại giấy tiếp nhận."),
    "rate_limited": _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau một phút."),
}


class SurveyError(Exception):
    def __init__(self, code: str, **params):
        self.code = code
        self.message = str(MESSAGES.get(code, code)) % params if params else str(MESSAGES.get(code, code))
        super().__init__(self.message)
