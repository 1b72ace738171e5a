"""Names of the events in a report's trace (ReportEvent.kind) and their Vietnamese labels."""

from django.utils.translation import gettext_lazy as _

RECEIVED = "received"
ROUTED = "routed"
CLASSIFIED = "classified"
TRANSFERRED = "transferred"
ANSWER_DRAFTED = "answer_drafted"
ANSWER_RETURNED = "answer_returned"
ANSWER_PUBLISHED = "answer_published"
RATED = "rated"
REOPENED = "reopened"
MERGED = "merged"
MERGED_INTO = "merged_into"
ESCALATED = "escalated"
NOT_ACCEPTED = "not_accepted"
NOTIFIED = "notified"
NOTED = "noted"

LABELS = {
    RECEIVED: _("Tiếp nhận"),
    ROUTED: _("Điều phối"),
    CLASSIFIED: _("Phân loại"),
    TRANSFERRED: _("Chuyển đơn vị"),
    ANSWER_DRAFTED: _("Dự thảo trả lời"),
    ANSWER_RETURNED: _("Lãnh đạo trả lại dự thảo"),
    ANSWER_PUBLISHED: _("Duyệt và công bố trả lời"),
    RATED: _("Người dân đánh giá"),
    REOPENED: _("Người dân mở lại"),
    MERGED: _("Gộp phản ánh trùng"),
    MERGED_INTO: _("Được gộp vào phản ánh khác"),
    ESCALATED: _("Nhắc, báo cáo cấp trên"),
    NOT_ACCEPTED: _("Không tiếp nhận"),
    NOTIFIED: _("Đã nhắn tin"),
    NOTED: _("Ghi chú của cán bộ"),
}
