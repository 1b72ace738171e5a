"""Assistant error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import MotcuaError


class AssistantErrorCode(models.TextChoices):
    MESSAGE_REQUIRED = "message_required", _("Vui lòng nhập câu hỏi.")
    MESSAGE_TOO_LONG = "message_too_long", _("Câu hỏi quá dài (tối đa 2.000 ký tự).")
    UNKNOWN_CONVERSATION = "unknown_conversation", _("Không tìm thấy cuộc trò chuyện này.")
    ALREADY_RESOLVED = "already_resolved", _("Câu hỏi này đã được cán bộ trả lời.")
    FORBIDDEN = "forbidden", _("Bạn không có quyền xử lý câu hỏi này.")
    TARGET_REQUIRED = "target_required", _("Vui lòng chọn thủ tục hoặc mục hướng dẫn phù hợp.")
    UNKNOWN_PROCEDURE = "unknown_procedure", _("Không có thủ tục với mã này.")
    REPLY_REQUIRED = "reply_required", _("Vui lòng nhập nội dung trả lời.")
    BAD_SIGNATURE = "bad_signature", _("Chữ ký Zalo không hợp lệ.")
    NOT_READY = "not_ready", _("Trợ lý tạm thời chưa sẵn sàng, vui lòng thử lại sau.")


class AssistantError(MotcuaError):
    codes = AssistantErrorCode
    statuses = {
        AssistantErrorCode.MESSAGE_REQUIRED: 400,
        AssistantErrorCode.MESSAGE_TOO_LONG: 400,
        AssistantErrorCode.UNKNOWN_CONVERSATION: 404,
        AssistantErrorCode.UNKNOWN_PROCEDURE: 404,
        AssistantErrorCode.FORBIDDEN: 403,
        AssistantErrorCode.TARGET_REQUIRED: 400,
        AssistantErrorCode.REPLY_REQUIRED: 400,
        AssistantErrorCode.BAD_SIGNATURE: 401,
        AssistantErrorCode.NOT_READY: 503,
    }
