"""Survey error codes with Vietnamese messages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class SurveyErrorCode(models.TextChoices):
    NOT_FOUND = "not_found", _("Không tìm thấy hồ sơ với mã số này.")
    NO_RESULT_YET = "no_result_yet", _("Hồ sơ chưa có kết quả nên chưa thể đánh giá.")
    ALREADY_RATED = "already_rated", _("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ được đánh giá một lần.")
    EDIT_CLOSED = "edit_closed", _("Đã hết thời gian được sửa đánh giá.")
    ANSWER_MISSING = "answer_missing", _("Vui lòng trả lời câu hỏi: %(question)s")
    ANSWER_INVALID = "answer_invalid", _("Điểm đánh giá phải từ 1 đến 5.")
    COMMENT_TOO_LONG = "comment_too_long", _("Góp ý quá dài (tối đa 2.000 ký tự).")
    TOKEN_INVALID = "token_invalid", _("Đường dẫn đánh giá không hợp lệ hoặc đã hết hạn.")
    RATE_LIMITED = "rate_limited", _("Bạn thao tác quá nhiều lần. Vui lòng thử lại sau một phút.")


class SurveyError(MotcuaError):
    codes = SurveyErrorCode
    statuses = {SurveyErrorCode.NOT_FOUND: 404, SurveyErrorCode.RATE_LIMITED: 429}
