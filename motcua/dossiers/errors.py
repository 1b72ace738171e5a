"""Dossier error codes with their Vietnamese messages (one place to translate)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "not_allowed": _("Bạn không có quyền thực hiện thao tác này với hồ sơ."),
    "bad_transition": _("Không thể thực hiện “{action}” khi hồ sơ đang ở trạng thái “{status}”."),
    "stale": _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và kiểm tra trước khi thao tác."),
    "task_taken": _("Bước này đã được {name} nhận xử lý trước bạn."),
    "task_not_active": _("Bước xử lý này không còn chờ thực hiện (có thể người khác vừa xử lý)."),
    "task_not_yours": _("Bước này đang do {name} xử lý; chỉ người đó hoặc lãnh đạo mới được thao tác."),
    "no_previous_step": _("Đây là bước đầu tiên, không có bước trước để trả lại."),
    "reason_required": _("Vui lòng ghi rõ lý do."),
    "supplement_late": _("Đã quá 3 ngày làm việc kể từ khi tiếp nhận: không được yêu cầu bổ sung nữa."),
    "supplement_once": _("Hồ sơ đã được yêu cầu bổ sung một lần; chỉ được yêu cầu một lần, đầy đủ."),
    "supplement_empty": _("Phải liệt kê đầy đủ các nội dung cần bổ sung."),
    "apology_once": _("Hồ sơ đã được xin lỗi và hẹn lại một lần; không được hẹn lại lần nữa."),
    "apology_too_late": _("Chỉ được xin lỗi, hẹn lại khi còn ít nhất 01 ngày làm việc trước hạn trả."),
    "apology_date": _("Ngày hẹn mới phải sau ngày hẹn hiện tại."),
    "no_result": _("Chưa có tệp kết quả: hãy tải lên kết quả giải quyết trước khi trả."),
    "file_type": _("Tệp “{name}” không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."),
    "file_size": _("Tệp “{name}” vượt quá dung lượng cho phép ({limit} MB)."),
    "file_empty": _("Tệp “{name}” rỗng."),
    "applicant_name": _("Vui lòng nhập họ và tên người nộp hồ sơ."),
    "personal_id": _("Số định danh cá nhân phải gồm đúng 12 chữ số."),
    "phone": _("Số điện thoại không hợp lệ."),
    "form_field": _("Trường “{label}” là bắt buộc."),
    "form_number": _("Trường “{label}” phải là số."),
    "form_date": _("Trường “{label}” phải là ngày (YYYY-MM-DD)."),
    "form_date_future": _("Trường “{label}” không được là ngày sau hôm nay."),
    "form_choice": _("Trường “{label}” có giá trị không hợp lệ."),
    "missing_papers": _("Còn thiếu giấy tờ bắt buộc: {names}."),
    "procedure": _("Thủ tục không nhận hồ sơ: {reason}"),
    "channel": _("Thủ tục này không nhận hồ sơ qua kênh {channel}."),
    "no_process": _("Thủ tục chưa có quy trình nội bộ đang hiệu lực."),
    "transfer_unit": _("Cơ quan phối hợp phải khác đơn vị đang xử lý."),
    "transfer_hours": _("Thời gian phân bổ cho cơ quan phối hợp phải lớn hơn 0 giờ."),
    "not_citizen_owner": _("Hồ sơ này không thuộc tài khoản của bạn."),
    "idempotency_conflict": _("Khóa chống trùng đã được dùng cho một hồ sơ khác."),
    "not_found": _("Không tìm thấy hồ sơ."),
}


class DossierError(Exception):
    """A business rule refused the action. `.code` is stable, `.message` is for people."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        template = MESSAGES.get(code, code)
        self.message = str(template).format(**params) if params else str(template)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message
